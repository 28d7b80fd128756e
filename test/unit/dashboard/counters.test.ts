import { describe, expect, it } from "vitest";
import { emptyOpenCounts, type OfficerCounters } from "../../../functions/core/dashboard";
import {
  markOverdue,
  registerLetter,
  transition,
  type ActionInput,
  type HistoryEvent,
  type Letter,
  type OpenDelta,
  type TransitionResult,
} from "../../../functions/core/letters";
import { CounterTally } from "../../../functions/core/recount";
import { localDate, RuleError } from "../../../functions/core/records";
import { actor, type Person } from "../letters/fixtures";

/**
 * The counter deltas of every transition, including the overdue flag being set and cleared,
 * reassign, forward and extend; and random journeys whose summed deltas must equal a recount
 * from the letter and its history (`core/recount`), to the second.
 */

const T0 = new Date("2026-05-18T07:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const SUPERVISOR_OF: Record<string, string | null> = { A: "S", B: "S", C: "S", S: null, T: null };
const TZ = "Africa/Dar_es_Salaam";

function sorted(deltas: OpenDelta[]): OpenDelta[] {
  return [...deltas].sort((a, b) => `${a.userId}${a.counter}`.localeCompare(`${b.userId}${b.counter}`));
}

function registered(dueAt = at(60).toISOString(), requiresApproval = true): TransitionResult {
  return registerLetter(
    {
      id: "L1",
      agencyId: "AG",
      reference: "DEMO/IN/2026/0001",
      direction: "INCOMING",
      subject: "Ombi",
      classification: "RESTRICTED",
      priority: "NORMAL",
      assigneeId: "A",
      departmentId: "D1",
      dueAt,
      requiresApproval,
    },
    actor("R"),
    T0,
  );
}

function act(letter: Letter, who: Person, input: ActionInput, now: Date): TransitionResult {
  return transition(letter, actor(who), input, { now, assigneeSupervisorId: SUPERVISOR_OF[letter.assigneeId] ?? null });
}

describe("counter deltas of the overdue flag", () => {
  it("the mark adds one overdue letter to the assignee, once, and records the mark on its day", () => {
    const letter = act(registered().letter, "A", { action: "accept" }, at(1)).letter;
    const marked = markOverdue(letter, at(61));
    expect(marked?.deltas.open).toEqual([{ userId: "A", counter: "overdue", by: 1 }]);
    expect(marked?.deltas.markedOverdue).toEqual([{ userId: "A", at: at(61).toISOString() }]);
    expect(marked && markOverdue(marked.letter, at(62))).toBeNull();
    expect(markOverdue(letter, at(59))).toBeNull(); // not yet due
  });

  it("reassigning an overdue letter moves its overdue count to the new assignee", () => {
    const overdue = markOverdue(registered().letter, at(61))?.letter as Letter;
    const r = act(overdue, "R", { action: "reassign", to: "B", reason: "Si yake" }, at(62));
    expect(sorted(r.deltas.open)).toEqual([
      { userId: "A", counter: "forAction", by: -1 },
      { userId: "A", counter: "overdue", by: -1 },
      { userId: "B", counter: "forAction", by: 1 },
      { userId: "B", counter: "overdue", by: 1 },
    ]);
    expect(r.deltas.handled).toEqual([]);
  });

  it("forwarding an overdue letter moves the count too, and is a late handled action of the sender", () => {
    const overdue = markOverdue(registered().letter, at(61))?.letter as Letter;
    const r = act(overdue, "A", { action: "forward", to: "B" }, at(90));
    expect(sorted(r.deltas.open)).toEqual([
      { userId: "A", counter: "forAction", by: -1 },
      { userId: "A", counter: "overdue", by: -1 },
      { userId: "B", counter: "forAction", by: 1 },
      { userId: "B", counter: "overdue", by: 1 },
    ]);
    expect(r.deltas.handled).toEqual([{ userId: "A", at: at(90).toISOString(), heldSeconds: 90 * 60, late: true }]);
  });

  it("extending clears the flag and takes one overdue letter off the assignee", () => {
    const overdue = markOverdue(registered().letter, at(61))?.letter as Letter;
    const r = act(overdue, "S", { action: "extend", dueAt: at(600).toISOString() }, at(62));
    expect(r.letter.overdue).toBe(false);
    expect(r.deltas.open).toEqual([{ userId: "A", counter: "overdue", by: -1 }]);
    // Due again later: it may become overdue a second time.
    expect(markOverdue(r.letter, at(601))?.deltas.open).toEqual([{ userId: "A", counter: "overdue", by: 1 }]);
  });

  it("a submitted overdue letter stays overdue for its assignee while it waits for the approver, and approval clears it", () => {
    let letter = act(registered().letter, "A", { action: "accept" }, at(1)).letter;
    letter = markOverdue(letter, at(61))?.letter as Letter;
    const submitted = act(letter, "A", { action: "submit" }, at(70));
    expect(sorted(submitted.deltas.open)).toEqual([
      { userId: "A", counter: "inProgress", by: -1 },
      { userId: "S", counter: "awaitingApproval", by: 1 },
    ]);
    const approved = act(submitted.letter, "S", { action: "approve" }, at(100));
    expect(sorted(approved.deltas.open)).toEqual([
      { userId: "A", counter: "overdue", by: -1 },
      { userId: "S", counter: "awaitingApproval", by: -1 },
    ]);
    // The approver's time to handle runs from the submission.
    expect(approved.deltas.handled).toEqual([{ userId: "S", at: at(100).toISOString(), heldSeconds: 30 * 60, late: true }]);
  });

  it("completing an overdue letter clears the flag with the in-progress count", () => {
    let letter = act(registered(at(60).toISOString(), false).letter, "A", { action: "accept" }, at(1)).letter;
    letter = markOverdue(letter, at(61))?.letter as Letter;
    const r = act(letter, "A", { action: "complete" }, at(65));
    expect(sorted(r.deltas.open)).toEqual([
      { userId: "A", counter: "inProgress", by: -1 },
      { userId: "A", counter: "overdue", by: -1 },
    ]);
  });

  it("a rejection restarts the officer's time to handle", () => {
    let letter = act(registered(at(6000).toISOString()).letter, "A", { action: "accept" }, at(5)).letter;
    letter = act(letter, "A", { action: "submit" }, at(10)).letter;
    const rejected = act(letter, "S", { action: "reject", note: "Rekebisha" }, at(40));
    expect(rejected.deltas.handled).toEqual([{ userId: "S", at: at(40).toISOString(), heldSeconds: 30 * 60, late: false }]);
    const again = act(rejected.letter, "A", { action: "submit" }, at(100));
    expect(again.deltas.handled).toEqual([{ userId: "A", at: at(100).toISOString(), heldSeconds: 60 * 60, late: false }]);
  });
});

/** A small deterministic generator (mulberry32), so a failing journey can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the Stats items hold after the deltas are ADDed (the store's `updates`, without DynamoDB). */
function applyDeltas(counters: Map<string, OfficerCounters>, result: TransitionResult): void {
  const of = (userId: string) => {
    let c = counters.get(userId);
    if (!c) counters.set(userId, (c = { open: emptyOpenCounts(), days: {} }));
    return c;
  };
  const dayOf = (userId: string, when: string) => {
    const days = of(userId).days;
    const date = localDate(new Date(when), TZ);
    return (days[date] ??= { handled: 0, heldSeconds: 0, late: 0, markedOverdue: 0 });
  };
  for (const d of result.deltas.open) of(d.userId).open[d.counter] += d.by;
  for (const h of result.deltas.handled) {
    const day = dayOf(h.userId, h.at);
    day.handled += 1;
    day.heldSeconds += h.heldSeconds;
    if (h.late) day.late += 1;
  }
  for (const m of result.deltas.markedOverdue) dayOf(m.userId, m.at).markedOverdue += 1;
}

function withoutZeros(counters: Map<string, OfficerCounters>): Record<string, OfficerCounters> {
  const out: Record<string, OfficerCounters> = {};
  for (const [userId, c] of counters) {
    const open = Object.values(c.open).some((n) => n !== 0);
    if (open || Object.keys(c.days).length > 0) out[userId] = c;
  }
  return out;
}

describe("random journeys: summed deltas equal the recount from the letters", () => {
  const PEOPLE: Person[] = ["A", "B", "C", "S", "T", "R"];
  const ACTIONS: ((letter: Letter, r: () => number) => ActionInput)[] = [
    () => ({ action: "accept" }),
    () => ({ action: "minute", text: "Maoni" }),
    (_l, r) => ({ action: "forward", to: ["A", "B", "C"][Math.floor(r() * 3)] ?? "A" }),
    (_l, r) => ({ action: "reassign", to: ["A", "B", "C"][Math.floor(r() * 3)] ?? "A", reason: "Si yake" }),
    () => ({ action: "submit" }),
    () => ({ action: "approve" }),
    () => ({ action: "reject", note: "Rekebisha" }),
    () => ({ action: "complete" }),
  ];

  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`journey set ${seed}: 25 letters, random actors, overdue marks and extensions over several days`, () => {
      const r = random(seed);
      const kept = new Map<string, OfficerCounters>();
      const tally = new CounterTally(TZ);
      for (let n = 0; n < 25; n++) {
        let clock = T0.getTime() + n * 3_600_000;
        const first = registerLetter(
          {
            id: `L${n}`,
            agencyId: "AG",
            reference: `DEMO/IN/2026/${n}`,
            direction: "INCOMING",
            subject: "Ombi",
            classification: "OPEN",
            priority: "NORMAL",
            assigneeId: ["A", "B", "C"][n % 3] ?? "A",
            departmentId: "D1",
            dueAt: new Date(clock + r() * 2 * 86_400_000 + 60_000).toISOString(),
            requiresApproval: r() < 0.5,
          },
          actor("R"),
          new Date(clock),
        );
        applyDeltas(kept, first);
        let letter = first.letter;
        const history: HistoryEvent[] = [first.event];
        for (let step = 0; step < 25 && letter.status !== "CLOSED"; step++) {
          clock += Math.floor(r() * 12 * 3_600_000); // up to 12 hours later, crossing local midnights
          const now = new Date(clock);
          const roll = r();
          let result: TransitionResult | null = null;
          if (roll < 0.15) {
            result = markOverdue(letter, now);
          } else if (roll < 0.22) {
            const who: Person = r() < 0.5 ? "S" : "R";
            result = act(letter, who, { action: "extend", dueAt: new Date(clock + r() * 86_400_000 + 60_000).toISOString() }, now);
          } else {
            const input = ACTIONS[Math.floor(r() * ACTIONS.length)]?.(letter, r) ?? { action: "accept" };
            // Mostly the one who holds the letter (so journeys go far), sometimes anyone (refused or not).
            const holder = (letter.status === "AWAITING_APPROVAL" ? letter.approverId : letter.assigneeId) as Person;
            const who = r() < 0.75 ? holder : (PEOPLE[Math.floor(r() * PEOPLE.length)] ?? "A");
            try {
              result = act(letter, who, input, now);
            } catch (error) {
              if (!(error instanceof RuleError)) throw error;
            }
          }
          if (!result) continue;
          applyDeltas(kept, result);
          history.push(result.event);
          letter = result.letter;
        }
        tally.add(letter, history);
      }
      expect(withoutZeros(kept)).toEqual(withoutZeros(tally.officers));
    });
  }
});
