import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import * as z from "zod";
import { apiRequest } from "../../../lib/api";
import { useAuthToken } from "../../../lib/auth-token";
import { languageSchema, roleListSchema } from "../../../lib/roles";
import type { Language } from "../../../lib/i18n";
import type { Role } from "../../../lib/roles";


export const meSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  agencyId: z.string(),
  agencyCode: z.string(),
  departmentId: z.string().nullable(),
  roles: roleListSchema,
  supervisorId: z.string().nullable(),
  language: languageSchema,
});

export type Me = z.infer<typeof meSchema>;

export const meQueryKey = ["me"] as const;

export const meQueryOptions = queryOptions({
  queryKey: meQueryKey,
  queryFn: ({ signal }) => apiRequest({ path: "/me", schema: meSchema, signal }),
  staleTime: 60_000,
});

/** The signed-in user's profile; idle while signed out. */
export function useMe() {
  const token = useAuthToken();
  return useQuery({ ...meQueryOptions, enabled: token !== null });
}

export function hasRole(me: Me | undefined, role: Role): boolean {
  return me?.roles.includes(role) ?? false;
}

export type ProfileChange = { name?: string; language?: Language };

export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: ProfileChange) => apiRequest({ path: "/me", method: "PATCH", body: change, schema: meSchema }),
    onSuccess: (me) => queryClient.setQueryData(meQueryKey, me),
  });
}
