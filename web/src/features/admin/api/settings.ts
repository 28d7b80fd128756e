import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import * as z from "zod";
import { apiRequest } from "../../../lib/api";

export const settingsSchema = z.object({
  defaultDueDays: z.number(),
  reminderIntervalHours: z.number(),
  escalateAfterDays: z.number(),
  digestTime: z.string(),
  timezone: z.string(),
});
export type Settings = z.infer<typeof settingsSchema>;

const settingsQueryKey = ["settings"] as const;

export const settingsQueryOptions = queryOptions({
  queryKey: settingsQueryKey,
  queryFn: ({ signal }) => apiRequest({ path: "/settings", schema: settingsSchema, signal }),
});

export function useSettings() {
  return useQuery(settingsQueryOptions);
}

export function useSaveSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: Settings) => apiRequest({ path: "/settings", method: "PUT", body: settings, schema: settingsSchema }),
    onSuccess: (saved) => queryClient.setQueryData(settingsQueryKey, saved),
  });
}
