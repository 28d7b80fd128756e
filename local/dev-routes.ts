import type { DynamoDBRecord } from "aws-lambda";
import * as z from "zod";
import { httpHandler, parseQuery } from "../functions/platform/http";
import type { ProxyHandler } from "./gateway";
import type { MailItem } from "./mail";

/** A stream batch that the notifications consumer gave up on (the local on-failure destination). */
export interface FailedBatchView {
  failedAt: string;
  error: string;
  records: DynamoDBRecord[];
}

/** An agency's daily digest run that failed every attempt of the local scheduler. */
export interface FailedDigestView {
  failedAt: string;
  error: string;
  agencyId: string;
  attempts: number;
}

/** The history events of a failed batch whose mail was not sent. */
export function failedMailOf(batch: FailedBatchView) {
  const events = batch.records.flatMap((record) => {
    const pk = record.dynamodb?.Keys?.pk?.S ?? "";
    const sk = record.dynamodb?.Keys?.sk?.S ?? "";
    const letter = /#LETTER#([^#]+)$/.exec(pk);
    if (!letter || !sk.startsWith("EVENT#")) return [];
    return [{ letterId: letter[1] ?? "", version: Number(sk.slice("EVENT#".length)), action: record.dynamodb?.NewImage?.action?.S ?? null }];
  });
  return { source: "notifications" as const, failedAt: batch.failedAt, error: batch.error, events };
}

/**
 * Routes that exist only in the embedded runtime (`localOnly` in the route table): the local
 * mailbox, the mail given up on (notifications consumer batches and digest runs), and running the
 * overdue digest now;
 * open without a token because they exist only on this machine.
 */
export function createDevHandler(deps: {
  listMail: (query: { to?: string; limit?: number }) => MailItem[];
  /** Runs the overdue digest for every agency now; resolves to its summary. */
  runDigest?: () => Promise<unknown>;
  /** Failed batches of the notifications consumer, oldest first. */
  listFailedMail?: () => Promise<FailedBatchView[]>;
  /** Digest runs the scheduler gave up on after its retries. */
  listFailedDigests?: () => Promise<FailedDigestView[]>;
}): ProxyHandler {
  const MailboxQuery = z.strictObject({
    to: z.string().trim().min(1).max(320).optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  });
  return httpHandler({
    "GET /api/dev/mailbox": async (event) => {
      const query = parseQuery(event, MailboxQuery);
      const items = deps.listMail(query).map(({ id, to, subject, text, html, sentAt }) => ({ id, to, subject, text, html, sentAt }));
      return { status: 200, body: { items } };
    },
    "GET /api/dev/failed-mail": async () => {
      const [batches, digests] = await Promise.all([deps.listFailedMail?.() ?? [], deps.listFailedDigests?.() ?? []]);
      const items = [
        ...batches.map(failedMailOf),
        ...digests.map((run) => ({ source: "digest" as const, ...run })),
      ];
      // Newest first, like the mailbox (ISO times sort as text).
      items.sort((a, b) => (a.failedAt < b.failedAt ? 1 : a.failedAt > b.failedAt ? -1 : 0));
      return { status: 200, body: { items } };
    },
    "POST /api/dev/digest": async () => {
      const summary = deps.runDigest ? await deps.runDigest() : { agencies: [], sent: 0, skipped: 0, rejected: 0, failed: 0 };
      return { status: 200, body: summary };
    },
  });
}
