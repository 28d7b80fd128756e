import { describe, expect, it } from "vitest";
import { canonicalJson, nextAuditEntry, verifyChain, type AuditEntry } from "../../../functions/core/audit";

function chain(n: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    const last = entries[entries.length - 1];
    entries.push(
      nextAuditEntry(last ? { seq: last.seq, hash: last.hash } : null, {
        agencyId: "AG",
        entity: "letter",
        entityId: "L1",
        at: `2026-05-18T07:00:0${i}.000Z`,
        actorId: "A",
        action: i === 0 ? "register" : "minute",
        before: i === 0 ? null : { version: i },
        after: { version: i + 1 },
      }),
    );
  }
  return entries;
}

const headOf = (entries: AuditEntry[]) => {
  const last = entries[entries.length - 1];
  return last ? { seq: last.seq, hash: last.hash } : null;
};

describe("audit hash chain", () => {
  it("hashes equal values alike whatever the key order", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
  });

  it("verifies an intact chain and links each entry to the one before", () => {
    const entries = chain(4);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(entries[1]?.prevHash).toBe(entries[0]?.hash);
    expect(verifyChain(entries, headOf(entries))).toEqual({ valid: true, entries: 4 });
    expect(verifyChain([], null)).toEqual({ valid: true, entries: 0 });
  });

  it("finds an edited entry", () => {
    const entries = chain(4);
    const head = headOf(entries);
    const edited = entries.map((e) => (e.seq === 2 ? { ...e, actorId: "X" } : e));
    expect(verifyChain(edited, head)).toMatchObject({ valid: false, problem: { seq: 2, reason: "the entry was changed" } });
  });

  it("finds an entry deleted in the middle and one deleted at the end", () => {
    const entries = chain(4);
    const head = headOf(entries);
    expect(verifyChain(entries.filter((e) => e.seq !== 3), head)).toMatchObject({ valid: false, problem: { seq: 4 } });
    expect(verifyChain(entries.slice(0, 3), head)).toMatchObject({ valid: false, problem: { reason: "entries at the end are missing" } });
  });

  it("finds a re-hashed forgery, whose link to the next entry breaks", () => {
    const entries = chain(3);
    const forged = nextAuditEntry(null, { agencyId: "AG", entity: "letter", entityId: "L1", at: "x", actorId: "X", action: "register", before: null, after: {} });
    expect(verifyChain([forged, ...entries.slice(1)], headOf(entries))).toMatchObject({ valid: false, problem: { seq: 2 } });
  });
});
