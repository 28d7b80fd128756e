import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import * as z from "zod";
import { apiRequest, pageSchema } from "../../../lib/api";
import { classifications, directions, letterStatuses } from "../../letters/api/schemas";
import type { Classification } from "../../letters/api/schemas";

export const fileStatuses = ["OPEN", "CLOSED"] as const;
export type FileStatus = (typeof fileStatuses)[number];

export const registryFileSchema = z.object({
  id: z.string(),
  reference: z.string(),
  title: z.string(),
  description: z.string().nullable().optional(),
  departmentId: z.string(),
  classification: z.enum(classifications),
  status: z.enum(fileStatuses),
  folioCount: z.number().optional(),
  openedBy: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string().optional(),
  closedAt: z.string().nullable().optional(),
  version: z.number(),
});
export type RegistryFile = z.infer<typeof registryFileSchema>;

export const folioSchema = z.object({
  folio: z.number().nullable(),
  id: z.string(),
  reference: z.string(),
  subject: z.string(),
  direction: z.enum(directions),
  status: z.enum(letterStatuses),
  overdue: z.boolean().optional(),
  classification: z.enum(classifications).optional(),
  createdAt: z.string(),
});
export type Folio = z.infer<typeof folioSchema>;

export const fileDetailSchema = registryFileSchema.extend({ folios: z.array(folioSchema) });
export type FileDetail = z.infer<typeof fileDetailSchema>;

export const filesQueryKey = ["files"] as const;
const filePage = pageSchema(registryFileSchema);

export type FileFilter = { status?: FileStatus; departmentId?: string };

export function filesQueryOptions(filter: FileFilter) {
  return infiniteQueryOptions({
    queryKey: [...filesQueryKey, "list", filter.status ?? "", filter.departmentId ?? ""],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: "50" });
      if (filter.status) query.set("status", filter.status);
      if (filter.departmentId) query.set("departmentId", filter.departmentId);
      if (pageParam) query.set("cursor", pageParam);
      return apiRequest({ path: `/files?${query}`, schema: filePage, signal });
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useFiles(filter: FileFilter) {
  return useInfiniteQuery(filesQueryOptions(filter));
}

/** Open files to choose from when filing a letter (the API has no text search of files; the picker filters). */
export const openFilesQueryOptions = queryOptions({
  queryKey: [...filesQueryKey, "open-choices"],
  queryFn: ({ signal }) => apiRequest({ path: "/files?status=OPEN&limit=100", schema: filePage, signal }).then((page) => page.items),
});

export function useOpenFiles() {
  return useQuery(openFilesQueryOptions);
}

export function fileQueryOptions(id: string) {
  return queryOptions({
    queryKey: [...filesQueryKey, "detail", id],
    queryFn: ({ signal }) => apiRequest({ path: `/files/${encodeURIComponent(id)}`, schema: fileDetailSchema, signal }),
  });
}

export function useFile(id: string) {
  return useQuery(fileQueryOptions(id));
}

export type NewFile = { title: string; departmentId: string; classification?: Classification; description?: string };

export function useCreateFile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, idempotencyKey }: { file: NewFile; idempotencyKey: string }) =>
      apiRequest({ path: "/files", method: "POST", body: file, headers: { "Idempotency-Key": idempotencyKey }, schema: registryFileSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: filesQueryKey }),
  });
}

/** Closes or reopens a file; `version` makes a change based on a stale page fail as a conflict. */
export function useFileStatusChange() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, change, version }: { id: string; change: "close" | "reopen"; version: number }) =>
      apiRequest({ path: `/files/${encodeURIComponent(id)}/${change}`, method: "POST", body: { version }, schema: registryFileSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: filesQueryKey }),
  });
}
