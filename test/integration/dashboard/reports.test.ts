import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDate } from "../../../functions/core/records";
import { DEMO, type LetterBody, type Person } from "../letters/harness";
import { startDashboardHarness, type DashboardHarness } from "./harness";

/**
 * `GET /api/dashboard/department` (one row per officer) and `GET /api/reports/handled` (JSON and
 * CSV): who may see what, the numbers, and bad parameters.
 */

interface DepartmentRow {
  officerId: string;
  name: string;
  forAction: number;
  inProgress: number;
  overdue: number;
  awaitingApproval: number;
  handled: { today: number; week: number; month: number };
}

interface ReportRow {
  officerId: string;
  officer: string;
  department: string | null;
  handled: number;
  averageHandleSeconds: number | null;
  overdue: number;
  handledLate: number;
}

let h: DashboardHarness;
let registry: Person;
let officerA: Person;
let officerB: Person;
let supervisor: Person;
let admin: Person;
let otherDepartment: string;
let foreignSupervisor: Person;
let foreignAdmin: Person;
const today = () => localDate(new Date(), "Africa/Dar_es_Salaam");

beforeAll(async () => {
  h = await startDashboardHarness("dash-reports");
  [registry, officerA, officerB, supervisor, admin] = await Promise.all([
    h.person(DEMO.registry),
    h.person(DEMO.officerA),
    h.person(DEMO.officerB),
    h.person(DEMO.supervisor),
    h.person(DEMO.admin),
  ]);
  otherDepartment = (await h.directory.createDepartment(h.demo.agencyId, { code: "FED", name: "Fedha" })).id;
  const foreign = await h.addAgency("NJE", "nje.go.tz");
  foreignSupervisor = await h.addPerson({ agencyId: foreign.agencyId, email: "msimamizi@nje.go.tz", roles: ["supervisor"], departmentId: foreign.departmentId });
  foreignAdmin = await h.addPerson({ agencyId: foreign.agencyId, email: "admin@nje.go.tz", roles: ["admin"], departmentId: null });
});
afterAll(async () => {
  await h?.stop();
});

async function handledLetter(officer: Person): Promise<void> {
  const created = await h.call<LetterBody>("POST", "/api/letters", {
    token: registry.token,
    body: { subject: "Ripoti", direction: "INCOMING", assigneeId: officer.id, requiresApproval: true },
  });
  expect(created.status).toBe(201);
  for (const action of ["accept", "submit"]) {
    const res = await h.call("POST", `/api/letters/${created.body.id}/${action}`, { token: officer.token, body: {} });
    expect(res.status, res.text).toBe(200);
  }
}

describe("department view", () => {
  it("shows the supervisor one row per officer of the department, with their counters", async () => {
    await handledLetter(officerB);
    const res = await h.call<{ department: { id: string }; items: DepartmentRow[] }>("GET", "/api/dashboard/department", { token: supervisor.token });
    expect(res.status).toBe(200);
    expect(res.body.department.id).toBe(h.demo.departmentId);
    const names = res.body.items.map((r) => r.officerId);
    expect(names).toContain(officerA.id);
    expect(names).toContain(officerB.id);
    expect(new Set(names).size).toBe(names.length);
    const rowB = res.body.items.find((r) => r.officerId === officerB.id);
    const ownB = await h.dashboard(officerB.token);
    expect(rowB).toMatchObject({ forAction: ownB.forAction, inProgress: ownB.inProgress, overdue: ownB.overdue, handled: ownB.handled });
    expect(rowB?.handled.today).toBeGreaterThanOrEqual(1);
  });

  it("lets an administrator choose the department, and refuses everyone else", async () => {
    expect((await h.call("GET", `/api/dashboard/department?departmentId=${h.demo.departmentId}`, { token: admin.token })).status).toBe(200);
    const empty = await h.call<{ items: DepartmentRow[] }>("GET", `/api/dashboard/department?departmentId=${otherDepartment}`, { token: admin.token });
    expect(empty.status).toBe(200);
    expect(empty.body.items).toEqual([]);
    expect((await h.call("GET", `/api/dashboard/department?departmentId=${otherDepartment}`, { token: supervisor.token })).status).toBe(403);
    expect((await h.call("GET", "/api/dashboard/department", { token: officerA.token })).status).toBe(403);
    expect((await h.call("GET", "/api/dashboard/department", { token: registry.token })).status).toBe(403);
    expect((await h.call("GET", "/api/dashboard/department")).status).toBe(401);
  });

  it("answers 404 for a department of another agency, and 400 for a malformed id or unknown parameter", async () => {
    const foreign = await h.call("GET", `/api/dashboard/department?departmentId=${h.demo.departmentId}`, { token: foreignAdmin.token });
    expect(foreign.status).toBe(404);
    const report = await h.call("GET", `/api/reports/handled?departmentId=${h.demo.departmentId}`, { token: foreignAdmin.token });
    expect(report.status).toBe(404);
    const mine = await h.call<{ items: DepartmentRow[] }>("GET", "/api/dashboard/department", { token: foreignSupervisor.token });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((r) => r.officerId)).toEqual([foreignSupervisor.id]);
    expect((await h.call("GET", "/api/dashboard/department?departmentId=nope-0000", { token: admin.token })).status).toBe(404);
    expect((await h.call("GET", "/api/dashboard/department?departmentId=%24%24", { token: admin.token })).status).toBe(400);
    expect((await h.call("GET", "/api/dashboard/department?dept=x", { token: supervisor.token })).status).toBe(400);
  });
});

describe("handled report", () => {
  it("gives per officer what they handled in the range, with the average time to handle", async () => {
    await handledLetter(officerA);
    const res = await h.call<{ from: string; to: string; items: ReportRow[] }>("GET", `/api/reports/handled?from=${today()}&to=${today()}`, {
      token: supervisor.token,
    });
    expect(res.status).toBe(200);
    expect([res.body.from, res.body.to]).toEqual([today(), today()]);
    const rowA = res.body.items.find((r) => r.officerId === officerA.id);
    expect(rowA?.handled).toBeGreaterThanOrEqual(1);
    expect(rowA?.averageHandleSeconds).toEqual(expect.any(Number));
    expect(rowA?.averageHandleSeconds).toBeLessThan(600); // handled within the test's minute
    expect(rowA?.department).toBe((await h.directory.getDepartment(h.demo.agencyId, h.demo.departmentId))?.name);
    expect(rowA).toMatchObject({ overdue: 0, handledLate: 0 });

    // A range before anything happened has rows of zeros.
    const past = await h.call<{ items: ReportRow[] }>("GET", "/api/reports/handled?from=2020-01-01&to=2020-01-31", { token: supervisor.token });
    expect(past.body.items.find((r) => r.officerId === officerA.id)).toMatchObject({ handled: 0, averageHandleSeconds: null });
  });

  it("downloads as CSV with a header line and one line per officer", async () => {
    const res = await h.call("GET", `/api/reports/handled?from=${today()}&to=${today()}&format=csv`, { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toContain(`handled-${today()}-${today()}.csv`);
    const lines = res.text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("officer,email,department,handled,average_time_to_handle_hours,overdue,handled_late");
    const lineA = lines.find((l) => l.includes(DEMO.officerA));
    expect(lineA?.split(",")[3]).not.toBe("0");
  });

  it("covers the whole agency for an administrator, and the own department for a supervisor", async () => {
    const outsider = await h.addPerson({ agencyId: h.demo.agencyId, email: "mhasibu@demo.go.tz", roles: ["officer"], departmentId: otherDepartment });
    const all = await h.call<{ items: ReportRow[] }>("GET", "/api/reports/handled", { token: admin.token });
    expect(all.body.items.map((r) => r.officerId)).toContain(outsider.id);
    const own = await h.call<{ items: ReportRow[] }>("GET", "/api/reports/handled", { token: supervisor.token });
    expect(own.body.items.map((r) => r.officerId)).not.toContain(outsider.id);
    const chosen = await h.call<{ items: ReportRow[] }>("GET", `/api/reports/handled?departmentId=${otherDepartment}`, { token: admin.token });
    expect(chosen.body.items.map((r) => r.officerId)).toEqual([outsider.id]);
    expect((await h.call("GET", `/api/reports/handled?departmentId=${otherDepartment}`, { token: supervisor.token })).status).toBe(403);
  });

  it("refuses officers and the registry, and bad parameters with 400", async () => {
    expect((await h.call("GET", "/api/reports/handled", { token: officerA.token })).status).toBe(403);
    expect((await h.call("GET", "/api/reports/handled", { token: registry.token })).status).toBe(403);
    expect((await h.call("GET", "/api/reports/handled")).status).toBe(401);
    for (const query of ["from=2026-05-02&to=2026-05-01", "from=2026-02-30", "from=yesterday", "format=xml", "from=2024-01-01&to=2026-01-01", "limit=5"]) {
      const res = await h.call<{ error: { code: string } }>("GET", `/api/reports/handled?${query}`, { token: supervisor.token });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
  });
});
