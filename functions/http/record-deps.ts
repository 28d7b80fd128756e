import type { APIGatewayProxyEvent } from "aws-lambda";
import type { User } from "../core/directory";
import { canonicalJson, sha256 } from "../core/audit";
import { IdempotencyKeySchema } from "../core/letter-schemas";
import type { HistoryEvent, Letter } from "../core/letters";
import type { Principal } from "../core/permissions";
import { RuleError } from "../core/records";
import { ConflictError, ForbiddenError, InvalidTransitionError, ValidationError } from "../platform/errors";
import { headerValue, validate, type HttpResult } from "../platform/http";
import { createS3Client } from "../platform/clients";
import { logger } from "../platform/logger";
import { AttachmentStore } from "../store/attachments";
import { AuditStore } from "../store/audit";
import { FileStore } from "../store/files";
import { IdempotencyStore } from "../store/idempotency";
import { LetterStore } from "../store/letters";
import { IdempotencyKeyTakenError, MissingReferenceError, StaleRecordError } from "../store/records";
import { StatsStore } from "../store/stats";
import type { TaggedItem } from "../store/transact";
import { clients, config, directory, mapStoreError } from "./deps";

/**
 * What the files, letters, attachments and audit route groups share: their stores (created once
 * per module load), the workflow port, the idempotency wrapper and the mapping of domain and store
 * errors to HTTP errors.
 */
export const auditStore = new AuditStore(clients.doc, config.tables.audit);
export const statsStore = new StatsStore(clients.doc, config.tables.stats);
export const fileStore = new FileStore(clients.doc, config.tables.files, auditStore);
export const letterStore = new LetterStore(clients.doc, config.tables.letters, { audit: auditStore, stats: statsStore, files: fileStore });
// A pure call without arguments: only the attachments group uses S3, so esbuild leaves the S3
// client out of the other groups' bundles.
export const attachmentStore = /* @__PURE__ */ createAttachmentStore();
function createAttachmentStore(): AttachmentStore {
  return new AttachmentStore(clients.doc, config.tables.letters, createS3Client(config), config.attachmentsBucket);
}
export const idempotencyStore = new IdempotencyStore(clients.doc, config.tables.directory);

/**
 * The seam to the letter workflow (issue 5). The API applies every change to the letter first and
 * tells the workflow afterwards; a failure here is logged and never undoes or blocks the user's
 * action (DESIGN.md section 5). Until the workflow is wired in, nothing is started or signalled.
 */
export interface LetterWorkflow {
  /** A letter was registered: start its execution (named by the letter id; a repeated start is harmless). */
  registered(letter: Letter): Promise<void>;
  /** A user action was applied: signal the waiting execution with the decision. */
  moved(letter: Letter, event: HistoryEvent): Promise<void>;
}

export const NO_WORKFLOW: LetterWorkflow = {
  registered: async () => undefined,
  moved: async () => undefined,
};

let workflow: LetterWorkflow = NO_WORKFLOW;

/** Installs the workflow port (issue 5 calls this at module load with the Step Functions implementation). */
export function useLetterWorkflow(port: LetterWorkflow): void {
  workflow = port;
}

export async function tellWorkflow(call: (port: LetterWorkflow) => Promise<void>, letterId: string): Promise<void> {
  try {
    await call(workflow);
  } catch (error) {
    logger.warn("workflow not told; it catches up from the letter", { letterId, error: error instanceof Error ? error.name : String(error) });
  }
}

/** Domain refusals and store errors as HTTP errors; the rest as the identity groups map them. */
export function mapRecordError(error: unknown): unknown {
  if (error instanceof RuleError) {
    switch (error.code) {
      case "FORBIDDEN":
        return new ForbiddenError(error.message);
      case "INVALID_TRANSITION":
        return new InvalidTransitionError(error.message);
      case "CONFLICT":
        return new ConflictError(error.message, { cause: error });
      case "VALIDATION_FAILED":
        return invalidField(error.field ?? "body", error.message);
    }
  }
  if (error instanceof StaleRecordError) return new ConflictError(error.message, { cause: error });
  if (error instanceof MissingReferenceError) return invalidField(error.field, error.message);
  return mapStoreError(error);
}

export function invalidField(field: string, message: string): ValidationError {
  return new ValidationError(`Invalid body: ${field}: ${message}`, [{ path: field, message }]);
}

/** An active user of the caller's agency named in a body field (assignee, `to`); 400 naming the field otherwise. */
export async function activeUser(me: Principal, userId: string, field: string): Promise<User> {
  const user = await directory.getUser(me.agencyId, userId);
  if (!user || !user.active) throw invalidField(field, "No such active user in your agency");
  return user;
}

/**
 * Runs a create under the request's `Idempotency-Key` (DESIGN.md section 6): the first request
 * creates and keeps its response in the same transaction (`claim`); a repeat with the same body gets
 * that response; the same key with another body is 409. Without the header, `create` just runs.
 */
export async function idempotent(
  event: APIGatewayProxyEvent,
  me: Principal,
  route: string,
  input: unknown,
  create: (claim: ((body: unknown) => TaggedItem) | undefined) => Promise<HttpResult>,
): Promise<HttpResult> {
  const header = headerValue(event, "idempotency-key");
  if (header === undefined) return create(undefined);
  const key = validate(IdempotencyKeySchema, header, "Idempotency-Key header");
  const ref = { agencyId: me.agencyId, userId: me.userId, key };
  const requestHash = sha256(`${route}\n${canonicalJson(input)}`);
  const replay = async (): Promise<HttpResult | undefined> => {
    const record = await idempotencyStore.find(ref);
    if (!record) return undefined;
    if (record.requestHash !== requestHash) {
      throw new ConflictError("This Idempotency-Key was used with another request; use a new key for a new request");
    }
    return { status: record.status, body: record.body, headers: { "idempotent-replayed": "true" } };
  };
  const earlier = await replay();
  if (earlier) return earlier;
  try {
    return await create((body) => idempotencyStore.claim(ref, { requestHash, status: 201, body }, new Date()));
  } catch (error) {
    if (!(error instanceof IdempotencyKeyTakenError)) throw error;
    const winner = await replay();
    if (winner) return winner;
    throw new ConflictError("This Idempotency-Key is in use by another request; try again", { cause: error });
  }
}
