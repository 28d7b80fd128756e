import { canReadFile, canReadLetter } from "../core/access";
import { verifyChain, type AuditHead } from "../core/audit";
import { AuditQuerySchema } from "../core/letter-schemas";
import { hasAnyRole } from "../core/permissions";
import { NotFoundError } from "../platform/errors";
import { httpHandler, parseQuery, signedIn } from "../platform/http";
import { logger } from "../platform/logger";
import { authenticate } from "./deps";
import { auditStore, fileStore, letterStore, mapRecordError } from "./record-deps";

/**
 * `GET /api/audit/verify?entity=letter|file&id=`: recomputes an entity's hash chain and compares
 * its end with the head the entity keeps, so an edited, deleted or re-ordered entry shows as
 * `valid: false`. Administrators check any record of the agency; the registry and supervisors
 * the records they may read.
 */
export const handler = httpHandler(
  {
    "GET /api/audit/verify": async (event, _context, principal) => {
      const me = signedIn(principal);
      const query = parseQuery(event, AuditQuerySchema);
      const admin = hasAnyRole(me, ["admin"]);
      let head: AuditHead | null | undefined;
      if (query.entity === "letter") {
        const letter = await letterStore.get(me.agencyId, query.id);
        if (letter && (admin || canReadLetter(me, letter.record))) head = letter.auditHead;
      } else {
        const file = await fileStore.get(me.agencyId, query.id);
        if (file && (admin || canReadFile(me, file.record))) head = file.auditHead;
      }
      if (head === undefined) throw new NotFoundError(`No such ${query.entity}`);
      const entries = await auditStore.entries(me.agencyId, query.entity, query.id);
      const verdict = verifyChain(entries, head);
      if (!verdict.valid) logger.warn("audit chain broken", { entity: query.entity, entityId: query.id, problem: verdict.problem });
      return { status: 200, body: verdict };
    },
  },
  { authenticate, mapError: mapRecordError },
);
