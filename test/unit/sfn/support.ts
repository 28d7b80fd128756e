import { loadDefinition, type State } from "../../../local/sfn";
import type { ContextObject } from "../../../local/sfn/paths";

/** One state of a one-state machine, validated as the engine would load it. */
export function stateOf(body: Record<string, unknown>, extraStates: Record<string, unknown> = {}): State {
  const def = loadDefinition({ StartAt: "S", States: { S: body, ...extraStates } });
  const state = def.states.S;
  if (!state) throw new Error("state S missing");
  return state;
}

export const context = (overrides: Partial<ContextObject> = {}): ContextObject => ({
  Execution: {
    Id: "arn:aws:states:af-south-1:000000000000:execution:letters:letter-42",
    Name: "letter-42",
    Input: { letterId: "42" },
    StartTime: "2026-03-02T08:00:00.000Z",
    RoleArn: "arn:aws:iam::000000000000:role/local-stepfunctions",
    RedriveCount: 0,
  },
  StateMachine: { Id: "arn:aws:states:af-south-1:000000000000:stateMachine:letters", Name: "letters" },
  State: { Name: "S", EnteredTime: "2026-03-02T08:00:01.000Z", RetryCount: 0 },
  ...overrides,
});
