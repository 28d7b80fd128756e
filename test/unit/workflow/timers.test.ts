import { describe, expect, it } from "vitest";
import { dueTimerEvent, MAX_WAIT_SECONDS, overdueSpell, planNextWait, timerNotice } from "../../../functions/core/letter-timers";
import type { HistoryEvent, Letter } from "../../../functions/core/letters";
import { letterIn } from "../letters/fixtures";

/**
 * The workflow's timer decisions (PlanNextWait, HandleTimer) with an injected clock. Settings:
 * reminders every 24 hours, escalation 3 days after the due date. The fixture letter is due
 * 2026-05-25T07:00Z.
 */
const SETTINGS = { reminderIntervalHours: 24, escalateAfterDays: 3 };
const DUE = Date.parse("2026-05-25T07:00:00.000Z");
const at = (hoursAfterDue: number) => new Date(DUE + hoursAfterDue * 3_600_000);

function event(action: HistoryEvent["action"], version: number, when: Date): HistoryEvent {
  return { version, at: when.toISOString(), actorId: "system", action, fromStatus: "IN_PROGRESS", toStatus: "IN_PROGRESS", assigneeId: "A" };
}

/** An in-progress letter that went overdue at the due date (the mark is version 5). */
function overdueLetter(extra: HistoryEvent[] = []): { letter: Letter; history: HistoryEvent[] } {
  const history = [event("accept", 4, new Date(DUE - 86_400_000)), event("markOverdue", 5, at(0)), ...extra];
  return { letter: letterIn("IN_PROGRESS", { overdue: true, version: 5 + extra.length }), history };
}

describe("planNextWait: how long the workflow waits", () => {
  it("waits until the due date for a letter that is not overdue", () => {
    const plan = planNextWait(letterIn("IN_PROGRESS"), [], SETTINGS, at(-48));
    expect(plan).toMatchObject({ closed: false, reason: "due", seconds: 48 * 3600, version: 4 });
    expect(plan.wakeAt).toBe("2026-05-25T07:00:00.000Z");
  });

  it("waits at least a second, so a timer that is due fires at once", () => {
    expect(planNextWait(letterIn("FOR_ACTION"), [], SETTINGS, at(5)).seconds).toBe(1);
  });

  it("ends the workflow for a closed letter", () => {
    expect(planNextWait(letterIn("CLOSED"), [], SETTINGS, at(-1))).toMatchObject({ closed: true, reason: "closed" });
  });

  it("waits for the next reminder, reminderIntervalHours after the last notice, once overdue", () => {
    const { letter, history } = overdueLetter();
    expect(planNextWait(letter, history, SETTINGS, at(1))).toMatchObject({ reason: "reminder", seconds: 23 * 3600 });
    const reminded = overdueLetter([event("remind", 6, at(24))]);
    expect(planNextWait(reminded.letter, reminded.history, SETTINGS, at(30))).toMatchObject({ reason: "reminder", seconds: 18 * 3600 });
  });

  it("wakes for the escalation when it comes before the next reminder, and not again once escalated", () => {
    const settings = { reminderIntervalHours: 48, escalateAfterDays: 1 };
    const { letter, history } = overdueLetter();
    expect(planNextWait(letter, history, settings, at(2))).toMatchObject({ reason: "escalation", seconds: 22 * 3600 });
    const escalated = overdueLetter([event("escalate", 6, at(24))]);
    expect(planNextWait(escalated.letter, escalated.history, settings, at(25))).toMatchObject({ reason: "reminder", seconds: 23 * 3600 });
  });

  it("follows an extension: the new due date, not the old reminders", () => {
    const { history } = overdueLetter([event("extend", 6, at(10))]);
    const extended = letterIn("IN_PROGRESS", { overdue: false, dueAt: at(72).toISOString(), version: 6 });
    expect(planNextWait(extended, history, SETTINGS, at(10))).toMatchObject({ reason: "due", seconds: 62 * 3600 });
  });

  it("never waits longer than Step Functions allows", () => {
    const farAway = letterIn("FOR_ACTION", { dueAt: "2030-01-01T00:00:00.000Z" });
    expect(planNextWait(farAway, [], SETTINGS, new Date("2026-05-18T07:00:00.000Z")).seconds).toBe(MAX_WAIT_SECONDS);
  });
});

describe("dueTimerEvent: what the timer records when it fires", () => {
  it("marks an open letter overdue once its due date has passed, and nothing before", () => {
    expect(dueTimerEvent(letterIn("FOR_ACTION"), [], SETTINGS, at(-0.01))).toBeNull();
    expect(dueTimerEvent(letterIn("FOR_ACTION"), [], SETTINGS, at(0))).toBe("markOverdue");
    expect(dueTimerEvent(letterIn("CLOSED"), [], SETTINGS, at(100))).toBeNull();
  });

  it("reminds when the interval since the last notice has passed", () => {
    const { letter, history } = overdueLetter();
    expect(dueTimerEvent(letter, history, SETTINGS, at(23.9))).toBeNull();
    expect(dueTimerEvent(letter, history, SETTINGS, at(24))).toBe("remind");
    const reminded = overdueLetter([event("remind", 6, at(24))]);
    expect(dueTimerEvent(reminded.letter, reminded.history, SETTINGS, at(47))).toBeNull();
    expect(dueTimerEvent(reminded.letter, reminded.history, SETTINGS, at(48))).toBe("remind");
  });

  it("escalates once after escalateAfterDays, then only reminds", () => {
    const reminders = [event("remind", 6, at(24)), event("remind", 7, at(48))];
    const { letter, history } = overdueLetter(reminders);
    expect(dueTimerEvent(letter, history, SETTINGS, at(71))).toBeNull();
    expect(dueTimerEvent(letter, history, SETTINGS, at(72))).toBe("escalate");
    const escalated = overdueLetter([...reminders, event("escalate", 8, at(72))]);
    expect(dueTimerEvent(escalated.letter, escalated.history, SETTINGS, at(72))).toBe("remind");
    const all = overdueLetter([...reminders, event("escalate", 8, at(72)), event("remind", 9, at(72))]);
    expect(dueTimerEvent(all.letter, all.history, SETTINGS, at(95))).toBeNull();
  });

  it("turns a run of reminders missed during an outage into one reminder", () => {
    const { letter, history } = overdueLetter([event("escalate", 6, at(72))]);
    expect(dueTimerEvent(letter, history, SETTINGS, at(24 * 10))).toBe("remind");
    const caughtUp = overdueLetter([event("escalate", 6, at(72)), event("remind", 7, at(240))]);
    expect(dueTimerEvent(caughtUp.letter, caughtUp.history, SETTINGS, at(241))).toBeNull();
  });

  it("starts a new overdue spell after an extension: reminders and the escalation again", () => {
    const before = [event("escalate", 6, at(72)), event("extend", 7, at(80))];
    const newDue = at(100);
    const history = [...overdueLetter(before).history, event("markOverdue", 8, newDue)];
    const letter = letterIn("IN_PROGRESS", { overdue: true, dueAt: newDue.toISOString(), version: 8 });
    expect(overdueSpell(letter, history)).toEqual({ lastNoticeAt: newDue.toISOString(), escalated: false });
    expect(dueTimerEvent(letter, history, SETTINGS, at(100 + 72))).toBe("escalate");
  });
});

describe("timerNotice: a reminder or escalation as a change of the letter", () => {
  it("moves only the version, records who is to be told and moves no counter", () => {
    const { letter } = overdueLetter();
    const result = timerNotice(letter, "escalate", at(72), "S");
    expect(result.letter).toEqual({ ...letter, version: letter.version + 1, updatedAt: at(72).toISOString() });
    expect(result.event).toMatchObject({ action: "escalate", actorId: "system", assigneeId: "A", supervisorId: "S", dueAt: letter.dueAt, version: 6 });
    expect(result.deltas).toEqual({ open: [], handled: [], markedOverdue: [] });
    expect(timerNotice(letter, "remind", at(24), null).event).not.toHaveProperty("supervisorId");
  });
});
