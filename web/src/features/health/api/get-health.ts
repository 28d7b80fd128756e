import { queryOptions, useQuery } from "@tanstack/react-query";
import * as z from "zod";
import { apiRequest } from "../../../lib/api";

export const componentNames = ["database", "storage", "workflow", "mail", "search"] as const;
export type ComponentName = (typeof componentNames)[number];

const componentStateSchema = z.enum(["ok", "down"]);

export const healthSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  components: z.object({
    database: componentStateSchema,
    storage: componentStateSchema,
    workflow: componentStateSchema,
    mail: componentStateSchema,
    search: componentStateSchema,
  }),
});

export type Health = z.infer<typeof healthSchema>;
export type ComponentState = z.infer<typeof componentStateSchema>;

export const healthRefreshMs = 10_000;

export function getHealth(signal?: AbortSignal): Promise<Health> {
  return apiRequest({ path: "/health", schema: healthSchema, signal });
}

export const healthQueryOptions = queryOptions({
  queryKey: ["health"],
  queryFn: ({ signal }) => getHealth(signal),
  refetchInterval: healthRefreshMs,
  // The page polls anyway; retrying in between would only delay telling the user that something is wrong.
  retry: false,
  staleTime: 0,
});

export function useHealth() {
  return useQuery(healthQueryOptions);
}
