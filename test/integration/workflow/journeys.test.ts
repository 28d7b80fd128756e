import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../letters/harness";
import { after, HOUR, startWorkflowHarness, type WorkflowHarness } from "./harness";

/**
 * Whole letter journeys through the API, the letter workflow on the local engine and the
 * notifications consumer, with due times of seconds and the engine's clock moved for the hours
 * and days of reminders and escalations.
 */

let h: WorkflowHarness;
let officerC: Person;

beforeAll(async () => {
  h = await startWorkflowHarness("wf-journeys");
  officerC = await h.addPerson({
    agencyId: h.demo.agencyId,
    email: "officer.c@demo.go.tz",
    roles: ["officer"],
    departmentId: h.demo.departmentId,
    supervisorId: h.people.supervisor.id,
  });
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

/** The hops of a letter: action, who did it, from whom to whom, and why. */
function hops(history: { action: string; actorId: string; previousAssigneeId?: string; assigneeId: string; reason?: string; note?: string }[]) {
  return history.map((e) => [e.action, e.actorId, e.previousAssigneeId ?? null, e.assigneeId, e.reason ?? e.note ?? null]);
}

/** The mails a person got about one letter (the seed's letters mail the demo officers too). */
async function mailAbout(person: Person, reference: string) {
  await h.drained();
  return h.mailbox.list({ to: person.email }).filter((m) => `${m.subject}\n${m.text ?? ""}`.includes(reference));
}

describe("letter journeys through the workflow", () => {
  it("a misrouted letter is re-assigned twice, by its wrong recipient and by the registry, then completed", async () => {
    const { registry, officerA, officerB } = h.people;
    const letter = await h.register(registry, { assigneeId: officerA.id, dueAt: after(h, 5 * 24 * HOUR), subject: "Maombi ya ajira ya muda" });
    await h.settled(letter.id);
    expect((await h.letter(officerA, letter.id)).allowedActions).toContain("reassign");

    const first = await h.act(officerA, letter.id, "reassign", { to: officerB.id, reason: "Si la idara yangu; ni la Baraka" });
    expect(first.status).toBe(200);
    await h.settled(letter.id);
    const second = await h.act(registry, letter.id, "reassign", { to: officerC.id, reason: "Afisa C ndiye mhusika wa ajira" });
    expect(second.status).toBe(200);
    await h.settled(letter.id);

    expect((await h.act(officerC, letter.id, "accept")).status).toBe(200);
    await h.settled(letter.id);
    const done = await h.act(officerC, letter.id, "complete");
    expect(done.body).toMatchObject({ status: "CLOSED" });
    await h.settled(letter.id);
    expect((await h.execution(letter.id))?.status).toBe("SUCCEEDED");

    const page = await h.letter(registry, letter.id);
    expect(hops(page.history)).toEqual([
      ["register", registry.id, null, officerA.id, null],
      ["reassign", officerA.id, officerA.id, officerB.id, "Si la idara yangu; ni la Baraka"],
      ["reassign", registry.id, officerB.id, officerC.id, "Afisa C ndiye mhusika wa ajira"],
      ["accept", officerC.id, null, officerC.id, null],
      ["complete", officerC.id, null, officerC.id, null],
    ]);
    // Each wrong and right recipient was told once that the letter is theirs.
    expect(await mailAbout(officerB, letter.reference)).toHaveLength(1);
    expect(await mailAbout(officerC, letter.reference)).toHaveLength(1);
  });

  it("every actor allowed to re-assign can, each hop reaching the same execution; anyone else is refused", async () => {
    const { registry, supervisor, admin, officerA, officerB } = h.people;
    // OPEN, so that the administrator (outside the chain and the department) may read it.
    const letter = await h.register(registry, { assigneeId: officerA.id, dueAt: after(h, 5 * 24 * HOUR), classification: "OPEN" });
    await h.settled(letter.id);
    const started = (await h.execution(letter.id))?.startDate;

    const moves: [Person, Person][] = [
      [officerA, officerB], // the assignee
      [supervisor, officerA], // the assignee's supervisor
      [admin, officerB], // the agency administrator
      [registry, officerA], // the registry
    ];
    for (const [by, to] of moves) {
      const res = await h.act(by, letter.id, "reassign", { to: to.id, reason: `Hamishia kwa ${to.email}` });
      expect(res.status, by.email).toBe(200);
      await h.settled(letter.id);
    }
    // Officer B held it before but is no longer its assignee.
    expect((await h.act(officerB, letter.id, "reassign", { to: officerC.id, reason: "Jaribio" })).status).toBe(403);
    expect((await h.letter(officerB, letter.id)).allowedActions).not.toContain("reassign");

    const page = await h.letter(registry, letter.id);
    expect(page.history.filter((e) => e.action === "reassign").map((e) => [e.actorId, e.assigneeId])).toEqual(moves.map(([by, to]) => [by.id, to.id]));
    const run = await h.execution(letter.id);
    expect(run).toMatchObject({ status: "RUNNING", startDate: started });
  });

  it("a forward chain, then submit, reject, resubmit and approve", async () => {
    const { registry, supervisor, officerA, officerB } = h.people;
    const letter = await h.register(registry, { assigneeId: officerA.id, dueAt: after(h, 5 * 24 * HOUR), requiresApproval: true });
    const steps: [Person, string, Record<string, unknown>?][] = [
      [officerA, "accept"],
      [officerA, "forward", { to: officerB.id }],
      [officerB, "forward", { to: officerC.id }],
      [officerC, "accept"],
      [officerC, "submit"],
      [supervisor, "reject", { note: "Ongeza takwimu za mwaka jana" }],
      [officerC, "submit"],
      [supervisor, "approve"],
    ];
    for (const [by, action, body] of steps) {
      await h.settled(letter.id);
      const allowed = (await h.letter(by, letter.id)).allowedActions;
      expect(allowed, `${by.email} ${action}`).toContain(action);
      const res = await h.act(by, letter.id, action, body);
      expect(res.status, `${by.email} ${action}: ${res.text}`).toBe(200);
    }
    await h.settled(letter.id);
    expect((await h.execution(letter.id))?.status).toBe("SUCCEEDED");

    const page = await h.letter(registry, letter.id);
    expect(page.status).toBe("CLOSED");
    expect(page.history.map((e) => [e.action, e.actorId, e.toStatus])).toEqual([
      ["register", registry.id, "FOR_ACTION"],
      ...steps.map(([by, action]) => [
        action,
        by.id,
        { accept: "IN_PROGRESS", forward: "FOR_ACTION", submit: "AWAITING_APPROVAL", reject: "IN_PROGRESS", approve: "CLOSED" }[action],
      ]),
    ]);
    expect(page.history.find((e) => e.action === "reject")?.note).toBe("Ongeza takwimu za mwaka jana");
    // The approver was asked twice; the officer heard of the rejection.
    expect(await mailAbout(supervisor, letter.reference)).toHaveLength(2);
    expect((await mailAbout(officerC, letter.reference)).length).toBeGreaterThanOrEqual(2);
  });

  it("a letter goes overdue, gets a reminder and an escalation, is extended and closed", async () => {
    const { registry, supervisor } = h.people;
    // An officer of their own, so that the dashboard counter moves only with this letter.
    const officerA = await h.addPerson({
      agencyId: h.demo.agencyId,
      email: "officer.d@demo.go.tz",
      roles: ["officer"],
      departmentId: h.demo.departmentId,
      supervisorId: supervisor.id,
    });
    const overdueCount = async () => Number((await h.getItem("stats", `AGENCY#${h.demo.agencyId}#USER#${officerA.id}`, "OPEN"))?.overdue ?? 0);
    const letter = await h.register(registry, { assigneeId: officerA.id, dueAt: new Date(Date.now() + 2_000).toISOString(), subject: "Taarifa ya robo mwaka" });
    await h.settled(letter.id);
    expect((await h.workflowItem(letter.id))?.wakeReason).toBe("due");

    // At the due date (real seconds): flagged, counted on the dashboard, the officer is told.
    const marked = await h.eventually(letter.id, "markOverdue");
    expect(marked.overdue).toBe(true);
    expect(await overdueCount()).toBe(1);
    await h.settled(letter.id);
    expect((await h.workflowItem(letter.id))?.wakeReason).toBe("reminder");

    // A day later (the agency's default reminderIntervalHours is 24): a reminder.
    await h.advance(24 * HOUR);
    await h.eventually(letter.id, "remind");
    await h.settled(letter.id);
    expect((await h.workflowItem(letter.id))?.wakeReason).toBe("reminder");

    // Three days overdue (escalateAfterDays): the supervisor is told, the officer reminded again
    // (the reminder missed at two days while the clock jumped comes once, not twice).
    await h.advance(48 * HOUR);
    const escalated = await h.eventually(letter.id, "escalate");
    expect(escalated.history.find((e) => e.action === "escalate")).toMatchObject({ actorId: "system", assigneeId: officerA.id, supervisorId: supervisor.id });
    await h.eventually(letter.id, "remind", 2);
    await h.settled(letter.id);
    expect(await mailAbout(officerA, letter.reference)).toHaveLength(4); // for action, overdue, two reminders
    expect(await mailAbout(supervisor, letter.reference)).toHaveLength(1); // the escalation

    // Extended by the supervisor: no longer overdue, and the workflow now waits for the new due date.
    const newDue = after(h, 2 * 24 * HOUR);
    const extended = await h.act(supervisor, letter.id, "extend", { dueAt: newDue });
    expect(extended.body).toMatchObject({ overdue: false, dueAt: newDue });
    expect(await overdueCount()).toBe(0);
    await h.settled(letter.id);
    expect(await h.workflowItem(letter.id)).toMatchObject({ wakeAt: newDue, wakeReason: "due" });

    // Closed: the execution ends and no timer fires any more.
    expect((await h.act(officerA, letter.id, "accept")).status).toBe(200);
    expect((await h.act(officerA, letter.id, "complete")).status).toBe(200);
    await h.settled(letter.id);
    expect((await h.execution(letter.id))?.status).toBe("SUCCEEDED");
    const events = (await h.letter(registry, letter.id)).history.length;
    await h.advance(5 * 24 * HOUR);
    await h.drained();
    expect((await h.letter(registry, letter.id)).history).toHaveLength(events);
  });
});
