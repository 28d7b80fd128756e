import { randomUUID } from "node:crypto";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { canReadLetter, mayAttach } from "../core/access";
import { ATTACHMENT_TYPES, checkUpload, isAllowedType, MAX_ATTACHMENT_BYTES, type Attachment } from "../core/attachments";
import { IdSchema } from "../core/directory-schemas";
import { NewAttachmentSchema } from "../core/letter-schemas";
import { isOpen, type Letter } from "../core/letters";
import type { Principal } from "../core/permissions";
import {
  ConflictError,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "../platform/errors";
import { httpHandler, parseJsonBody, signedIn } from "../platform/http";
import { logger } from "../platform/logger";
import { DOWNLOAD_URL_SECONDS, UPLOAD_URL_SECONDS } from "../store/attachments";
import { TransactionFailedError } from "../store/transact";
import { authenticate } from "./deps";
import { attachmentStore, letterStore, mapRecordError } from "./record-deps";
import { attachmentView } from "./record-views";

/**
 * Letter attachments (DESIGN.md section 6): the client asks for an upload URL, PUTs the bytes to
 * storage, then asks us to complete; we check the stored size and leading bytes against what was
 * declared, and delete the object if they do not match. Downloads are presigned GETs.
 */

const ALLOWED = Object.values(ATTACHMENT_TYPES)
  .map((t) => t.label)
  .join(", ");

async function readableLetter(event: APIGatewayProxyEvent, me: Principal): Promise<Letter> {
  const id = IdSchema.safeParse(event.pathParameters?.id);
  const stored = id.success ? await letterStore.get(me.agencyId, id.data) : undefined;
  if (!stored || !canReadLetter(me, stored.record)) throw new NotFoundError("No such letter");
  return stored.record;
}

async function attachmentOf(event: APIGatewayProxyEvent, me: Principal, letter: Letter): Promise<Attachment> {
  const aid = IdSchema.safeParse(event.pathParameters?.aid);
  const attachment = aid.success ? await attachmentStore.get(me.agencyId, letter.id, aid.data) : undefined;
  if (!attachment) throw new NotFoundError("No such attachment");
  return attachment;
}

/** Records the outcome of a check (accepted or rejected) in the attachment and the letter's audit chain. */
async function settle(me: Principal, letter: Letter, before: Attachment, after: Attachment): Promise<void> {
  try {
    await letterStore.appendEvent(me.agencyId, letter.id, {
      actorId: me.userId,
      action: after.status === "ACCEPTED" ? "attachment accepted" : "attachment rejected",
      at: after.completedAt ?? new Date().toISOString(),
      detail: () => ({ before: before, after: after }),
      parts: () => [attachmentStore.settle(me.agencyId, after)],
    });
  } catch (error) {
    if (error instanceof TransactionFailedError && error.tags.includes("attachment")) {
      throw new ConflictError("The attachment was completed by another request", { cause: error });
    }
    throw error;
  }
}

export const handler = httpHandler(
  {
    "POST /api/letters/{id}/attachments": async (event, _context, principal) => {
      const me = signedIn(principal);
      const letter = await readableLetter(event, me);
      const input = parseJsonBody(event, NewAttachmentSchema);
      if (!isAllowedType(input.contentType)) {
        throw new UnsupportedMediaTypeError(`Attach ${ALLOWED} files only; ${input.contentType} is not accepted`);
      }
      if (input.size > MAX_ATTACHMENT_BYTES) {
        throw new PayloadTooLargeError(`An attachment has at most ${MAX_ATTACHMENT_BYTES / (1024 * 1024)} MiB`);
      }
      if (!mayAttach(me, letter)) throw new ForbiddenError("You may not add attachments to this letter");
      if (!isOpen(letter)) throw new InvalidTransitionError("A closed letter takes no new attachments");
      const now = new Date();
      const attachment: Attachment = {
        id: randomUUID(),
        letterId: letter.id,
        fileName: input.fileName,
        contentType: input.contentType,
        size: input.size,
        status: "PENDING",
        reason: null,
        uploadedBy: me.userId,
        createdAt: now.toISOString(),
        completedAt: null,
      };
      const found = await letterStore.appendEvent(me.agencyId, letter.id, {
        actorId: me.userId,
        action: "attachment requested",
        at: attachment.createdAt,
        detail: () => ({ before: null, after: attachment }),
        parts: () => [attachmentStore.create(me.agencyId, attachment)],
      });
      if (!found) throw new NotFoundError("No such letter");
      const uploadUrl = await attachmentStore.uploadUrl(me.agencyId, attachment);
      logger.info("attachment requested", { letterId: letter.id, attachmentId: attachment.id, size: attachment.size });
      return {
        status: 201,
        body: {
          id: attachment.id,
          uploadUrl,
          expiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
          attachment: attachmentView(attachment),
        },
      };
    },
    "POST /api/letters/{id}/attachments/{aid}/complete": async (event, _context, principal) => {
      const me = signedIn(principal);
      const letter = await readableLetter(event, me);
      const attachment = await attachmentOf(event, me, letter);
      if (attachment.uploadedBy !== me.userId && !mayAttach(me, letter)) throw new ForbiddenError("You may not complete this attachment");
      if (attachment.status === "ACCEPTED") return { status: 200, body: attachmentView(attachment) };
      if (attachment.status === "REJECTED") throw new ConflictError(`The attachment was rejected: ${attachment.reason ?? "unknown reason"}`);
      const stored = await attachmentStore.inspect(me.agencyId, attachment);
      if (!stored) throw new ConflictError("Nothing has been uploaded yet; PUT the file to the upload URL first");
      const verdict = checkUpload(attachment, stored);
      const completedAt = new Date().toISOString();
      if (verdict.ok) {
        const accepted: Attachment = { ...attachment, status: "ACCEPTED", completedAt };
        await settle(me, letter, attachment, accepted);
        logger.info("attachment accepted", { letterId: letter.id, attachmentId: attachment.id });
        return { status: 200, body: attachmentView(accepted) };
      }
      // The object is deleted before the record says so: a crash between leaves a rejected-to-be
      // record whose next completion finds nothing uploaded, never a kept bad object.
      await attachmentStore.deleteObject(me.agencyId, attachment);
      await settle(me, letter, attachment, { ...attachment, status: "REJECTED", reason: verdict.reason, completedAt });
      logger.info("attachment rejected", { letterId: letter.id, attachmentId: attachment.id, check: verdict.code });
      if (verdict.code === "type") throw new UnsupportedMediaTypeError(`${verdict.reason}; the upload was deleted`);
      throw new ValidationError(`Invalid upload: size: ${verdict.reason}; the upload was deleted`, [{ path: "size", message: verdict.reason }]);
    },
    "GET /api/letters/{id}/attachments/{aid}": async (event, _context, principal) => {
      const me = signedIn(principal);
      const letter = await readableLetter(event, me);
      const attachment = await attachmentOf(event, me, letter);
      if (attachment.status !== "ACCEPTED") throw new ConflictError("The attachment has not been accepted; it cannot be downloaded");
      const downloadUrl = await attachmentStore.downloadUrl(me.agencyId, attachment);
      return {
        status: 200,
        body: {
          downloadUrl,
          expiresAt: new Date(Date.now() + DOWNLOAD_URL_SECONDS * 1000).toISOString(),
          attachment: attachmentView(attachment),
        },
      };
    },
  },
  { authenticate, mapError: mapRecordError },
);
