import * as z from "zod";
import { SEARCH_KINDS, SEARCH_STATUSES, dateBounds, parseSearchText } from "../core/search";
import { ValidationError } from "../platform/errors";
import { httpHandler, parseQuery, signedIn } from "../platform/http";
import { logger } from "../platform/logger";
import { SearchIndexStore } from "../store/search-index";
import { authenticate, clients, config, directory, mapStoreError } from "./deps";

/**
 * `GET /api/search?q=&kind=&from=&to=&status=&limit=&cursor=`: the archive search (DESIGN.md
 * section 6). Every term must match, the last one also as a prefix (type-ahead); a reference
 * number typed whole finds its letter or file first; newest first; only what the caller may read.
 * `from`/`to` are calendar dates in the agency's time zone (or instants), both inclusive; `from`
 * after `to` is a 400 naming both (it could only ever give an empty page, surely not what was meant).
 */

const DateOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

const SearchQuerySchema = z.strictObject({
  q: z
    .string()
    .max(200)
    .refine((q) => q.trim().length > 0, "Type something to search for"),
  kind: z.enum(SEARCH_KINDS).optional(),
  status: z.enum(SEARCH_STATUSES).optional(),
  from: DateOrInstant.optional(),
  to: DateOrInstant.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(4096).optional(),
});

const index = new SearchIndexStore(clients.doc, config.tables.search);

export const handler = httpHandler(
  {
    "GET /api/search": async (event, _context, principal) => {
      const me = signedIn(principal);
      const input = parseQuery(event, SearchQuerySchema);
      const timezone = input.from || input.to ? (await directory.getSettings(me.agencyId)).timezone : "UTC";
      // Compared as the instants they stand for: a date is a day of the agency's time zone, not of UTC.
      const { empty, ...bounds } = dateBounds(input.from, input.to, timezone);
      if (empty) {
        const message = `from (${input.from ?? ""}) must not be after to (${input.to ?? ""}) in the agency's time zone (${timezone})`;
        throw new ValidationError(`Invalid query: from: ${message}`, [
          { path: "from", message },
          { path: "to", message },
        ]);
      }
      const result = await index.search({
        agencyId: me.agencyId,
        actor: me,
        query: parseSearchText(input.q),
        filters: { kind: input.kind, status: input.status, ...bounds },
        limit: input.limit,
        cursor: input.cursor,
      });
      logger.info("search", { results: result.items.length, ...result.cost });
      return { status: 200, body: { items: result.items, nextCursor: result.nextCursor } };
    },
  },
  { authenticate, mapError: mapStoreError },
);
