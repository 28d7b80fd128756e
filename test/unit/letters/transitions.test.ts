import { describe, expect, it } from "vitest";
import {
  LETTER_ACTIONS,
  LETTER_STATUSES,
  markOverdue,
  registerLetter,
  transition,
  type ActionInput,
  type LetterAction,
  type LetterStatus,
  type OpenDelta,
} from "../../../functions/core/letters";
import { RuleError } from "../../../functions/core/records";
import { NOW, PEOPLE, actor, letterIn, type Person } from "./fixtures";

/**
 * The complete table of DESIGN.md section 4: every actor × every state × every action. The
 * expectations are written out here, independently of the rules in core, so a change to the rules
 * that is not also a change here fails.
 */

const INPUTS: Record<LetterAction, ActionInput> = {
  accept: { action: "accept" },
  minute: { action: "minute", text: "Tafadhali shughulikia" },
  forward: { action: "forward", to: "B" },
  reassign: { action: "reassign", to: "B", reason: "Imefika kwa afisa asiyehusika" },
  submit: { action: "submit" },
  approve: { action: "approve" },
  reject: { action: "reject", note: "Rekebisha aya ya pili" },
  complete: { action: "complete" },
  extend: { action: "extend", dueAt: "2026-06-30T07:00:00.000Z" },
};

/** Who may take each action (the letter is held by A, registered by R, previously held by C; S is A's supervisor). */
const WHO: Record<LetterAction, readonly Person[]> = {
  accept: ["A"],
  minute: ["A", "C", "R", "S", "T"],
  forward: ["A"],
  reassign: ["A", "R", "S", "M"],
  submit: ["A"],
  approve: ["S"],
  reject: ["S"],
  complete: ["A"],
  extend: ["S", "T", "R"],
};

/** The state each action leads to, from each state it is allowed in. */
const TO: Record<LetterAction, Partial<Record<LetterStatus, LetterStatus>>> = {
  accept: { FOR_ACTION: "IN_PROGRESS" },
  minute: { FOR_ACTION: "FOR_ACTION", IN_PROGRESS: "IN_PROGRESS", AWAITING_APPROVAL: "AWAITING_APPROVAL" },
  forward: { FOR_ACTION: "FOR_ACTION", IN_PROGRESS: "FOR_ACTION" },
  reassign: { FOR_ACTION: "FOR_ACTION", IN_PROGRESS: "FOR_ACTION" },
  submit: { IN_PROGRESS: "AWAITING_APPROVAL" },
  approve: { AWAITING_APPROVAL: "CLOSED" },
  reject: { AWAITING_APPROVAL: "IN_PROGRESS" },
  complete: { IN_PROGRESS: "CLOSED" },
  extend: { FOR_ACTION: "FOR_ACTION", IN_PROGRESS: "IN_PROGRESS", AWAITING_APPROVAL: "AWAITING_APPROVAL" },
};

const HANDLED: Record<LetterAction, boolean> = {
  accept: false,
  minute: false,
  forward: true,
  reassign: false,
  submit: true,
  approve: true,
  reject: true,
  complete: true,
  extend: false,
};

function outcome(fn: () => unknown): string {
  try {
    fn();
    return "ok";
  } catch (error) {
    if (error instanceof RuleError) return error.code;
    throw error;
  }
}

const ctx = { now: NOW, assigneeSupervisorId: "S" };
const people = Object.keys(PEOPLE).filter((p) => p !== "B") as Person[];

describe("transition table: actor × state × action", () => {
  for (const action of LETTER_ACTIONS) {
    for (const state of LETTER_STATUSES) {
      for (const person of people) {
        const allowed = WHO[action].includes(person);
        const to = TO[action][state];
        const expected = !allowed ? "FORBIDDEN" : to === undefined ? "INVALID_TRANSITION" : "ok";
        it(`${action} by ${person} on ${state} -> ${expected === "ok" ? to : expected}`, () => {
          const letter = letterIn(state);
          expect(outcome(() => transition(letter, actor(person), INPUTS[action], ctx))).toBe(expected);
          if (expected === "ok") {
            const result = transition(letter, actor(person), INPUTS[action], ctx);
            expect(result.letter.status).toBe(to);
            expect(result.letter.version).toBe(letter.version + 1);
            expect(result.event).toMatchObject({ action, actorId: person, fromStatus: state, toStatus: to, version: 5 });
            expect(result.handledBy).toBe(HANDLED[action] ? person : undefined);
            // The fixture letter reached A at its registration, 8 days before NOW, and is not yet due.
            const handled = { userId: person, at: NOW.toISOString(), heldSeconds: 8 * 86_400, late: false };
            expect(result.deltas.handled).toEqual(HANDLED[action] ? [handled] : []);
          }
        });
      }
    }
  }
});

function sorted(deltas: OpenDelta[]): OpenDelta[] {
  return [...deltas].sort((a, b) => `${a.userId}${a.counter}`.localeCompare(`${b.userId}${b.counter}`));
}

describe("what each transition does to the letter and the counters", () => {
  it("accept moves A's count from for-action to in-progress", () => {
    const r = transition(letterIn("FOR_ACTION"), actor("A"), INPUTS.accept, ctx);
    expect(sorted(r.deltas.open)).toEqual([
      { userId: "A", counter: "forAction", by: -1 },
      { userId: "A", counter: "inProgress", by: 1 },
    ]);
  });

  it("forward hands the letter to B, adds B to the chain, and counts as handled by A", () => {
    const r = transition(letterIn("IN_PROGRESS"), actor("A"), INPUTS.forward, ctx);
    expect(r.letter).toMatchObject({ assigneeId: "B", status: "FOR_ACTION", chain: ["R", "C", "A", "B"] });
    expect(r.event).toMatchObject({ previousAssigneeId: "A", assigneeId: "B" });
    expect(sorted(r.deltas.open)).toEqual([
      { userId: "A", counter: "inProgress", by: -1 },
      { userId: "B", counter: "forAction", by: 1 },
    ]);
  });

  it("reassign by the registry records the reason, keeps the file and history, and is not handled", () => {
    const filed = letterIn("FOR_ACTION", { fileId: "F1", folio: 3, overdue: true });
    const r = transition(filed, actor("R"), INPUTS.reassign, ctx);
    expect(r.letter).toMatchObject({ assigneeId: "B", fileId: "F1", folio: 3, reference: filed.reference, overdue: true });
    expect(r.event).toMatchObject({ action: "reassign", reason: "Imefika kwa afisa asiyehusika", previousAssigneeId: "A" });
    expect(sorted(r.deltas.open)).toEqual([
      { userId: "A", counter: "forAction", by: -1 },
      { userId: "A", counter: "overdue", by: -1 },
      { userId: "B", counter: "forAction", by: 1 },
      { userId: "B", counter: "overdue", by: 1 },
    ]);
    expect(r.handledBy).toBeUndefined();
  });

  it("forward or reassign to the current assignee is refused as bad input on `to`", () => {
    const error = (() => {
      try {
        transition(letterIn("FOR_ACTION"), actor("A"), { action: "forward", to: "A" }, ctx);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(RuleError);
    expect(error).toMatchObject({ code: "VALIDATION_FAILED", field: "to" });
  });

  it("submit makes A's supervisor the approver and moves the count to their awaiting-approval", () => {
    const r = transition(letterIn("IN_PROGRESS"), actor("A"), INPUTS.submit, ctx);
    expect(r.letter).toMatchObject({ status: "AWAITING_APPROVAL", approverId: "S", assigneeId: "A" });
    expect(r.letter.chain).toContain("S");
    expect(sorted(r.deltas.open)).toEqual([
      { userId: "A", counter: "inProgress", by: -1 },
      { userId: "S", counter: "awaitingApproval", by: 1 },
    ]);
  });

  it("submit without a supervisor in the directory is an invalid transition", () => {
    expect(outcome(() => transition(letterIn("IN_PROGRESS"), actor("A"), INPUTS.submit, { now: NOW, assigneeSupervisorId: null }))).toBe(
      "INVALID_TRANSITION",
    );
  });

  it("approve closes the letter, clears the overdue flag and both counts", () => {
    const r = transition(letterIn("AWAITING_APPROVAL", { overdue: true }), actor("S"), INPUTS.approve, ctx);
    expect(r.letter).toMatchObject({ status: "CLOSED", overdue: false, approverId: null, closedAt: NOW.toISOString() });
    expect(sorted(r.deltas.open)).toEqual([
      { userId: "A", counter: "overdue", by: -1 },
      { userId: "S", counter: "awaitingApproval", by: -1 },
    ]);
  });

  it("reject returns the letter to the same officer with the note", () => {
    const r = transition(letterIn("AWAITING_APPROVAL"), actor("S"), INPUTS.reject, ctx);
    expect(r.letter).toMatchObject({ status: "IN_PROGRESS", assigneeId: "A", approverId: null });
    expect(r.event.note).toBe("Rekebisha aya ya pili");
    expect(sorted(r.deltas.open)).toEqual([
      { userId: "A", counter: "inProgress", by: 1 },
      { userId: "S", counter: "awaitingApproval", by: -1 },
    ]);
  });

  it("complete is refused when approval is required", () => {
    expect(outcome(() => transition(letterIn("IN_PROGRESS", { requiresApproval: true }), actor("A"), INPUTS.complete, ctx))).toBe(
      "INVALID_TRANSITION",
    );
    const r = transition(letterIn("IN_PROGRESS"), actor("A"), INPUTS.complete, ctx);
    expect(r.letter.status).toBe("CLOSED");
    expect(r.deltas.open).toEqual([{ userId: "A", counter: "inProgress", by: -1 }]);
  });

  it("extend sets the new due date and clears the overdue flag; a past date is bad input", () => {
    const r = transition(letterIn("IN_PROGRESS", { overdue: true }), actor("T"), INPUTS.extend, ctx);
    expect(r.letter).toMatchObject({ dueAt: "2026-06-30T07:00:00.000Z", overdue: false });
    expect(r.deltas.open).toEqual([{ userId: "A", counter: "overdue", by: -1 }]);
    expect(outcome(() => transition(letterIn("IN_PROGRESS"), actor("T"), { action: "extend", dueAt: "2026-05-01T00:00:00Z" }, ctx))).toBe(
      "VALIDATION_FAILED",
    );
  });

  it("minute keeps the state, adds the author to the chain and moves no counter", () => {
    const r = transition(letterIn("FOR_ACTION"), actor("T"), INPUTS.minute, ctx);
    expect(r.minute).toEqual({ version: 5, at: NOW.toISOString(), authorId: "T", text: "Tafadhali shughulikia" });
    expect(r.letter.chain).toContain("T");
    expect(r.deltas.open).toEqual([]);
  });

  it("a stale version is a conflict before anything else is checked", () => {
    expect(outcome(() => transition(letterIn("FOR_ACTION"), actor("X"), INPUTS.accept, { ...ctx, expectedVersion: 3 }))).toBe("CONFLICT");
    expect(outcome(() => transition(letterIn("FOR_ACTION"), actor("A"), INPUTS.accept, { ...ctx, expectedVersion: 4 }))).toBe("ok");
  });

  it("markOverdue flags an open letter past its due date once, and counts it for the assignee", () => {
    const late = new Date("2026-05-26T00:00:00Z");
    const r = markOverdue(letterIn("IN_PROGRESS"), late);
    expect(r?.letter.overdue).toBe(true);
    expect(r?.deltas.open).toEqual([{ userId: "A", counter: "overdue", by: 1 }]);
    expect(markOverdue(letterIn("IN_PROGRESS", { overdue: true }), late)).toBeNull();
    expect(markOverdue(letterIn("CLOSED"), late)).toBeNull();
    expect(markOverdue(letterIn("IN_PROGRESS"), NOW)).toBeNull();
  });
});

describe("registering a letter", () => {
  const base = {
    id: "L9",
    agencyId: "AG",
    reference: "DEMO/IN/2026/0009",
    direction: "INCOMING" as const,
    subject: "Barua mpya",
    classification: "OPEN" as const,
    priority: "HIGH" as const,
    assigneeId: "A",
    departmentId: "D1",
    dueAt: "2026-05-25T07:00:00Z",
    requiresApproval: true,
  };

  it("starts FOR_ACTION at version 1 with the registrar and assignee in the chain and one for-action count", () => {
    const r = registerLetter(base, actor("R"), NOW);
    expect(r.letter).toMatchObject({ status: "FOR_ACTION", version: 1, chain: ["R", "A"], dueAt: "2026-05-25T07:00:00.000Z", overdue: false });
    expect(r.event).toMatchObject({ action: "register", fromStatus: null, toStatus: "FOR_ACTION" });
    expect(r.deltas).toEqual({ open: [{ userId: "A", counter: "forAction", by: 1 }], handled: [], markedOverdue: [] });
  });

  it("lets officers register outgoing and internal letters but not incoming ones", () => {
    expect(outcome(() => registerLetter(base, actor("A"), NOW))).toBe("FORBIDDEN");
    expect(outcome(() => registerLetter({ ...base, direction: "OUTGOING" }, actor("A"), NOW))).toBe("ok");
    expect(outcome(() => registerLetter({ ...base, direction: "INTERNAL" }, actor("S"), NOW))).toBe("ok");
    expect(outcome(() => registerLetter({ ...base, direction: "INTERNAL" }, actor("M"), NOW))).toBe("FORBIDDEN");
  });

  it("refuses a due date that is not in the future", () => {
    expect(outcome(() => registerLetter({ ...base, dueAt: NOW.toISOString() }, actor("R"), NOW))).toBe("VALIDATION_FAILED");
  });
});
