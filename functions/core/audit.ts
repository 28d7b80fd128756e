/**
 * The audit trail (DESIGN.md section 3): an append-only hash chain per entity (letter or file).
 * Each entry carries the hash of the previous one and its own hash over a canonical form of its
 * fields; the entity keeps the head (last seq and hash), so an edited entry, a deleted one (in the
 * middle or at the end) and a reordered one are all found by `verifyChain`.
 */
import { createHash } from "node:crypto";
import type { Role } from "./roles";

/** Who may check a chain: those who answer for the records (the entity must also be readable to them, admins aside). */
export const AUDIT_VERIFIER_ROLES = ["admin", "registry", "supervisor"] as const satisfies readonly Role[];

export const AUDIT_ENTITIES = ["letter", "file"] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

export const GENESIS_HASH = "0".repeat(64);

export interface AuditHead {
  seq: number;
  hash: string;
}

export interface AuditEntry {
  agencyId: string;
  entity: AuditEntity;
  entityId: string;
  /** 1, 2, 3 ... without gaps. */
  seq: number;
  at: string;
  actorId: string;
  action: string;
  /** Canonical JSON of the record before and after the change (`null` before creation). */
  before: string;
  after: string;
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every level, so equal values always hash alike. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export function entryHash(entry: Omit<AuditEntry, "hash">): string {
  const { agencyId, entity, entityId, seq, at, actorId, action, before, after, prevHash } = entry;
  return sha256(canonicalJson({ agencyId, entity, entityId, seq, at, actorId, action, before, after, prevHash }));
}

/** The next entry of a chain whose head is `head` (null for a new entity). */
export function nextAuditEntry(
  head: AuditHead | null,
  fields: { agencyId: string; entity: AuditEntity; entityId: string; at: string; actorId: string; action: string; before: unknown; after: unknown },
): AuditEntry {
  const unhashed: Omit<AuditEntry, "hash"> = {
    agencyId: fields.agencyId,
    entity: fields.entity,
    entityId: fields.entityId,
    seq: (head?.seq ?? 0) + 1,
    at: fields.at,
    actorId: fields.actorId,
    action: fields.action,
    before: canonicalJson(fields.before ?? null),
    after: canonicalJson(fields.after ?? null),
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  return { ...unhashed, hash: entryHash(unhashed) };
}

export interface ChainVerdict {
  valid: boolean;
  entries: number;
  /** The first entry found wrong, and why. */
  problem?: { seq: number; reason: string };
}

/** Checks a chain read in seq order against the head the entity keeps. */
export function verifyChain(entries: readonly AuditEntry[], head: AuditHead | null): ChainVerdict {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const entry of entries) {
    const fail = (reason: string): ChainVerdict => ({ valid: false, entries: entries.length, problem: { seq: entry.seq, reason } });
    if (entry.seq !== expectedSeq) return fail(`entry ${expectedSeq} is missing`);
    if (entry.prevHash !== prev) return fail("the link to the previous entry is broken");
    if (entryHash(entry) !== entry.hash) return fail("the entry was changed");
    prev = entry.hash;
    expectedSeq += 1;
  }
  const last = entries[entries.length - 1];
  const headSeq = head?.seq ?? 0;
  if (headSeq !== (last?.seq ?? 0) || (head !== null && head.hash !== last?.hash)) {
    return { valid: false, entries: entries.length, problem: { seq: (last?.seq ?? 0) + 1, reason: "entries at the end are missing" } };
  }
  return { valid: true, entries: entries.length };
}
