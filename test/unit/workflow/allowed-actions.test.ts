import { describe, expect, it } from "vitest";
import { allowedActions, LETTER_ACTIONS, transition, type ActionInput, type LetterAction } from "../../../functions/core/letters";
import { RuleError } from "../../../functions/core/records";
import { actor, letterIn, NOW, PEOPLE, type Person } from "../letters/fixtures";

/** The actions the letter page offers are exactly those the transition table accepts. */

const INPUTS: Record<LetterAction, ActionInput> = {
  accept: { action: "accept" },
  minute: { action: "minute", text: "Tafadhali shughulikia" },
  forward: { action: "forward", to: "B" },
  reassign: { action: "reassign", to: "B", reason: "Imepelekwa kimakosa" },
  submit: { action: "submit" },
  approve: { action: "approve" },
  reject: { action: "reject", note: "Rekebisha" },
  complete: { action: "complete" },
  extend: { action: "extend", dueAt: "2026-06-30T07:00:00.000Z" },
};

describe("allowedActions", () => {
  it("agrees with transition for every person, state and action", () => {
    const letters = [
      letterIn("FOR_ACTION"),
      letterIn("IN_PROGRESS"),
      letterIn("IN_PROGRESS", { requiresApproval: true }),
      letterIn("AWAITING_APPROVAL"),
      letterIn("CLOSED"),
    ];
    for (const letter of letters) {
      for (const person of Object.keys(PEOPLE) as Person[]) {
        const allowed = allowedActions(letter, actor(person), "S");
        for (const action of LETTER_ACTIONS) {
          let accepted = true;
          try {
            transition(letter, actor(person), INPUTS[action], { now: NOW, assigneeSupervisorId: "S" });
          } catch (error) {
            if (!(error instanceof RuleError)) throw error;
            accepted = false;
          }
          expect(allowed.includes(action), `${person} ${action} on ${letter.status}`).toBe(accepted);
        }
      }
    }
  });

  it("gives the assignee of a letter for action accept, minute, forward and reassign; the registry reassign and extend", () => {
    expect(allowedActions(letterIn("FOR_ACTION"), actor("A"), "S")).toEqual(["accept", "minute", "forward", "reassign"]);
    expect(allowedActions(letterIn("FOR_ACTION"), actor("R"), "S")).toEqual(["minute", "reassign", "extend"]);
  });

  it("offers no submit when the assignee has no supervisor to approve", () => {
    expect(allowedActions(letterIn("IN_PROGRESS"), actor("A"), null)).not.toContain("submit");
  });
});
