import { chooseNext, parseTimestamp } from "./choice";
import type { Catcher, Retrier, State, TaskState } from "./definition";
import { StatesError } from "./errors";
import { applyResultPath, applyTemplate, evaluatePath, selectPath, toJson, type ContextObject, type Json } from "./paths";

/** What running one state (from its raw input) leads to. Pure: the engine persists and acts on it. */
export type StepOutcome =
  | { kind: "next"; next: string; output: Json }
  | { kind: "end"; output: Json }
  | { kind: "fail"; error: string; cause: string }
  | { kind: "wait"; dueMs: number; output: Json; next?: string }
  | { kind: "invoke"; functionName: string; payload: Json; timeoutSeconds?: number };

function transition(state: State, output: Json): StepOutcome {
  return state.next === undefined ? { kind: "end", output } : { kind: "next", next: state.next, output };
}

export function runState(state: State, rawInput: Json, context: ContextObject, nowMs: number): StepOutcome {
  switch (state.type) {
    case "Pass": {
      const effective = selectPath(state.inputPath, rawInput, "InputPath");
      const parameters = state.parameters ? applyTemplate(state.parameters, effective, context) : effective;
      const result = state.result !== undefined ? state.result : parameters;
      const output = selectPath(state.outputPath, applyResultPath(rawInput, result, state.resultPath), "OutputPath");
      return transition(state, output);
    }
    case "Choice": {
      const effective = selectPath(state.inputPath, rawInput, "InputPath");
      const next = chooseNext(state, effective, context);
      return { kind: "next", next, output: selectPath(state.outputPath, effective, "OutputPath") };
    }
    case "Succeed": {
      const effective = selectPath(state.inputPath, rawInput, "InputPath");
      return { kind: "end", output: selectPath(state.outputPath, effective, "OutputPath") };
    }
    case "Fail":
      return { kind: "fail", error: state.error ?? "", cause: state.cause ?? "" };
    case "Wait": {
      const effective = selectPath(state.inputPath, rawInput, "InputPath");
      const output = selectPath(state.outputPath, effective, "OutputPath");
      return { kind: "wait", dueMs: waitDue(state, effective, nowMs), output, next: state.next };
    }
    case "Task": {
      const effective = selectPath(state.inputPath, rawInput, "InputPath");
      const parameters = applyTemplate(state.parameters, effective, context);
      const record = parameters as { FunctionName?: Json; Payload?: Json };
      if (typeof record.FunctionName !== "string") throw new StatesError("States.Runtime", `FunctionName of state "${state.name}" is not a string`);
      return {
        kind: "invoke",
        functionName: record.FunctionName,
        payload: record.Payload === undefined ? {} : record.Payload,
        timeoutSeconds: taskTimeout(state, effective),
      };
    }
  }
}

function waitDue(state: Extract<State, { type: "Wait" }>, input: Json, nowMs: number): number {
  if (state.seconds !== undefined) return nowMs + state.seconds * 1000;
  if (state.timestamp !== undefined) return Date.parse(state.timestamp);
  if (state.secondsPath !== undefined) {
    const seconds = evaluatePath(state.secondsPath, input, "SecondsPath");
    if (typeof seconds !== "number" || seconds < 0) throw new StatesError("States.Runtime", `SecondsPath '${state.secondsPath}' is not a non-negative number`);
    return nowMs + Math.round(seconds * 1000);
  }
  const value = evaluatePath(state.timestampPath as string, input, "TimestampPath");
  const due = parseTimestamp(value);
  if (due === undefined) throw new StatesError("States.Runtime", `TimestampPath '${state.timestampPath}' is not an ISO-8601 timestamp`);
  return due;
}

function taskTimeout(state: TaskState, input: Json): number | undefined {
  if (state.timeoutSeconds !== undefined) return state.timeoutSeconds;
  if (state.timeoutSecondsPath === undefined) return undefined;
  const value = evaluatePath(state.timeoutSecondsPath, input, "TimeoutSecondsPath");
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new StatesError("States.Runtime", `TimeoutSecondsPath '${state.timeoutSecondsPath}' must point to a positive integer`);
  }
  return value;
}

/** ResultSelector, then ResultPath over the raw input, then OutputPath. */
export function taskOutput(state: TaskState, rawInput: Json, result: Json, context: ContextObject): Json {
  const selected = state.resultSelector ? applyTemplate(state.resultSelector, toJson(result), context) : result;
  return selectPath(state.outputPath, applyResultPath(rawInput, selected, state.resultPath), "OutputPath");
}

/** Whether an ErrorEquals list catches an error, with the wildcards of the States language. */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  if (error === "States.Runtime") return errorEquals.includes("States.Runtime");
  return errorEquals.some(
    (name) => name === error || name === "States.ALL" || (name === "States.TaskFailed" && error !== "States.Timeout"),
  );
}

export function retryDelayMs(retrier: Retrier, attemptsSoFar: number, random: () => number = Math.random): number {
  let delay = retrier.intervalSeconds * 1000 * retrier.backoffRate ** attemptsSoFar;
  if (retrier.maxDelaySeconds !== undefined) delay = Math.min(delay, retrier.maxDelaySeconds * 1000);
  if (retrier.jitter === "FULL") delay = random() * delay;
  return Math.round(delay);
}

export type FailureOutcome =
  | { kind: "retry"; retrierIndex: number; delayMs: number }
  | { kind: "catch"; next: string; output: Json }
  | { kind: "fail"; error: string; cause: string };

/**
 * What a failed Task does: the first Retry whose ErrorEquals matches decides whether to retry
 * (attempts left) or give up; then the first matching Catch; else the execution fails.
 */
export function handleTaskFailure(
  state: TaskState,
  rawInput: Json,
  error: string,
  cause: string,
  attempts: readonly number[],
): FailureOutcome {
  const index = state.retry.findIndex((r) => errorMatches(r.errorEquals, error));
  const retrier = state.retry[index];
  if (retrier) {
    const used = attempts[index] ?? 0;
    if (used < retrier.maxAttempts) return { kind: "retry", retrierIndex: index, delayMs: retryDelayMs(retrier, used) };
  }
  const catcher: Catcher | undefined = state.catch.find((c) => errorMatches(c.errorEquals, error));
  if (catcher) {
    try {
      return { kind: "catch", next: catcher.next, output: applyResultPath(rawInput, { Error: error, Cause: cause }, catcher.resultPath) };
    } catch (e) {
      if (e instanceof StatesError) return { kind: "fail", error: e.error, cause: e.cause };
      throw e;
    }
  }
  return { kind: "fail", error, cause };
}
