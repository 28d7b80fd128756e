import { infiniteQueryOptions, useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import * as z from "zod";
import { apiRequest, pageSchema } from "../../../lib/api";

export const agencySchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  emailDomains: z.array(z.string()),
  timezone: z.string().optional(),
  cell: z.string().optional(),
  createdAt: z.string().optional(),
});
export type Agency = z.infer<typeof agencySchema>;

const agencyPage = pageSchema(agencySchema);
const agenciesQueryKey = ["agencies"] as const;

export const agenciesQueryOptions = infiniteQueryOptions({
  queryKey: agenciesQueryKey,
  initialPageParam: null as string | null,
  queryFn: ({ pageParam, signal }) => {
    const query = new URLSearchParams({ limit: "50" });
    if (pageParam) query.set("cursor", pageParam);
    return apiRequest({ path: `/agencies?${query}`, schema: agencyPage, signal });
  },
  getNextPageParam: (last) => last.nextCursor,
});

export function useAgencies() {
  return useInfiniteQuery(agenciesQueryOptions);
}

export type NewAgency = {
  code: string;
  name: string;
  emailDomains: string[];
  timezone?: string;
  admin: { email: string; name: string };
};

export function useOnboardAgency() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewAgency) => apiRequest({ path: "/agencies", method: "POST", body: input, schema: agencySchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: agenciesQueryKey }),
  });
}
