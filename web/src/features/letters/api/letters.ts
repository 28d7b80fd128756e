import { infiniteQueryOptions, queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiRequest, pageSchema } from "../../../lib/api";
import { errorCode } from "../../../lib/form-errors";
import { letterDetailSchema, letterSchema } from "./schemas";
import type { Box, Classification, Direction, LetterAction, Priority, Sender } from "./schemas";

export const lettersQueryKey = ["letters"] as const;
const letterPage = pageSchema(letterSchema);
const pageSize = 25;

/** One of the caller's boxes, most urgent first, page by page. */
export function letterBoxQueryOptions(box: Box) {
  return infiniteQueryOptions({
    queryKey: [...lettersQueryKey, "box", box],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ box, limit: String(pageSize) });
      if (pageParam) query.set("cursor", pageParam);
      return apiRequest({ path: `/letters?${query}`, schema: letterPage, signal });
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useLetterBox(box: Box) {
  return useInfiniteQuery(letterBoxQueryOptions(box));
}

export function letterQueryOptions(id: string) {
  return queryOptions({
    queryKey: [...lettersQueryKey, "detail", id],
    queryFn: ({ signal }) => apiRequest({ path: `/letters/${encodeURIComponent(id)}`, schema: letterDetailSchema, signal }),
  });
}

export function useLetter(id: string) {
  return useQuery(letterQueryOptions(id));
}

export type NewLetter = {
  subject: string;
  direction: Direction;
  assigneeId: string;
  fileId?: string;
  sender?: Sender;
  summary?: string;
  classification?: Classification;
  dueAt?: string;
  requiresApproval?: boolean;
  priority?: Priority;
};

export function useRegisterLetter() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ letter, idempotencyKey }: { letter: NewLetter; idempotencyKey: string }) =>
      apiRequest({ path: "/letters", method: "POST", body: letter, headers: { "Idempotency-Key": idempotencyKey }, schema: letterSchema }),
    // A letter filed into a file adds a folio there, so the files are read again too.
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: lettersQueryKey }), queryClient.invalidateQueries({ queryKey: ["files"] })]),
  });
}

/** The body fields of each action (DESIGN.md section 4); `version` guards against acting on a stale page. */
export type ActionBody = {
  accept: Record<string, never>;
  minute: { text: string };
  forward: { to: string };
  reassign: { to: string; reason: string };
  submit: Record<string, never>;
  approve: Record<string, never>;
  reject: { note: string };
  complete: Record<string, never>;
  extend: { dueAt: string };
};

export type ActionRequest = { [A in LetterAction]: { id: string; action: A; body: ActionBody[A]; version?: number } }[LetterAction];

/** The letter moved on since the page read it (another person acted, or the workflow's timer did). */
export function letterChanged(error: unknown): boolean {
  const code = errorCode(error);
  return code === "CONFLICT" || code === "INVALID_TRANSITION";
}

/**
 * Takes an action on a letter; the letter and the boxes are read again afterwards, and also when
 * the letter had changed meanwhile, so the page shows its new state and version for the next try.
 */
export function useLetterAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, body, version }: ActionRequest) =>
      apiRequest({
        path: `/letters/${encodeURIComponent(id)}/${action}`,
        method: "POST",
        body: { ...body, ...(version === undefined ? {} : { version }) },
        schema: letterSchema,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: lettersQueryKey }),
    onError: (error) => (letterChanged(error) ? queryClient.invalidateQueries({ queryKey: lettersQueryKey }) : undefined),
  });
}
