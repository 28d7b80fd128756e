import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import * as z from "zod";
import { apiRequest, pageSchema } from "../../../lib/api";
import { letterStatuses } from "../../letters/api/schemas";
import { fileStatuses } from "../../files/api/files";

export const searchKinds = ["letter", "file"] as const;
export type SearchKind = (typeof searchKinds)[number];

/** Statuses a search can filter by: those of letters, and a file's OPEN (CLOSED is shared). */
export const searchStatuses = [...letterStatuses, ...fileStatuses.filter((s) => s !== "CLOSED")] as const;
export type SearchStatus = (typeof searchStatuses)[number];

export const searchItemSchema = z.object({
  kind: z.enum(searchKinds),
  id: z.string(),
  reference: z.string(),
  title: z.string(),
  date: z.string(),
  status: z.enum(searchStatuses),
  overdue: z.boolean().default(false),
});
export type SearchItem = z.infer<typeof searchItemSchema>;

const searchPage = pageSchema(searchItemSchema);

export type SearchFilter = {
  q: string;
  kind?: SearchKind;
  status?: SearchStatus;
  /** Calendar dates `YYYY-MM-DD`, both inclusive. */
  from?: string;
  to?: string;
};

function searchPath(filter: SearchFilter, limit: number, cursor?: string | null): string {
  const query = new URLSearchParams({ q: filter.q, limit: String(limit) });
  if (filter.kind) query.set("kind", filter.kind);
  if (filter.status) query.set("status", filter.status);
  if (filter.from) query.set("from", filter.from);
  if (filter.to) query.set("to", filter.to);
  if (cursor) query.set("cursor", cursor);
  return `/search?${query}`;
}

/** Where a result lives in the app. */
export function resultPath(item: Pick<SearchItem, "kind" | "id">): string {
  return `/${item.kind === "letter" ? "letters" : "files"}/${encodeURIComponent(item.id)}`;
}

export function searchQueryOptions(filter: SearchFilter) {
  return infiniteQueryOptions({
    queryKey: ["search", "results", filter.q, filter.kind ?? "", filter.status ?? "", filter.from ?? "", filter.to ?? ""],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => apiRequest({ path: searchPath(filter, 20, pageParam), schema: searchPage, signal }),
    getNextPageParam: (last) => last.nextCursor,
    enabled: filter.q.trim().length > 0,
  });
}

export function useSearchResults(filter: SearchFilter) {
  return useInfiniteQuery(searchQueryOptions(filter));
}

export const SUGGESTION_COUNT = 6;

/** Type-ahead suggestions: the first few results of what has been typed (debounced by the caller). */
export function useSearchSuggestions(q: string) {
  return useQuery<SearchItem[]>({
    queryKey: ["search", "suggestions", q],
    queryFn: async ({ signal }) => (await apiRequest({ path: searchPath({ q }, SUGGESTION_COUNT), schema: searchPage, signal })).items,
    enabled: q.trim().length > 0,
    // Keep the last suggestions while the next ones load, so the list does not flicker.
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
}
