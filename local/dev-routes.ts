import * as z from "zod";
import { httpHandler, parseQuery } from "../functions/platform/http";
import type { ProxyHandler } from "./gateway";
import type { MailItem } from "./mail";

/**
 * Routes that exist only in the embedded runtime (`localOnly` in the route table): the local
 * mailbox, readable without a token because it exists only on this machine.
 */
export function createDevHandler(deps: {
  listMail: (query: { to?: string; limit?: number }) => MailItem[];
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
  });
}
