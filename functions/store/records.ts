import type { AuditHead } from "../core/audit";

/**
 * What the files and letters stores share: a stored record with the head of its audit chain, and
 * the errors they report (plain errors; the HTTP layer maps them in one place).
 */

export interface Stored<T> {
  record: T;
  /** The last audit entry of the record (null only for records written before auditing). */
  auditHead: AuditHead | null;
}

/** Another writer changed the record between our read and our write, more often than we retry. */
export class StaleRecordError extends Error {
  constructor(readonly entity: "letter" | "file") {
    super(`The ${entity} was changed by someone else; reload it and try again`);
    this.name = "StaleRecordError";
  }
}

/** A record named in a request (e.g. `fileId`) does not exist in the caller's agency. */
export class MissingReferenceError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "MissingReferenceError";
  }
}

/** An idempotency key already holds a response (the caller replays it or answers 409). */
export class IdempotencyKeyTakenError extends Error {
  constructor(options?: { cause?: unknown }) {
    super("The idempotency key was used by another request", options);
    this.name = "IdempotencyKeyTakenError";
  }
}

export function auditHeadOf(item: Record<string, unknown>): AuditHead | null {
  return typeof item.auditSeq === "number" && typeof item.auditHash === "string" ? { seq: item.auditSeq, hash: item.auditHash } : null;
}

export function str(value: unknown): string | null {
  return value === undefined || value === null ? null : String(value);
}
