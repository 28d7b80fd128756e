import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCalendarDays } from "../../../functions/core/dashboard";
import { localDate } from "../../../functions/core/records";
import { DEMO, inDays, type LetterBody, type Person } from "../letters/harness";
import { startDashboardHarness, type DashboardHarness } from "./harness";

/**
 * `GET /api/dashboard`: the caller's counters as the transitions left them, at every step of a
 * letter's life, read in at most two DynamoDB requests.
 */

let h: DashboardHarness;
let registry: Person;
let officerA: Person;
let supervisor: Person;

beforeAll(async () => {
  h = await startDashboardHarness("dashboard");
  registry = await h.person(DEMO.registry);
  officerA = await h.person(DEMO.officerA);
  supervisor = await h.person(DEMO.supervisor);
});
afterAll(async () => {
  await h?.stop();
});

async function register(assignee: Person, body: Record<string, unknown> = {}): Promise<LetterBody> {
  const res = await h.call<LetterBody>("POST", "/api/letters", {
    token: registry.token,
    body: { subject: "Ombi la dashibodi", direction: "INCOMING", assigneeId: assignee.id, requiresApproval: true, ...body },
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function act(who: Person, letterId: string, action: string, body: Record<string, unknown> = {}) {
  const res = await h.call<LetterBody>("POST", `/api/letters/${letterId}/${action}`, { token: who.token, body });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

describe("the officer's dashboard follows a letter through its life", () => {
  it("for action, in progress, overdue, awaiting approval and handled move at each step", async () => {
    // Prepare: where the seed left the two people.
    const a0 = await h.dashboard(officerA.token);
    const s0 = await h.dashboard(supervisor.token);

    // Act and assess, step by step.
    const letter = await register(officerA);
    let a = await h.dashboard(officerA.token);
    expect(a.forAction).toBe(a0.forAction + 1);

    await act(officerA, letter.id, "accept");
    a = await h.dashboard(officerA.token);
    expect([a.forAction, a.inProgress]).toEqual([a0.forAction, a0.inProgress + 1]);

    // The workflow timer marks it overdue (as issue 5's timer does, through the store).
    const marked = await h.letters.markOverdue(h.demo.agencyId, letter.id, { now: new Date(Date.parse(letter.dueAt) + 1000), timezone: "Africa/Dar_es_Salaam" });
    expect(marked?.overdue).toBe(true);
    a = await h.dashboard(officerA.token);
    expect(a.overdue).toBe(a0.overdue + 1);
    expect(a.inProgress).toBe(a0.inProgress + 1);

    // An extension clears the flag.
    await act(supervisor, letter.id, "extend", { dueAt: inDays(20) });
    a = await h.dashboard(officerA.token);
    expect(a.overdue).toBe(a0.overdue);

    await act(officerA, letter.id, "submit");
    a = await h.dashboard(officerA.token);
    let s = await h.dashboard(supervisor.token);
    expect(a.inProgress).toBe(a0.inProgress);
    expect(a.handled.today).toBe(a0.handled.today + 1);
    expect(a.handled.week).toBe(a0.handled.week + 1);
    expect(a.handled.month).toBe(a0.handled.month + 1);
    expect(a.daily.at(-1)?.handled).toBe((a0.daily.at(-1)?.handled ?? 0) + 1);
    expect(s.awaitingApproval).toBe(s0.awaitingApproval + 1);

    await act(supervisor, letter.id, "approve");
    s = await h.dashboard(supervisor.token);
    expect(s.awaitingApproval).toBe(s0.awaitingApproval);
    expect(s.handled.today).toBe(s0.handled.today + 1);
  });

  it("gives 30 days ending today in the agency's time zone, oldest first", async () => {
    const d = await h.dashboard(officerA.token);
    const today = localDate(new Date(), "Africa/Dar_es_Salaam");
    expect(d.daily).toHaveLength(30);
    expect(d.daily.map((e) => e.date)).toEqual(Array.from({ length: 30 }, (_, i) => addCalendarDays(today, i - 29)));
    expect(d.handled.today).toBe(d.daily.at(-1)?.handled);
  });

  it("counts an overdue letter reassigned to another officer in the new officer's overdue tile", async () => {
    const officerB = await h.person(DEMO.officerB);
    const a0 = await h.dashboard(officerA.token);
    const b0 = await h.dashboard(officerB.token);
    const letter = await register(officerA);
    await h.letters.markOverdue(h.demo.agencyId, letter.id, { now: new Date(Date.parse(letter.dueAt) + 1000), timezone: "Africa/Dar_es_Salaam" });
    await act(registry, letter.id, "reassign", { to: officerB.id, reason: "Imefika kwa afisa asiyehusika" });
    const [a, b] = [await h.dashboard(officerA.token), await h.dashboard(officerB.token)];
    expect([a.forAction, a.overdue]).toEqual([a0.forAction, a0.overdue]);
    expect([b.forAction, b.overdue]).toEqual([b0.forAction + 1, b0.overdue + 1]);
    // Nobody handled anything by the reassignment.
    expect(a.handled.today).toBe(a0.handled.today);
  });

  it("a new user sees zeros, and a caller without a token is refused", async () => {
    const newcomer = await h.addPerson({ agencyId: h.demo.agencyId, email: "mgeni@demo.go.tz", roles: ["officer"], departmentId: h.demo.departmentId });
    const d = await h.dashboard(newcomer.token);
    expect(d).toMatchObject({ forAction: 0, inProgress: 0, overdue: 0, awaitingApproval: 0, handled: { today: 0, week: 0, month: 0 } });
    expect(d.daily.every((e) => e.handled === 0)).toBe(true);
    expect((await h.call("GET", "/api/dashboard")).status).toBe(401);
  });

  it("answers in at most two DynamoDB requests, however many letters the officer has", async () => {
    for (let i = 0; i < 5; i++) await register(officerA);
    await h.dashboard(officerA.token); // the token check's directory read is cached from here on
    let requests = 0;
    const name = "count-dashboard-requests";
    h.handlerDoc.middlewareStack.add(
      (next) => async (args) => {
        requests += 1;
        return next(args);
      },
      { step: "initialize", name },
    );
    try {
      const d = await h.dashboard(officerA.token);
      expect(d.forAction).toBeGreaterThanOrEqual(5);
    } finally {
      h.handlerDoc.middlewareStack.remove(name);
    }
    expect(requests).toBeGreaterThan(0);
    expect(requests).toBeLessThanOrEqual(2);
  });
});
