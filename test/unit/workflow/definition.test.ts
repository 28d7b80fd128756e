import { readFileSync } from "node:fs";
import { join } from "node:path";
import validator from "asl-validator";
import { describe, expect, it } from "vitest";
import { LETTER_WORKFLOW_DEFINITION, WORKFLOW_FUNCTIONS } from "../../../functions/workflow/functions";
import { fileURLToPath } from "node:url";
import { loadDefinition, UnsupportedConstructError, type State } from "../../../local/sfn";

type TaskState = Extract<State, { type: "Task" }>;
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The letter workflow's one definition: valid ASL, inside the local engine's subset, in the shape of DESIGN.md section 5. */
const text = readFileSync(join(ROOT, LETTER_WORKFLOW_DEFINITION), "utf8");
const substitutions = Object.fromEntries(WORKFLOW_FUNCTIONS.map((f) => [f.placeholder, `arn:aws:lambda:af-south-1:000000000000:function:${f.placeholder}`]));
const definition = loadDefinition(text, substitutions);
const task = (name: string): TaskState => {
  const state: State | undefined = definition.states[name];
  if (state?.type !== "Task") throw new Error(`${name} is not a Task`);
  return state;
};

describe("statemachines/letter-workflow.asl.json", () => {
  it("is valid Amazon States Language once the CDK has substituted the function ARNs", () => {
    const result = validator(JSON.parse(definition.text));
    expect(result.errorsText()).toBe("");
    expect(result.isValid).toBe(true);
  });

  it("uses only the subset the local engine implements (it refuses anything else at load)", () => {
    expect(definition.startAt).toBe("PlanNextWait");
    // The same loader refuses a construct outside the subset, so the check above means something.
    const withMap = JSON.parse(text) as { States: Record<string, unknown> };
    withMap.States.Fanout = { Type: "Map", End: true, ItemProcessor: { StartAt: "X", States: { X: { Type: "Succeed" } } } };
    expect(() => loadDefinition(withMap, substitutions)).toThrow(UnsupportedConstructError);
  });

  it("has a function for every placeholder and a placeholder for every function", () => {
    const used = new Set([...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(WORKFLOW_FUNCTIONS.map((f) => f.placeholder).sort());
  });

  it("waits for the decision with a task token, for as long as the plan says, and handles the timeout", () => {
    const wait = task("WaitForDecision");
    expect(wait.waitForTaskToken).toBe(true);
    expect(wait.timeoutSecondsPath).toBe("$.plan.seconds");
    expect(wait.catch[0]).toMatchObject({ errorEquals: ["States.Timeout"], next: "HandleTimer" });
    expect(task("HandleTimer").next).toBe("PlanNextWait");
  });

  it("retries transient task errors with backoff and records any other failure before failing", () => {
    for (const name of ["PlanNextWait", "WaitForDecision", "HandleTimer"]) {
      const state = task(name);
      const transient = state.retry.find((r) => r.errorEquals.includes("States.TaskFailed"));
      expect(transient?.maxAttempts, name).toBeGreaterThanOrEqual(3);
      expect(transient?.backoffRate, name).toBeGreaterThan(1);
      // Retrying cannot bring back a missing letter: those go straight to the failure record.
      expect(state.retry.find((r) => r.errorEquals.includes("LetterMissing"))?.maxAttempts, name).toBe(0);
      expect(state.catch.at(-1), name).toMatchObject({ errorEquals: ["States.ALL"], next: "RecordFailure" });
    }
    expect(task("RecordFailure").next).toBe("Failed");
    expect(definition.states.Failed?.type).toBe("Fail");
  });
});
