import { infiniteQueryOptions, keepPreviousData, queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import * as z from "zod";
import { apiRequest, pageSchema } from "../../../lib/api";
import type { Language } from "../../../lib/i18n";
import { languageSchema, roleListSchema } from "../../../lib/roles";
import type { Role } from "../../../lib/roles";

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  departmentId: z.string().nullable(),
  roles: roleListSchema,
  supervisorId: z.string().nullable(),
  language: languageSchema,
  active: z.boolean(),
});
export type User = z.infer<typeof userSchema>;

const userPage = pageSchema(userSchema);
const pageSize = 50;

export const usersQueryKey = ["users"] as const;

/** The directory, page by page; a search (`q`) answers with one page. */
export function usersQueryOptions(q: string) {
  return infiniteQueryOptions({
    queryKey: [...usersQueryKey, "list", q],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: String(pageSize) });
      if (q) query.set("q", q);
      if (pageParam) query.set("cursor", pageParam);
      return apiRequest({ path: `/users?${query}`, schema: userPage, signal });
    },
    getNextPageParam: (last) => last.nextCursor,
    // While a new search runs, the previous results stay rather than flashing an empty list.
    placeholderData: keepPreviousData,
  });
}

export function useUsers(q: string) {
  return useInfiniteQuery(usersQueryOptions(q));
}

/** Everyone in the directory (for choosing a supervisor); agencies here have at most a few thousand users. */
export const allUsersQueryOptions = queryOptions({
  queryKey: [...usersQueryKey, "all"],
  queryFn: async ({ signal }) => {
    const all: User[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ limit: "100" });
      if (cursor) query.set("cursor", cursor);
      const page: z.infer<typeof userPage> = await apiRequest({ path: `/users?${query}`, schema: userPage, signal });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  },
});

export function useAllUsers() {
  return useQuery(allUsersQueryOptions);
}

export type NewUser = {
  email: string;
  name: string;
  departmentId: string;
  roles: Role[];
  supervisorId?: string | null;
  language?: Language;
};

export type UserChange = {
  name?: string;
  roles?: Role[];
  departmentId?: string | null;
  supervisorId?: string | null;
  active?: boolean;
  language?: Language;
};

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewUser) => apiRequest({ path: "/users", method: "POST", body: input, schema: userSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersQueryKey }),
  });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, change }: { id: string; change: UserChange }) =>
      apiRequest({ path: `/users/${encodeURIComponent(id)}`, method: "PATCH", body: change, schema: userSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersQueryKey }),
  });
}
