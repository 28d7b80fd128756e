import { queryOptions, useQuery } from "@tanstack/react-query";
import * as z from "zod";
import { apiRequest } from "../../../lib/api";

/** The local mailbox of the embedded runtime (`GET /api/dev/mailbox`); 404 in the cloud. */

export const mailSchema = z.object({
  id: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  text: z.string().nullable(),
  html: z.string().nullable(),
  sentAt: z.string(),
});

export type Mail = z.infer<typeof mailSchema>;

const mailboxSchema = z.object({ items: z.array(mailSchema) });

export function mailboxQueryOptions(to: string) {
  const query = new URLSearchParams({ limit: "200" });
  if (to) query.set("to", to);
  return queryOptions({
    queryKey: ["dev", "mailbox", to],
    queryFn: ({ signal }) => apiRequest({ path: `/dev/mailbox?${query.toString()}`, schema: mailboxSchema, signal }),
    // New mail arrives without the page doing anything.
    refetchInterval: 5_000,
  });
}

/** Newest first, optionally only the mail to one address. */
export function useMailbox(to: string) {
  return useQuery(mailboxQueryOptions(to.trim()));
}

/** Whether this is the embedded runtime, which has a mailbox to show. */
export function useMailboxAvailable(): boolean {
  const probe = useQuery({
    queryKey: ["dev", "mailbox", "available"],
    queryFn: ({ signal }) => apiRequest({ path: "/dev/mailbox?limit=1", schema: mailboxSchema, signal }),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  return probe.isSuccess;
}
