import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import * as z from "zod";
import { apiRequest, pageSchema } from "../../../lib/api";

export const departmentSchema = z.object({ id: z.string(), code: z.string(), name: z.string() });
export type Department = z.infer<typeof departmentSchema>;

const departmentPage = pageSchema(departmentSchema);

/** An agency has a handful of departments: read them all, page by page, for lists and choices. */
async function listAllDepartments(signal?: AbortSignal): Promise<Department[]> {
  const all: Department[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: "100" });
    if (cursor) query.set("cursor", cursor);
    const page: z.infer<typeof departmentPage> = await apiRequest({ path: `/departments?${query}`, schema: departmentPage, signal });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

export const departmentsQueryKey = ["departments"] as const;

export const departmentsQueryOptions = queryOptions({
  queryKey: departmentsQueryKey,
  queryFn: ({ signal }) => listAllDepartments(signal),
});

export function useDepartments() {
  return useQuery(departmentsQueryOptions);
}

export type NewDepartment = { code: string; name: string };

export function useCreateDepartment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewDepartment) => apiRequest({ path: "/departments", method: "POST", body: input, schema: departmentSchema }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: departmentsQueryKey }),
  });
}
