import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDate } from "../../../functions/core/records";
import { AuditStore } from "../../../functions/store/audit";
import { FileStore } from "../../../functions/store/files";
import { LetterStore } from "../../../functions/store/letters";
import { StatsStore } from "../../../functions/store/stats";
import { DEMO, field, inDays, startHarness, type Harness, type LetterBody, type Person } from "./harness";

/**
 * A letter's life through the API: each transition's effect on the letter, its history and the
 * Stats counters (read straight from the table), refusals with the right codes, the boxes in
 * urgency order with pagination, and bad input that writes nothing.
 */

let h: Harness;
let registry: Person;
let supervisor: Person;
let officerA: Person;
let officerB: Person;
let fresh: Person;

beforeAll(async () => {
  h = await startHarness("lifecycle");
  registry = await h.person(DEMO.registry);
  supervisor = await h.person(DEMO.supervisor);
  officerA = await h.person(DEMO.officerA);
  officerB = await h.person(DEMO.officerB);
  // An officer with no letters yet, so the counters start at zero.
  fresh = await h.addPerson({ agencyId: h.demo.agencyId, email: "officer.c@demo.go.tz", roles: ["officer"], departmentId: h.demo.departmentId, supervisorId: supervisor.id });
});
afterAll(async () => {
  await h?.stop();
});

type Counts = { forAction: number; inProgress: number; overdue: number; awaitingApproval: number };

async function counts(person: Person): Promise<Counts> {
  const item = await h.getItem("stats", StatsStore.officerPk(h.demo.agencyId, person.id), "OPEN");
  return {
    forAction: Number(item?.forAction ?? 0),
    inProgress: Number(item?.inProgress ?? 0),
    overdue: Number(item?.overdue ?? 0),
    awaitingApproval: Number(item?.awaitingApproval ?? 0),
  };
}

async function handledToday(person: Person): Promise<number> {
  const today = localDate(new Date(), "Africa/Dar_es_Salaam");
  const item = await h.getItem("stats", StatsStore.officerPk(h.demo.agencyId, person.id), `HANDLED#${today.slice(0, 7)}`);
  return Number(item?.[`d${today.slice(8)}`] ?? 0);
}

async function act(person: Person, id: string, action: string, body: Record<string, unknown> = {}) {
  return h.call<LetterBody>("POST", `/api/letters/${id}/${action}`, { token: person.token, body });
}

describe("a letter from registration to approval", () => {
  it("moves the counters of exactly the officers concerned at every step", async () => {
    const sup0 = await counts(supervisor);
    const supHandled0 = await handledToday(supervisor);
    const bHandled0 = await handledToday(officerB);
    const b0 = await counts(officerB);

    // register -> fresh officer has one for action
    const reg = await h.call<LetterBody>("POST", "/api/letters", {
      token: registry.token,
      body: { subject: "Ombi la ruzuku", direction: "INCOMING", assigneeId: fresh.id, priority: "URGENT", requiresApproval: true, sender: { name: "Shule ya Msingi Mwenge", date: "2026-05-02" } },
    });
    expect(reg.status).toBe(201);
    expect(reg.body).toMatchObject({ status: "FOR_ACTION", assigneeId: fresh.id, version: 1, folio: null });
    const id = reg.body.id;
    expect(await counts(fresh)).toEqual({ forAction: 1, inProgress: 0, overdue: 0, awaitingApproval: 0 });

    // accept
    expect((await act(fresh, id, "accept")).body).toMatchObject({ status: "IN_PROGRESS", version: 2 });
    expect(await counts(fresh)).toEqual({ forAction: 0, inProgress: 1, overdue: 0, awaitingApproval: 0 });

    // forward to B: handled by fresh
    expect((await act(fresh, id, "forward", { to: officerB.id })).body).toMatchObject({ status: "FOR_ACTION", assigneeId: officerB.id });
    expect(await counts(fresh)).toEqual({ forAction: 0, inProgress: 0, overdue: 0, awaitingApproval: 0 });
    expect((await counts(officerB)).forAction).toBe(b0.forAction + 1);
    expect(await handledToday(fresh)).toBe(1);

    // B says it was misrouted: reassign back with a reason (not handled)
    const back = await act(officerB, id, "reassign", { to: fresh.id, reason: "Si la idara yangu" });
    expect(back.body).toMatchObject({ status: "FOR_ACTION", assigneeId: fresh.id });
    expect(await counts(officerB)).toEqual(b0);
    expect(await handledToday(officerB)).toBe(bHandled0);

    // accept, submit -> supervisor awaits approval
    await act(fresh, id, "accept");
    expect((await act(fresh, id, "complete")).status).toBe(409);
    const submitted = await act(fresh, id, "submit");
    expect(submitted.body).toMatchObject({ status: "AWAITING_APPROVAL", approverId: supervisor.id });
    expect(await counts(fresh)).toEqual({ forAction: 0, inProgress: 0, overdue: 0, awaitingApproval: 0 });
    expect((await counts(supervisor)).awaitingApproval).toBe(sup0.awaitingApproval + 1);
    expect(await handledToday(fresh)).toBe(2);

    // reject -> back in progress with fresh; supervisor handled one
    await act(supervisor, id, "reject", { note: "Ongeza bajeti" });
    expect((await counts(fresh)).inProgress).toBe(1);
    expect((await counts(supervisor)).awaitingApproval).toBe(sup0.awaitingApproval);
    expect(await handledToday(supervisor)).toBe(supHandled0 + 1);

    // extend by the registry, submit again, approve
    const extended = await act(registry, id, "extend", { dueAt: inDays(20) });
    expect(extended.status).toBe(200);
    await act(fresh, id, "submit");
    const approved = await act(supervisor, id, "approve", { version: 9 });
    expect(approved.body).toMatchObject({ status: "CLOSED", version: 10 });
    expect(await counts(fresh)).toEqual({ forAction: 0, inProgress: 0, overdue: 0, awaitingApproval: 0 });
    expect((await counts(supervisor)).awaitingApproval).toBe(sup0.awaitingApproval);
    expect(await handledToday(supervisor)).toBe(supHandled0 + 2);
    expect(await handledToday(fresh)).toBe(3);

    const page = await h.call<{ history: { action: string; reason?: string; note?: string }[] }>("GET", `/api/letters/${id}`, { token: fresh.token });
    expect(page.body.history.map((e) => e.action)).toEqual(["register", "accept", "forward", "reassign", "accept", "submit", "reject", "extend", "submit", "approve"]);
    expect(page.body.history[3]?.reason).toBe("Si la idara yangu");
    expect(page.body.history[6]?.note).toBe("Ongeza bajeti");

    // The handled box lists it for everyone who handled it.
    const handled = await h.call<{ items: LetterBody[] }>("GET", "/api/letters?box=handled", { token: fresh.token });
    expect(handled.body.items.map((l) => l.id)).toContain(id);
  });

  it("answers wrong actor 403, wrong state INVALID_TRANSITION, stale version CONFLICT, bad target 400", async () => {
    const reg = await h.call<LetterBody>("POST", "/api/letters", { token: registry.token, body: { subject: "Makosa", direction: "INCOMING", assigneeId: officerA.id } });
    const id = reg.body.id;
    expect((await act(officerB, id, "accept")).status).toBe(404); // RESTRICTED: officer B may not even read it
    expect((await act(registry, id, "accept")).status).toBe(403);
    const approve = await act(supervisor, id, "approve");
    expect([approve.status, field(approve.body, "error", "code")]).toEqual([409, "INVALID_TRANSITION"]);
    const stale = await act(officerA, id, "accept", { version: 7 });
    expect([stale.status, field(stale.body, "error", "code")]).toEqual([409, "CONFLICT"]);
    const badTarget = await act(officerA, id, "forward", { to: "no-such-user" });
    expect([badTarget.status, field(badTarget.body, "error", "details")]).toEqual([400, [{ path: "to", message: "No such active user in your agency" }]]);
    const noReason = await act(registry, id, "reassign", { to: officerB.id });
    expect(noReason.status).toBe(400);
    expect((await act(officerA, "not-a-letter", "accept")).status).toBe(404);
    const page = await h.call<LetterBody>("GET", `/api/letters/${id}`, { token: officerA.token });
    expect(page.body).toMatchObject({ status: "FOR_ACTION", version: 1 });
  });
});

describe("boxes", () => {
  it("list the caller's letters most urgent first, page by page", async () => {
    const who = await h.addPerson({ agencyId: h.demo.agencyId, email: "officer.d@demo.go.tz", roles: ["officer"], departmentId: h.demo.departmentId, supervisorId: supervisor.id });
    const specs = [
      { subject: "low-soon", priority: "LOW", dueAt: inDays(1) },
      { subject: "normal-late", priority: "NORMAL", dueAt: inDays(9) },
      { subject: "urgent-late", priority: "URGENT", dueAt: inDays(8) },
      { subject: "normal-soon", priority: "NORMAL", dueAt: inDays(2) },
      { subject: "high", priority: "HIGH", dueAt: inDays(5) },
      { subject: "urgent-soon", priority: "URGENT", dueAt: inDays(3) },
      { subject: "normal-mid", priority: "NORMAL", dueAt: inDays(4) },
    ];
    const ids: Record<string, string> = {};
    for (const spec of specs) {
      const res = await h.call<LetterBody>("POST", "/api/letters", { token: registry.token, body: { ...spec, direction: "INCOMING", assigneeId: who.id } });
      ids[spec.subject] = res.body.id;
    }
    // One accepted letter leaves the for-action box for the in-progress box.
    await act(who, ids["normal-mid"]!, "accept");

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/api/letters?box=for-action&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const res: { status: number; body: { items: { subject: string }[]; nextCursor: string | null } } = await h.call("GET", query, { token: who.token });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((l) => l.subject));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(["urgent-soon", "urgent-late", "high", "normal-soon", "normal-late", "low-soon"]);

    const inProgress = await h.call<{ items: { subject: string }[] }>("GET", "/api/letters?box=in-progress", { token: who.token });
    expect(inProgress.body.items.map((l) => l.subject)).toEqual(["normal-mid"]);
    const overdue = await h.call<{ items: unknown[] }>("GET", "/api/letters?box=overdue", { token: who.token });
    expect(overdue.body.items).toEqual([]);
    const awaiting = await h.call<{ items: LetterBody[] }>("GET", "/api/letters?box=awaiting-approval", { token: who.token });
    expect(awaiting.body.items).toEqual([]);
  });

  it("list a letter awaiting approval for its approver until it is approved, then as handled", async () => {
    // A supervisor and officer of their own, so the boxes hold only this letter.
    const approver = await h.addPerson({ agencyId: h.demo.agencyId, email: "supervisor.f@demo.go.tz", roles: ["supervisor"], departmentId: h.demo.departmentId });
    const writer = await h.addPerson({ agencyId: h.demo.agencyId, email: "officer.f@demo.go.tz", roles: ["officer"], departmentId: h.demo.departmentId, supervisorId: approver.id });
    const reg = await h.call<LetterBody>("POST", "/api/letters", {
      token: registry.token,
      body: { subject: "Ombi la kibali cha safari", direction: "INCOMING", assigneeId: writer.id, requiresApproval: true },
    });
    expect(reg.status).toBe(201);
    const box = async (person: Person, name: string) => {
      const res = await h.call<{ items: (LetterBody & { subject: string })[]; nextCursor: string | null }>("GET", `/api/letters?box=${name}`, { token: person.token });
      expect(res.status).toBe(200);
      return res.body;
    };
    expect((await box(approver, "awaiting-approval")).items).toEqual([]);

    await act(writer, reg.body.id, "accept");
    expect((await act(writer, reg.body.id, "submit")).body).toMatchObject({ status: "AWAITING_APPROVAL", approverId: approver.id });
    const awaiting = await box(approver, "awaiting-approval");
    expect(awaiting.items.map((l) => [l.id, l.subject, l.status])).toEqual([[reg.body.id, "Ombi la kibali cha safari", "AWAITING_APPROVAL"]]);
    expect(awaiting.nextCursor).toBeNull();
    // It waits in the approver's box, not the writer's.
    expect((await box(writer, "awaiting-approval")).items).toEqual([]);
    expect((await box(approver, "handled")).items).toEqual([]);

    expect((await act(approver, reg.body.id, "approve")).body).toMatchObject({ status: "CLOSED" });
    expect((await box(approver, "awaiting-approval")).items).toEqual([]);
    expect((await box(approver, "handled")).items.map((l) => [l.id, l.status])).toEqual([[reg.body.id, "CLOSED"]]);
  });

  it("refuses an unknown box and a cursor of another list", async () => {
    expect((await h.call("GET", "/api/letters?box=everything", { token: officerA.token })).status).toBe(400);
    const forged = Buffer.from(JSON.stringify({ pk: "x", sk: "y", gsi1pk: "AGENCY#other#BOX#u#for-action", gsi1sk: "z" })).toString("base64url");
    expect((await h.call("GET", `/api/letters?cursor=${forged}`, { token: officerA.token })).status).toBe(400);
  });
});

describe("overdue", () => {
  it("the workflow's mark puts a letter in the overdue box and count; extending takes it out", async () => {
    const late = await h.addPerson({ agencyId: h.demo.agencyId, email: "officer.e@demo.go.tz", roles: ["officer"], departmentId: h.demo.departmentId, supervisorId: supervisor.id });
    const reg = await h.call<LetterBody>("POST", "/api/letters", { token: registry.token, body: { subject: "Imechelewa", direction: "INCOMING", assigneeId: late.id, dueInDays: 1 } });
    const audit = new AuditStore(h.doc, h.tables.audit);
    const store = new LetterStore(h.doc, h.tables.letters, {
      audit,
      stats: new StatsStore(h.doc, h.tables.stats),
      files: new FileStore(h.doc, h.tables.files, audit),
    });
    const afterDue = new Date(Date.parse(reg.body.dueAt) + 60_000);
    const early = await store.markOverdue(h.demo.agencyId, reg.body.id, { now: new Date(), timezone: "Africa/Dar_es_Salaam" });
    expect(early).toBeNull();
    const marked = await store.markOverdue(h.demo.agencyId, reg.body.id, { now: afterDue, timezone: "Africa/Dar_es_Salaam" });
    expect(marked).toMatchObject({ overdue: true, version: 2 });
    expect(await store.markOverdue(h.demo.agencyId, reg.body.id, { now: afterDue, timezone: "Africa/Dar_es_Salaam" })).toBeNull();
    expect(await counts(late)).toEqual({ forAction: 1, inProgress: 0, overdue: 1, awaitingApproval: 0 });
    const box = await h.call<{ items: LetterBody[] }>("GET", "/api/letters?box=overdue", { token: late.token });
    expect(box.body.items.map((l) => l.id)).toEqual([reg.body.id]);

    await act(supervisor, reg.body.id, "extend", { dueAt: inDays(4) });
    expect(await counts(late)).toEqual({ forAction: 1, inProgress: 0, overdue: 0, awaitingApproval: 0 });
    expect((await h.call<{ items: LetterBody[] }>("GET", "/api/letters?box=overdue", { token: late.token })).body.items).toEqual([]);
    expect((await h.call("GET", `/api/audit/verify?entity=letter&id=${reg.body.id}`, { token: registry.token })).body).toEqual({ valid: true, entries: 3 });
  });
});

describe("bad input", () => {
  it("is a 4xx naming the problem and writes nothing", async () => {
    const before = await h.snapshot();
    const past = new Date(Date.now() - 60_000).toISOString();
    const cases: { body?: unknown; raw?: string; headers?: Record<string, string>; status: number; field?: string; token?: string }[] = [
      { body: { direction: "INCOMING", assigneeId: officerA.id }, status: 400, field: "subject" },
      { body: { subject: "x", direction: "SIDEWAYS", assigneeId: officerA.id }, status: 400, field: "direction" },
      { body: { subject: "x", direction: "INCOMING", assigneeId: "nobody" }, status: 400, field: "assigneeId" },
      { body: { subject: "x", direction: "INCOMING", assigneeId: officerA.id, dueAt: past }, status: 400, field: "dueAt" },
      { body: { subject: "x", direction: "INCOMING", assigneeId: officerA.id, dueAt: "tomorrow" }, status: 400, field: "dueAt" },
      { body: { subject: "x", direction: "INCOMING", assigneeId: officerA.id, dueAt: inDays(3), dueInDays: 3 }, status: 400, field: "dueInDays" },
      { body: { subject: "x", direction: "INCOMING", assigneeId: officerA.id, fileId: "no-such-file" }, status: 400, field: "fileId" },
      { body: { subject: "x", direction: "INCOMING", assigneeId: officerA.id, priority: "ASAP" }, status: 400, field: "priority" },
      { body: { subject: "x", direction: "INCOMING", assigneeId: officerA.id, extra: 1 }, status: 400 },
      { raw: "{not json", headers: { "content-type": "application/json" }, status: 400 },
      { body: { subject: "x", direction: "INCOMING", assigneeId: officerA.id }, headers: { "content-type": "text/plain" }, status: 415 },
      { body: { subject: "x", direction: "INCOMING", assigneeId: officerA.id }, headers: { "idempotency-key": "has spaces" }, status: 400 },
      { body: { subject: "x", direction: "INCOMING", assigneeId: officerA.id }, token: officerA.token, status: 403 },
    ];
    for (const c of cases) {
      const res = await h.call("POST", "/api/letters", { token: c.token ?? registry.token, body: c.body, raw: c.raw, headers: c.headers });
      expect(res.status, `${JSON.stringify(c.body ?? c.raw)} -> ${res.text}`).toBe(c.status);
      if (c.field) expect(field<{ path: string }[]>(res.body, "error", "details")?.[0]?.path).toBe(c.field);
    }
    const fileCases = [
      { title: "", departmentId: h.demo.departmentId },
      { title: "x", departmentId: "no-such-department" },
      { title: "x", departmentId: h.demo.departmentId, classification: "SECRET" },
    ];
    for (const body of fileCases) expect((await h.call("POST", "/api/files", { token: registry.token, body })).status).toBe(400);
    expect((await h.call("POST", "/api/files", { token: officerA.token, body: { title: "x", departmentId: h.demo.departmentId } })).status).toBe(403);
    expect(await h.snapshot()).toEqual(before);
  });
});

describe("files", () => {
  it("a closed file takes no new letters (409) until it is reopened; versions are checked", async () => {
    const file = await h.call<{ id: string; version: number; status: string }>("POST", "/api/files", {
      token: registry.token,
      body: { title: "Mikataba", departmentId: h.demo.departmentId, classification: "OPEN", description: "Mikataba ya wazabuni" },
    });
    expect(file.body).toMatchObject({ status: "OPEN", version: 1 });
    expect((await h.call("POST", `/api/files/${file.body.id}/close`, { token: registry.token, body: { version: 5 } })).status).toBe(409);
    const closed = await h.call<{ status: string; version: number }>("POST", `/api/files/${file.body.id}/close`, { token: registry.token, body: { version: 1 } });
    expect(closed.body).toMatchObject({ status: "CLOSED", version: 2 });
    const again = await h.call("POST", `/api/files/${file.body.id}/close`, { token: registry.token });
    expect(field(again.body, "error", "code")).toBe("INVALID_TRANSITION");

    const refused = await h.call("POST", "/api/letters", { token: registry.token, body: { subject: "x", direction: "INCOMING", assigneeId: officerA.id, fileId: file.body.id } });
    expect([refused.status, field(refused.body, "error", "code")]).toEqual([409, "CONFLICT"]);

    expect((await h.call("POST", `/api/files/${file.body.id}/reopen`, { token: officerA.token })).status).toBe(403);
    expect((await h.call("POST", `/api/files/${file.body.id}/reopen`, { token: registry.token })).status).toBe(200);
    const filed = await h.call<LetterBody>("POST", "/api/letters", { token: registry.token, body: { subject: "x", direction: "INCOMING", assigneeId: officerA.id, fileId: file.body.id } });
    expect(filed.body).toMatchObject({ folio: 1, fileId: file.body.id, status: "FOR_ACTION" });

    const closedList = await h.call<{ items: { id: string }[] }>("GET", `/api/files?status=OPEN&departmentId=${h.demo.departmentId}`, { token: registry.token });
    expect(closedList.body.items.map((f) => f.id)).toContain(file.body.id);
    const none = await h.call<{ items: { id: string }[] }>("GET", "/api/files?status=CLOSED", { token: registry.token });
    expect(none.body.items.map((f) => f.id)).not.toContain(file.body.id);
  });

  it("take a cursor back only for the list it came from: another status's is a 400 naming the cursor", async () => {
    type FilePage = { items: { id: string; status: string }[]; nextCursor: string | null };
    for (const title of ["Jalada la kwanza", "Jalada la pili", "Jalada la tatu"]) {
      await h.call("POST", "/api/files", { token: registry.token, body: { title, departmentId: h.demo.departmentId } });
    }
    const shut = await h.call<{ id: string }>("POST", "/api/files", { token: registry.token, body: { title: "Jalada lililofungwa", departmentId: h.demo.departmentId } });
    await h.call("POST", `/api/files/${shut.body.id}/close`, { token: registry.token });
    const list = (query: string) => h.call<FilePage>("GET", `/api/files?${query}`, { token: registry.token });
    const cursorOf = async (query: string, limit = 1) => {
      const page = await list(`${query}&limit=${limit}`);
      expect(page.status).toBe(200);
      expect(page.body.nextCursor).toEqual(expect.any(String));
      return encodeURIComponent(page.body.nextCursor ?? "");
    };
    // The unfiltered list holds the closed files first (by status, then reference): a cursor past them stops at an open one.
    const closedCount = (await list("status=CLOSED&limit=100")).body.items.length;
    const all = await cursorOf("", closedCount + 1);
    const open = await cursorOf("status=OPEN");
    const openInDepartment = await cursorOf(`status=OPEN&departmentId=${h.demo.departmentId}`);

    // Each goes on in its own list.
    const next = await list(`status=OPEN&limit=2&cursor=${open}`);
    expect([next.status, next.body.items.length, next.body.items.every((f) => f.status === "OPEN")]).toEqual([200, 2, true]);
    expect((await list(`limit=2&cursor=${all}`)).status).toBe(200);

    for (const [query, cursor] of [
      ["status=CLOSED", all],
      ["status=CLOSED", open],
      [`status=CLOSED&departmentId=${h.demo.departmentId}`, openInDepartment],
    ]) {
      const res = await list(`${query}&cursor=${cursor}`);
      expect([res.status, field(res.body, "error", "code"), field(res.body, "error", "details", "0", "path")], query).toEqual([400, "VALIDATION_FAILED", "cursor"]);
    }
    // The closed file is still listed where it belongs.
    expect((await list("status=CLOSED&limit=100")).body.items.map((f) => f.id)).toContain(shut.body.id);
  });
});
