import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import * as z from "zod";
import { apiRequest } from "../../../lib/api";
import { meQueryKey, meSchema } from "../../auth/api/me";

/** The notices a user may turn off (the others, overdue reminders and escalations, always come). */
export const optionalNoticeKinds = ["newLetter", "reassigned", "approvalRequested", "rejected"] as const;
export type OptionalNoticeKind = (typeof optionalNoticeKinds)[number];

const preferencesSchema = z.object({
  notifications: z.object({
    newLetter: z.boolean(),
    reassigned: z.boolean(),
    approvalRequested: z.boolean(),
    rejected: z.boolean(),
  }),
  essential: z.array(z.string()),
});

export type NotificationPreferences = z.infer<typeof preferencesSchema>;

const queryKey = ["me", "notifications"] as const;

export function useNotificationPreferences() {
  return useQuery({
    queryKey,
    queryFn: ({ signal }) => apiRequest({ path: "/me/notifications", schema: preferencesSchema, signal }),
  });
}

/** Saves a change; the box shows the new state at once and goes back if saving fails. */
export function useUpdateNotificationPreference() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: Partial<Record<OptionalNoticeKind, boolean>>) =>
      apiRequest({ path: "/me", method: "PATCH", body: { notifications: change }, schema: meSchema }),
    onMutate: async (change) => {
      await queryClient.cancelQueries({ queryKey });
      const before = queryClient.getQueryData<NotificationPreferences>(queryKey);
      if (before) queryClient.setQueryData<NotificationPreferences>(queryKey, { ...before, notifications: { ...before.notifications, ...change } });
      return { before };
    },
    onError: (_error, _change, context) => {
      if (context?.before) queryClient.setQueryData(queryKey, context.before);
    },
    onSuccess: (me) => queryClient.setQueryData(meQueryKey, me),
    onSettled: () => queryClient.invalidateQueries({ queryKey }),
  });
}
