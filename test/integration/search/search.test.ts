import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditStore } from "../../../functions/store/audit";
import { FileStore } from "../../../functions/store/files";
import { LetterStore } from "../../../functions/store/letters";
import { StatsStore } from "../../../functions/store/stats";
import { DEMO, inDays, type LetterBody, type Person } from "../letters/harness";
import { startSearchHarness, titles, type SearchHarness } from "./harness";

/**
 * `GET /api/search` over letters and files registered through the real route groups and indexed
 * by the real indexer behind the stream poller: every term, the last as a prefix, filters, newest
 * first, references first, pages, and updates of status and minutes.
 */

let h: SearchHarness;
let registry: Person;
let officerA: Person;
let fileId = "";
const ids: Record<string, LetterBody> = {};

async function register(name: string, body: Record<string, unknown>): Promise<LetterBody> {
  const res = await h.call<LetterBody>("POST", "/api/letters", {
    token: registry.token,
    body: { direction: "INCOMING", assigneeId: officerA.id, classification: "OPEN", dueAt: inDays(7), ...body },
  });
  if (res.status !== 201) throw new Error(`register ${name}: ${res.status} ${res.text}`);
  ids[name] = res.body;
  return res.body;
}

beforeAll(async () => {
  h = await startSearchHarness("search");
  registry = await h.person(DEMO.registry);
  officerA = await h.person(DEMO.officerA);
  const file = await h.call<{ id: string; reference: string }>("POST", "/api/files", {
    token: registry.token,
    body: { title: "Vifaa vya Kompyuta na Mtandao", departmentId: h.demo.departmentId, classification: "OPEN" },
  });
  fileId = file.body.id;
  await register("supplies", {
    subject: "Kibali cha vifaa vya ofisi",
    sender: { name: "Asha Mwinyi", organisation: "Halmashauri ya Wilaya ya Kongwa", reference: "HWK/VF/12" },
    summary: "Maombi ya karatasi na wino wa printa",
  });
  await register("car", { subject: "Kibali cha gari la safari ya Mtwara", sender: { name: "Juma Hassan", organisation: "TANROADS" } });
  await register("report", { subject: "Taarifa ya vifaa vilivyopokelewa", summary: "Supply of office equipment received in good order" });
  await register("english", { subject: "Request for computer equipment", sender: { name: "Grace Mollel", organisation: "Ministry of Water" }, fileId });
  await h.indexed();
});

afterAll(async () => {
  await h?.stop();
});

describe("search", () => {
  it("needs every term, and takes the last one as a prefix while it is being typed", async () => {
    expect(titles((await h.search(officerA, { q: "kibali vifaa" })).body)).toEqual(["Kibali cha vifaa vya ofisi"]);
    expect(titles((await h.search(officerA, { q: "kibali vif" })).body)).toEqual(["Kibali cha vifaa vya ofisi"]);
    expect(titles((await h.search(officerA, { q: "kib" })).body)).toEqual(["Kibali cha gari la safari ya Mtwara", "Kibali cha vifaa vya ofisi"]);
    expect(titles((await h.search(officerA, { q: "kibali kompyuta" })).body)).toEqual([]);
  });

  it("finds words of the sender, the organisation and the summary, in either language, whatever the case and accents", async () => {
    expect(titles((await h.search(officerA, { q: "KONGWA" })).body)).toEqual(["Kibali cha vifaa vya ofisi"]);
    expect(titles((await h.search(officerA, { q: "juma hass" })).body)).toEqual(["Kibali cha gari la safari ya Mtwara"]);
    expect(titles((await h.search(officerA, { q: "wino printa" })).body)).toEqual(["Kibali cha vifaa vya ofisi"]);
    expect(titles((await h.search(officerA, { q: "the equipment" })).body)).toEqual([
      "Request for computer equipment",
      "Taarifa ya vifaa vilivyopokelewa",
    ]);
    expect(titles((await h.search(officerA, { q: "Mtwára" })).body)).toEqual(["Kibali cha gari la safari ya Mtwara"]);
  });

  it("returns letters and files newest first, with the fields of the contract, and filters by kind", async () => {
    const all = (await h.search(officerA, { q: "vifaa" })).body;
    expect(titles(all)).toEqual(["Taarifa ya vifaa vilivyopokelewa", "Kibali cha vifaa vya ofisi", "Vifaa vya Kompyuta na Mtandao"]);
    const file = all.items.at(-1);
    expect(file).toEqual({ kind: "file", id: fileId, reference: expect.stringMatching(/^DEMO\/ADM\//), title: "Vifaa vya Kompyuta na Mtandao", date: expect.any(String), status: "OPEN", overdue: false });
    const dates = all.items.map((i) => i.date);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(titles((await h.search(officerA, { q: "vifaa", kind: "file" })).body)).toEqual(["Vifaa vya Kompyuta na Mtandao"]);
    expect(titles((await h.search(officerA, { q: "vifaa", kind: "letter" })).body)).toHaveLength(2);
  });

  it("filters by status and by dates in the agency's time zone", async () => {
    const today = new Date().toLocaleDateString("en-CA", { timeZone: "Africa/Dar_es_Salaam" });
    expect(titles((await h.search(officerA, { q: "vifaa", from: today, to: today, kind: "letter" })).body)).toHaveLength(2);
    expect(titles((await h.search(officerA, { q: "vifaa", to: "2020-01-01" })).body)).toEqual([]);
    expect(titles((await h.search(officerA, { q: "vifaa", from: "2999-01-01" })).body)).toEqual([]);
    expect(titles((await h.search(officerA, { q: "vifaa", status: "OPEN" })).body)).toEqual(["Vifaa vya Kompyuta na Mtandao"]);
    expect(titles((await h.search(officerA, { q: "vifaa", status: "CLOSED" })).body)).toEqual([]);
  });

  it("puts the letter whose reference is typed whole first, then the letters that mention it", async () => {
    const target = ids.car;
    if (!target) throw new Error("no letter");
    await register("reply", { subject: "Jibu la kibali cha gari", summary: `Rejea barua yenu ${target.reference}` });
    await h.indexed();
    const page = (await h.search(officerA, { q: target.reference.toLowerCase() })).body;
    expect(page.items[0]?.id).toBe(target.id);
    expect(page.items.map((i) => i.id)).toContain(ids.reply?.id);
    expect(new Set(page.items.map((i) => i.id)).size).toBe(page.items.length);
    // A file's reference finds the file first.
    const file = (await h.search(officerA, { q: "vifaa", kind: "file" })).body.items[0];
    expect(file).toBeDefined();
    expect((await h.search(officerA, { q: file?.reference ?? "" })).body.items[0]).toMatchObject({ kind: "file", id: fileId });
    // The sender's own reference number finds the letter too.
    expect(titles((await h.search(officerA, { q: "hwk/vf/12" })).body)[0]).toBe("Kibali cha vifaa vya ofisi");
  });

  it("pages through results without gaps or repeats", async () => {
    for (let i = 1; i <= 7; i++) await register(`page${i}`, { subject: `Mwaliko wa mkutano wa bajeti ${i}` });
    await h.indexed();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await h.search(officerA, { q: "mwaliko bajeti", limit: 3, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...titles(res.body));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1].map((i) => `Mwaliko wa mkutano wa bajeti ${i}`));
    expect(pages).toBe(3);
  });

  it("indexes a change: the new status, and the words of a new minute", async () => {
    const letter = ids.supplies;
    if (!letter) throw new Error("no letter");
    expect((await h.call("POST", `/api/letters/${letter.id}/accept`, { token: officerA.token, body: {} })).status).toBe(200);
    expect(
      (await h.call("POST", `/api/letters/${letter.id}/minute`, { token: officerA.token, body: { text: "Nimewasiliana na mzabuni wa stationery" } })).status,
    ).toBe(200);
    await h.indexed();
    const found = (await h.search(officerA, { q: "mzabuni stationery" })).body.items;
    expect(found.map((i) => [i.id, i.status])).toEqual([[letter.id, "IN_PROGRESS"]]);
    expect((await h.search(officerA, { q: "kongwa", status: "FOR_ACTION" })).body.items).toEqual([]);
    expect((await h.search(officerA, { q: "kongwa", status: "IN_PROGRESS" })).body.items.map((i) => i.id)).toEqual([letter.id]);
  });

  it("marks a letter overdue in its results once the workflow flags it, and no longer once its due date is extended", async () => {
    const letter = ids.car;
    if (!letter) throw new Error("no letter");
    const audit = new AuditStore(h.doc, h.tables.audit);
    const letters = new LetterStore(h.doc, h.tables.letters, { audit, stats: new StatsStore(h.doc, h.tables.stats), files: new FileStore(h.doc, h.tables.files, audit) });
    const overdueOf = async () => (await h.search(officerA, { q: "mtwara" })).body.items.map((i) => [i.id, i.overdue]);
    expect(await overdueOf()).toEqual([[letter.id, false]]);
    // The workflow's timer, eight days on (the letter was due in seven).
    expect(await letters.markOverdue(h.demo.agencyId, letter.id, { now: new Date(Date.now() + 8 * 86_400_000), timezone: "Africa/Dar_es_Salaam" })).not.toBeNull();
    await h.indexed();
    expect(await overdueOf()).toEqual([[letter.id, true]]);
    expect((await h.call("POST", `/api/letters/${letter.id}/extend`, { token: registry.token, body: { dueAt: inDays(30) } })).status).toBe(200);
    await h.indexed();
    expect(await overdueOf()).toEqual([[letter.id, false]]);
  });

  it("refuses bad parameters with 400 VALIDATION_FAILED", async () => {
    const page = (await h.search(officerA, { q: "vifaa", limit: 1 })).body;
    expect(page.nextCursor).not.toBeNull();
    const bad: Record<string, string | number>[] = [
      {},
      { q: "   " },
      { q: "vifaa", limit: 101 },
      { q: "vifaa", limit: 0 },
      { q: "vifaa", kind: "memo" },
      { q: "vifaa", status: "LOST" },
      { q: "vifaa", from: "2026-13-01" },
      { q: "vifaa", from: "2026-05-02", to: "2026-05-01" },
      { q: "vifaa", sort: "oldest" },
      { q: "vifaa", cursor: "not-a-cursor" },
      // A cursor belongs to its query.
      { q: "kibali", cursor: page.nextCursor ?? "" },
      { q: "x".repeat(201) },
    ];
    for (const params of bad) {
      const res = await h.search(officerA, params);
      expect([res.status, res.text], JSON.stringify(params)).toEqual([400, expect.stringContaining("VALIDATION_FAILED")]);
    }
  });

  it("answers 401 without a valid token", async () => {
    expect((await h.search({ ...officerA, token: "" }, { q: "vifaa" })).status).toBe(401);
    expect((await h.search({ ...officerA, token: "not.a.token" }, { q: "vifaa" })).status).toBe(401);
  });
});

describe("dates in an agency west of UTC (America/Lima, UTC-5)", () => {
  let lima: { agencyId: string; departmentId: string };
  let officer: Person;
  const letters: LetterBody[] = [];
  /** Lima's calendar date of an instant, and a date `days` away from a date. */
  const limaDate = (instant: string) => new Date(instant).toLocaleDateString("en-CA", { timeZone: "America/Lima" });
  const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    lima = await h.addAgency("LIMA", "lima.gob.pe");
    await h.directory.putSettings(lima.agencyId, { ...(await h.directory.getSettings(lima.agencyId)), timezone: "America/Lima" });
    const clerk = await h.addPerson({ agencyId: lima.agencyId, email: "registro@lima.gob.pe", roles: ["registry"], departmentId: lima.departmentId });
    officer = await h.addPerson({ agencyId: lima.agencyId, email: "oficial@lima.gob.pe", roles: ["officer"], departmentId: lima.departmentId });
    for (const subject of ["Presupuesto anual de obras", "Presupuesto de limpieza"]) {
      const res = await h.call<LetterBody>("POST", "/api/letters", {
        token: clerk.token,
        body: { subject, direction: "INCOMING", assigneeId: officer.id, classification: "OPEN", dueAt: inDays(7) },
      });
      expect(res.status).toBe(201);
      letters.push(res.body);
    }
    await h.indexed();
  });

  it("takes dates as Lima's days and instants as instants, both ends inclusive", async () => {
    const all = (await h.search(officer, { q: "presupuesto" })).body.items;
    expect(all.map((i) => i.id).sort()).toEqual(letters.map((l) => l.id).sort());
    const newest = all[0];
    if (!newest) throw new Error("nothing indexed");
    const day = limaDate(newest.date);
    const ids = async (params: Record<string, string>) => {
      const res = await h.search(officer, { q: "presupuesto", ...params });
      expect(res.status, res.text).toBe(200);
      return res.body.items.map((i) => i.id);
    };
    expect(await ids({ from: day, to: day })).toHaveLength(2);
    expect(await ids({ to: addDays(day, -1) })).toEqual([]);
    expect(await ids({ from: addDays(day, 1) })).toEqual([]);
    expect(await ids({ from: newest.date, to: newest.date })).toEqual([newest.id]);
    expect(await ids({ from: new Date(Date.parse(newest.date) + 1).toISOString() })).toEqual([]);
    // An instant with an offset and a date of Lima: from 09:00Z to the end of Lima's day (05:00Z the next day).
    expect(await ids({ from: "2026-05-01T12:00:00+03:00", to: "2026-05-01" })).toEqual([]);
    expect(await ids({ from: `${day}T00:00:00-05:00`, to: day })).toHaveLength(2);
  });

  it("refuses from after to, as Lima's days compare with instants, with a 400 naming both", async () => {
    // 1 May in Lima starts at 05:00Z, after 02:00Z that day: in UTC's days the two would look in order.
    for (const params of [
      { from: "2026-05-01", to: "2026-05-01T02:00:00Z" },
      { from: "2026-05-02", to: "2026-05-01" },
      { from: "2026-05-01T00:00:00-05:00", to: "2026-05-01T04:59:59.999Z" },
    ]) {
      const res = await h.search(officer, { q: "presupuesto", ...params });
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(res.body).toMatchObject({
        error: { code: "VALIDATION_FAILED", details: [{ path: "from" }, { path: "to" }], message: expect.stringContaining("America/Lima") },
      });
    }
  });

  it("refuses a cursor whose position was moved before from, rather than querying backwards", async () => {
    const day = limaDate(new Date().toISOString());
    const from = addDays(day, -1);
    const first = await h.search(officer, { q: "presupuesto", from, limit: 1 });
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const cursor = JSON.parse(Buffer.from(first.body.nextCursor ?? "", "base64url").toString("utf8")) as { p: string };
    const moved = Buffer.from(JSON.stringify({ ...cursor, p: "2000-01-01T00:00:00.000Z#letter#x" })).toString("base64url");
    const res = await h.search(officer, { q: "presupuesto", from, limit: 1, cursor: moved });
    expect([res.status, res.text]).toEqual([400, expect.stringContaining("VALIDATION_FAILED")]);
    // The cursor as given goes on to the other letter.
    expect((await h.search(officer, { q: "presupuesto", from, limit: 1, cursor: first.body.nextCursor ?? "" })).body.items).toHaveLength(1);
  });
});
