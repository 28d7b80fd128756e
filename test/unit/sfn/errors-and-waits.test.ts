import { describe, expect, it } from "vitest";
import type { TaskState } from "../../../local/sfn/definition";
import { errorMatches, handleTaskFailure, retryDelayMs, runState } from "../../../local/sfn/interpreter";
import { invokeResult, lambdaError, functionNameOf } from "../../../local/sfn/lambda";
import { context, stateOf } from "./support";

const task = (fields: Record<string, unknown>): TaskState =>
  stateOf(
    { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "fn", "Payload.$": "$" }, End: true, ...fields },
    { Recover: { Type: "Pass", End: true }, Other: { Type: "Pass", End: true } },
  ) as TaskState;

describe("Retry", () => {
  // The documentation's example: retry States.Timeout twice, 3 s then 4.5 s.
  const timeoutRetry = task({ Retry: [{ ErrorEquals: ["States.Timeout"], IntervalSeconds: 3, MaxAttempts: 2, BackoffRate: 1.5 }] });

  it("waits IntervalSeconds × BackoffRate^attempt, then gives up after MaxAttempts", () => {
    expect(handleTaskFailure(timeoutRetry, {}, "States.Timeout", "", [])).toEqual({ kind: "retry", retrierIndex: 0, delayMs: 3000 });
    expect(handleTaskFailure(timeoutRetry, {}, "States.Timeout", "", [1])).toEqual({ kind: "retry", retrierIndex: 0, delayMs: 4500 });
    expect(handleTaskFailure(timeoutRetry, {}, "States.Timeout", "", [2])).toEqual({ kind: "fail", error: "States.Timeout", cause: "" });
  });

  it("caps the delay at MaxDelaySeconds and applies full jitter below it", () => {
    const [retrier] = task({ Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 3, MaxAttempts: 10, BackoffRate: 2, MaxDelaySeconds: 8 }] }).retry;
    if (!retrier) throw new Error("no retrier");
    expect([0, 1, 2, 3].map((attempt) => retryDelayMs(retrier, attempt))).toEqual([3000, 6000, 8000, 8000]);
    expect(retryDelayMs({ ...retrier, jitter: "FULL" }, 1, () => 0.5)).toBe(3000);
  });

  it("uses the first retrier whose ErrorEquals matches and counts attempts per retrier", () => {
    const state = task({
      Retry: [
        { ErrorEquals: ["Lambda.ServiceException", "Lambda.TooManyRequestsException"], IntervalSeconds: 1, MaxAttempts: 2 },
        { ErrorEquals: ["States.ALL"], IntervalSeconds: 5, MaxAttempts: 1 },
      ],
    });
    expect(handleTaskFailure(state, {}, "Lambda.TooManyRequestsException", "", [1, 0])).toEqual({ kind: "retry", retrierIndex: 0, delayMs: 2000 });
    expect(handleTaskFailure(state, {}, "CustomError", "", [2, 0])).toEqual({ kind: "retry", retrierIndex: 1, delayMs: 5000 });
    expect(handleTaskFailure(state, {}, "Lambda.ServiceException", "boom", [2, 0])).toEqual({ kind: "fail", error: "Lambda.ServiceException", cause: "boom" });
  });

  it("never retries with MaxAttempts 0", () => {
    expect(handleTaskFailure(task({ Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 0 }] }), {}, "X", "", [])).toMatchObject({ kind: "fail" });
  });
});

describe("error names", () => {
  it("States.ALL matches everything but States.Runtime; States.TaskFailed everything but States.Timeout", () => {
    expect(errorMatches(["States.ALL"], "Lambda.Unknown")).toBe(true);
    expect(errorMatches(["States.ALL"], "States.Timeout")).toBe(true);
    expect(errorMatches(["States.ALL"], "States.Runtime")).toBe(false);
    expect(errorMatches(["States.TaskFailed"], "CustomError")).toBe(true);
    expect(errorMatches(["States.TaskFailed"], "States.Timeout")).toBe(false);
    expect(errorMatches(["Lambda.ServiceException"], "Lambda.Unknown")).toBe(false);
  });
});

describe("Catch", () => {
  it("places {Error, Cause} at the catcher's ResultPath over the state input (the docs' Catch example)", () => {
    const state = task({ Catch: [{ ErrorEquals: ["States.ALL"], Next: "Recover", ResultPath: "$.error" }] });
    expect(handleTaskFailure(state, { foo: "bar" }, "CustomError", "Error here", [])).toEqual({
      kind: "catch",
      next: "Recover",
      output: { foo: "bar", error: { Error: "CustomError", Cause: "Error here" } },
    });
  });

  it("replaces the input with the error output when the catcher has no ResultPath, and picks the first matching catcher", () => {
    const state = task({ Catch: [{ ErrorEquals: ["States.Timeout"], Next: "Other" }, { ErrorEquals: ["States.TaskFailed"], Next: "Recover" }] });
    expect(handleTaskFailure(state, { foo: "bar" }, "States.Timeout", "slow", [])).toEqual({ kind: "catch", next: "Other", output: { Error: "States.Timeout", Cause: "slow" } });
    expect(handleTaskFailure(state, { foo: "bar" }, "Oops", "x", [])).toMatchObject({ kind: "catch", next: "Recover" });
  });

  it("catches only after the retries are used up", () => {
    const state = task({ Retry: [{ ErrorEquals: ["Oops"], MaxAttempts: 1 }], Catch: [{ ErrorEquals: ["Oops"], Next: "Recover" }] });
    expect(handleTaskFailure(state, {}, "Oops", "", [])).toMatchObject({ kind: "retry" });
    expect(handleTaskFailure(state, {}, "Oops", "", [1])).toMatchObject({ kind: "catch", next: "Recover" });
  });
});

describe("Lambda results and errors", () => {
  it("wraps a result like the lambda:invoke integration", () => {
    expect(invokeResult({ ok: true }, "req-1")).toMatchObject({ Payload: { ok: true }, StatusCode: 200, ExecutedVersion: "$LATEST", SdkResponseMetadata: { RequestId: "req-1" } });
  });

  it("names a thrown error by its type with the Lambda-shaped Cause", () => {
    class LetterMovedOn extends Error {
      override name = "LetterMovedOn";
    }
    const error = lambdaError(new LetterMovedOn("letter 42 is closed"));
    expect(error.error).toBe("LetterMovedOn");
    expect(JSON.parse(error.cause)).toMatchObject({ errorType: "LetterMovedOn", errorMessage: "letter 42 is closed" });
    expect(lambdaError("plain string").error).toBe("Lambda.Unknown");
  });

  it("accepts a function name, a partial or a full ARN", () => {
    expect(functionNameOf("storeToken")).toBe("storeToken");
    expect(functionNameOf("arn:aws:lambda:af-south-1:000000000000:function:storeToken:$LATEST")).toBe("storeToken");
    expect(functionNameOf("000000000000:function:storeToken")).toBe("storeToken");
  });
});

describe("Wait and timeouts", () => {
  const now = Date.parse("2026-03-02T08:00:00Z");
  const waitState = (fields: Record<string, unknown>) => stateOf({ Type: "Wait", Next: "Done", ...fields }, { Done: { Type: "Succeed" } });

  it("computes the due time from Seconds, SecondsPath, Timestamp and TimestampPath", () => {
    expect(runState(waitState({ Seconds: 10 }), {}, context(), now)).toMatchObject({ kind: "wait", dueMs: now + 10_000, next: "Done" });
    expect(runState(waitState({ SecondsPath: "$.s" }), { s: 2 }, context(), now)).toMatchObject({ dueMs: now + 2000 });
    expect(runState(waitState({ Timestamp: "2016-03-14T01:59:00Z" }), {}, context(), now)).toMatchObject({ dueMs: Date.parse("2016-03-14T01:59:00Z") });
    expect(runState(waitState({ TimestampPath: "$.expirydate" }), { expirydate: "2026-03-09T08:00:00Z" }, context(), now)).toMatchObject({
      dueMs: Date.parse("2026-03-09T08:00:00Z"),
      output: { expirydate: "2026-03-09T08:00:00Z" },
    });
  });

  it("fails with States.Runtime when SecondsPath or TimestampPath hold the wrong type", () => {
    expect(() => runState(waitState({ SecondsPath: "$.s" }), { s: "soon" }, context(), now)).toThrow(expect.objectContaining({ error: "States.Runtime" }));
    expect(() => runState(waitState({ TimestampPath: "$.t" }), { t: 5 }, context(), now)).toThrow(expect.objectContaining({ error: "States.Runtime" }));
  });

  it("reads a task's timeout from TimeoutSecondsPath", () => {
    const state = task({ TimeoutSecondsPath: "$.secondsLeft" });
    expect(runState(state, { secondsLeft: 86_400 }, context(), now)).toMatchObject({ kind: "invoke", timeoutSeconds: 86_400 });
    expect(() => runState(state, { secondsLeft: 0 }, context(), now)).toThrow(expect.objectContaining({ error: "States.Runtime" }));
  });

  it("a Fail state ends with its Error and Cause", () => {
    expect(runState(stateOf({ Type: "Fail", Error: "Workflow.Failed", Cause: "no approver" }), {}, context(), now)).toEqual({
      kind: "fail",
      error: "Workflow.Failed",
      cause: "no approver",
    });
  });
});
