import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StatsStore } from "../../../functions/store/stats";
import { DEMO, field, inDays, startHarness, type Harness, type LetterBody, type Person } from "./harness";

/**
 * Many requests at once: references and folios without gaps or duplicates, exactly one winner
 * among concurrent actions on one letter, and no lost update when callers do not pin a version.
 */

let h: Harness;
let registry: Person;
let officerA: Person;
let officerB: Person;

beforeAll(async () => {
  h = await startHarness("concurrency");
  registry = await h.person(DEMO.registry);
  officerA = await h.person(DEMO.officerA);
  officerB = await h.person(DEMO.officerB);
});
afterAll(async () => {
  await h?.stop();
});

const runningNumber = (reference: string) => Number(reference.split("/").pop());

async function openCounts(userId: string): Promise<Record<string, number>> {
  const item = await h.getItem("stats", StatsStore.officerPk(h.demo.agencyId, userId), "OPEN");
  return {
    forAction: Number(item?.forAction ?? 0),
    inProgress: Number(item?.inProgress ?? 0),
    overdue: Number(item?.overdue ?? 0),
    awaitingApproval: Number(item?.awaitingApproval ?? 0),
  };
}

describe("references under concurrency", () => {
  it("30 files opened at once get 30 consecutive references of their department and year", async () => {
    // Prepare: the seed opened two ADM files already.
    const before = await h.call<{ items: { reference: string }[] }>("GET", "/api/files?limit=100", { token: registry.token });
    const taken = before.body.items.map((f) => runningNumber(f.reference));
    // Act
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        h.call<{ reference: string }>("POST", "/api/files", { token: registry.token, body: { title: `Jalada ${i}`, departmentId: h.demo.departmentId } }),
      ),
    );
    // Assess
    expect(responses.map((r) => r.status)).toEqual(Array(30).fill(201));
    const numbers = responses.map((r) => runningNumber(r.body.reference)).sort((a, b) => a - b);
    const first = Math.max(0, ...taken) + 1;
    expect(numbers).toEqual(Array.from({ length: 30 }, (_, i) => first + i));
    const year = new Intl.DateTimeFormat("en", { timeZone: "Africa/Dar_es_Salaam", year: "numeric" }).format(new Date());
    for (const r of responses) expect(r.body.reference).toMatch(new RegExp(`^DEMO/ADM/${year}/\\d{4}$`));
  });

  it("30 letters registered at once into one file get consecutive references and folios 1..30", async () => {
    const file = await h.call<{ id: string }>("POST", "/api/files", { token: registry.token, body: { title: "Folios", departmentId: h.demo.departmentId } });
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        h.call<LetterBody>("POST", "/api/letters", {
          token: registry.token,
          body: { subject: `Barua ${i}`, direction: "INCOMING", assigneeId: officerB.id, fileId: file.body.id },
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(30).fill(201));
    const numbers = responses.map((r) => runningNumber(r.body.reference)).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(30);
    expect(numbers[29]! - numbers[0]!).toBe(29);
    expect(responses.map((r) => r.body.folio).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));

    const view = await h.call<{ folioCount: number; folios: { folio: number; id: string }[] }>("GET", `/api/files/${file.body.id}`, { token: registry.token });
    expect(view.body.folioCount).toBe(30);
    expect(view.body.folios.map((f) => f.folio)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });
});

describe("concurrent actions on one letter", () => {
  async function newLetter(assignee: Person) {
    const res = await h.call<LetterBody>("POST", "/api/letters", {
      token: registry.token,
      body: { subject: "Mbio", direction: "INCOMING", assigneeId: assignee.id, dueAt: inDays(5) },
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  it("20 accepts naming the same version: exactly one wins, the others get CONFLICT, counters move once", async () => {
    const letter = await newLetter(officerA);
    const counts = await openCounts(officerA.id);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => h.call("POST", `/api/letters/${letter.id}/accept`, { token: officerA.token, body: { version: letter.version } })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of responses.filter((x) => x.status === 409)) expect(field(r.body, "error", "code")).toBe("CONFLICT");

    const page = await h.call<LetterBody & { history: { action: string }[] }>("GET", `/api/letters/${letter.id}`, { token: officerA.token });
    expect(page.body).toMatchObject({ status: "IN_PROGRESS", version: 2 });
    expect(page.body.history.map((e) => e.action)).toEqual(["register", "accept"]);
    expect(await openCounts(officerA.id)).toEqual({ ...counts, forAction: counts.forAction! - 1, inProgress: counts.inProgress! + 1 });
  });

  it("20 minutes naming the same version: one is kept, nothing else is written", async () => {
    const letter = await newLetter(officerA);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h.call("POST", `/api/letters/${letter.id}/minute`, { token: officerA.token, body: { text: `Dokezo ${i}`, version: letter.version } }),
      ),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409 && field(r.body, "error", "code") === "CONFLICT")).toHaveLength(19);
    const page = await h.call<{ minutes: unknown[]; version: number }>("GET", `/api/letters/${letter.id}`, { token: officerA.token });
    expect(page.body.minutes).toHaveLength(1);
    expect(page.body.version).toBe(2);
  });

  it("20 minutes without a version: every one is kept (no lost update), each with its own version", async () => {
    const letter = await newLetter(officerA);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => h.call("POST", `/api/letters/${letter.id}/minute`, { token: officerA.token, body: { text: `Dokezo ${i}` } })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const page = await h.call<{ minutes: { text: string; version: number }[]; history: unknown[]; version: number }>("GET", `/api/letters/${letter.id}`, {
      token: officerA.token,
    });
    expect(page.body.version).toBe(21);
    expect(page.body.history).toHaveLength(21);
    expect(page.body.minutes.map((m) => m.text).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `Dokezo ${i}`).sort());
    expect(page.body.minutes.map((m) => m.version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    const audit = await h.call("GET", `/api/audit/verify?entity=letter&id=${letter.id}`, { token: registry.token });
    expect(audit.body).toEqual({ valid: true, entries: 21 });
  });

  it("a forward and a reassign racing on one version: one wins, the other gets CONFLICT, counters move once", async () => {
    const letter = await newLetter(officerA);
    const before = { a: await openCounts(officerA.id), b: await openCounts(officerB.id) };
    const responses = await Promise.all([
      h.call("POST", `/api/letters/${letter.id}/forward`, { token: officerA.token, body: { to: officerB.id, version: 1 } }),
      h.call("POST", `/api/letters/${letter.id}/reassign`, { token: registry.token, body: { to: officerB.id, reason: "Makosa", version: 1 } }),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    const after = { a: await openCounts(officerA.id), b: await openCounts(officerB.id) };
    expect(after.a.forAction).toBe(before.a.forAction! - 1);
    expect(after.b.forAction).toBe(before.b.forAction! + 1);
  });
});
