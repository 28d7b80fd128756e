import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { canReadFile, canReadLetter } from "../core/access";
import { IdSchema } from "../core/directory-schemas";
import { closeFile, openFile, reopenFile } from "../core/files";
import { FileListQuerySchema, NewFileSchema, VersionBodySchema } from "../core/letter-schemas";
import type { Principal } from "../core/permissions";
import { DEFAULT_CLASSIFICATION, localYear } from "../core/records";
import { fileReference, fileSeries } from "../core/references";
import { NotFoundError } from "../platform/errors";
import { httpHandler, parseJsonBody, parseQuery, signedIn } from "../platform/http";
import { logger } from "../platform/logger";
import type { StoredFile } from "../store/files";
import { authenticate, directory } from "./deps";
import { fileStore, idempotent, invalidField, letterStore, mapRecordError } from "./record-deps";
import { fileView, folioView } from "./record-views";

/**
 * `POST|GET /api/files`, `GET /api/files/{id}`, `POST /api/files/{id}/close|reopen`: registry
 * files. Every id is looked up in the caller's agency, and a file the caller may not read answers
 * 404 like a missing one.
 */

async function readableFile(event: APIGatewayProxyEvent, me: Principal): Promise<StoredFile> {
  const id = IdSchema.safeParse(event.pathParameters?.id);
  const stored = id.success ? await fileStore.get(me.agencyId, id.data) : undefined;
  if (!stored || !canReadFile(me, stored.record)) throw new NotFoundError("No such file");
  return stored;
}

export const handler = httpHandler(
  {
    "POST /api/files": async (event, _context, principal) => {
      const me = signedIn(principal);
      const input = parseJsonBody(event, NewFileSchema);
      return idempotent(event, me, "POST /api/files", input, async (claim) => {
        const department = await directory.getDepartment(me.agencyId, input.departmentId);
        if (!department) throw invalidField("departmentId", "No such department in your agency");
        const settings = await directory.getSettings(me.agencyId);
        const now = new Date();
        const year = localYear(now, settings.timezone);
        const id = randomUUID();
        const file = await fileStore.open({
          agencyId: me.agencyId,
          series: fileSeries(department.code, year),
          actorId: me.userId,
          build: (n) =>
            openFile(
              {
                id,
                agencyId: me.agencyId,
                reference: fileReference(me.agencyCode, department.code, year, n),
                title: input.title,
                description: input.description ?? null,
                departmentId: department.id,
                classification: input.classification ?? DEFAULT_CLASSIFICATION,
              },
              me,
              now,
            ),
          extra: claim ? (created) => [claim(fileView(created))] : undefined,
        });
        logger.info("file opened", { fileId: file.id, reference: file.reference });
        return { status: 201, body: fileView(file) };
      });
    },
    "GET /api/files": async (event, _context, principal) => {
      const me = signedIn(principal);
      const query = parseQuery(event, FileListQuerySchema);
      const page = await fileStore.list(me.agencyId, { ...query, visible: (file) => canReadFile(me, file) });
      return { status: 200, body: { items: page.items.map(fileView), nextCursor: page.nextCursor } };
    },
    "GET /api/files/{id}": async (event, _context, principal) => {
      const me = signedIn(principal);
      const { record: file } = await readableFile(event, me);
      const letters = await letterStore.folios(me.agencyId, file.id);
      return { status: 200, body: { ...fileView(file), folios: letters.filter((l) => canReadLetter(me, l)).map(folioView) } };
    },
    "POST /api/files/{id}/close": async (event, _context, principal) => {
      const me = signedIn(principal);
      const stored = await readableFile(event, me);
      const body = parseJsonBody(event, VersionBodySchema);
      const closed = await fileStore.save(stored, closeFile(stored.record, me, new Date(), body.version), me.userId, "close");
      logger.info("file closed", { fileId: closed.id });
      return { status: 200, body: fileView(closed) };
    },
    "POST /api/files/{id}/reopen": async (event, _context, principal) => {
      const me = signedIn(principal);
      const stored = await readableFile(event, me);
      const body = parseJsonBody(event, VersionBodySchema);
      const reopened = await fileStore.save(stored, reopenFile(stored.record, me, new Date(), body.version), me.userId, "reopen");
      logger.info("file reopened", { fileId: reopened.id });
      return { status: 200, body: fileView(reopened) };
    },
  },
  { authenticate, mapError: mapRecordError },
);
