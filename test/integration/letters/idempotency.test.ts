import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, field, startHarness, type Harness, type LetterBody, type Person } from "./harness";

/** `Idempotency-Key` on `POST /api/letters` and `POST /api/files` (DESIGN.md section 6). */

let h: Harness;
let registry: Person;
let officerA: Person;

beforeAll(async () => {
  h = await startHarness("idempotency");
  registry = await h.person(DEMO.registry);
  officerA = await h.person(DEMO.officerA);
});
afterAll(async () => {
  await h?.stop();
});

async function lettersWithSubject(subject: string): Promise<number> {
  const box = await h.call<{ items: LetterBody[] }>("GET", "/api/letters?box=for-action&limit=100", { token: officerA.token });
  return box.body.items.filter((l) => (l as LetterBody & { subject: string }).subject === subject).length;
}

describe("idempotent creates", () => {
  it("50 concurrent identical requests create one letter and all get the same response", async () => {
    const body = { subject: "Barua ya marudio", direction: "INCOMING", assigneeId: officerA.id, dueInDays: 4 };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => h.call<LetterBody>("POST", "/api/letters", { token: registry.token, body, headers: { "idempotency-key": "barua-0001" } })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    const ids = new Set(responses.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(await lettersWithSubject("Barua ya marudio")).toBe(1);

    // The reference counter moved once: the next letter takes the next number.
    const next = await h.call<LetterBody>("POST", "/api/letters", { token: registry.token, body: { ...body, subject: "Inayofuata" } });
    const n = (ref: string) => Number(ref.split("/").pop());
    expect(n(next.body.reference)).toBe(n(responses[0]!.body.reference) + 1);

    // A later retry still replays the first answer.
    const later = await h.call<LetterBody>("POST", "/api/letters", { token: registry.token, body, headers: { "idempotency-key": "barua-0001" } });
    expect([later.status, later.text, later.headers.get("idempotent-replayed")]).toEqual([201, responses[0]!.text, "true"]);
  });

  it("the same key with another body is 409 and creates nothing", async () => {
    const body = { subject: "Ya kwanza", direction: "INCOMING", assigneeId: officerA.id };
    const first = await h.call("POST", "/api/letters", { token: registry.token, body, headers: { "idempotency-key": "k-2" } });
    expect(first.status).toBe(201);
    const before = await h.snapshot(["letters", "stats", "audit"]);
    const other = await h.call("POST", "/api/letters", { token: registry.token, body: { ...body, subject: "Nyingine" }, headers: { "idempotency-key": "k-2" } });
    expect([other.status, field(other.body, "error", "code")]).toEqual([409, "CONFLICT"]);
    expect(await h.snapshot(["letters", "stats", "audit"])).toEqual(before);
  });

  it("keys are per user: another user's identical request with the same key creates its own letter", async () => {
    const body = { subject: "Ya ndani", direction: "INTERNAL", assigneeId: officerA.id };
    const supervisor = await h.person(DEMO.supervisor);
    const mine = await h.call<LetterBody>("POST", "/api/letters", { token: supervisor.token, body, headers: { "idempotency-key": "shared" } });
    const theirs = await h.call<LetterBody>("POST", "/api/letters", { token: officerA.token, body, headers: { "idempotency-key": "shared" } });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(mine.body.id).not.toBe(theirs.body.id);
  });

  it("a refused request does not use up the key", async () => {
    const bad = await h.call("POST", "/api/letters", { token: registry.token, body: { subject: "x", direction: "INCOMING", assigneeId: "nobody" }, headers: { "idempotency-key": "k-3" } });
    expect(bad.status).toBe(400);
    const good = await h.call("POST", "/api/letters", { token: registry.token, body: { subject: "x", direction: "INCOMING", assigneeId: officerA.id }, headers: { "idempotency-key": "k-3" } });
    expect(good.status).toBe(201);
  });

  it("50 concurrent identical file creates open one file", async () => {
    const body = { title: "Jalada la marudio", departmentId: h.demo.departmentId };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => h.call<{ id: string }>("POST", "/api/files", { token: registry.token, body, headers: { "idempotency-key": "jalada-1" } })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    const files = await h.doc.send(
      new QueryCommand({
        TableName: h.tables.files,
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": `AGENCY#${h.demo.agencyId}#FILES` },
      }),
    );
    expect((files.Items ?? []).filter((f) => f.title === "Jalada la marudio")).toHaveLength(1);
    const other = await h.call("POST", "/api/files", { token: registry.token, body: { ...body, title: "Jingine" }, headers: { "idempotency-key": "jalada-1" } });
    expect(other.status).toBe(409);
  });
});
