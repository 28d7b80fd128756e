import { randomBytes, randomUUID } from "node:crypto";
import type { State, TaskState, ValidatedDefinition } from "./definition";
import { SfnApiError, StatesError } from "./errors";
import { handleTaskFailure, runState, taskOutput } from "./interpreter";
import { invokeLambda, invokeResult, lambdaError, type LambdaResolver } from "./lambda";
import { toJson, type ContextObject, type Json } from "./paths";
import {
  ConflictError,
  runningKey,
  timerItem,
  timerKey,
  tokenItem,
  tokenKey,
  type Commit,
  type Cursor,
  type EngineStore,
  type ExecutionRecord,
  type ExecutionStatus,
  type HistoryEvent,
  type Phase,
  type TimerItem,
  type TimerKind,
} from "./store";

export const ACCOUNT_ID = "000000000000";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/local-stepfunctions`;
const MAX_TIMER_DELAY_MS = 60 * 60 * 1000;
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{16,1024}$/;
const NAME_FORMAT = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]{1,80}$/u;

export interface StateMachine {
  name: string;
  arn: string;
  definition: ValidatedDefinition;
  createdAt: number;
}

export interface EngineLogger {
  info(msg: string, extra?: object): void;
  error(msg: string, extra?: object): void;
}

export interface EngineOptions {
  store: EngineStore;
  machines: StateMachine[];
  resolveLambda: LambdaResolver;
  region: string;
  now: () => number;
  logger: EngineLogger;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The changes to one execution decided under its lock, committed in one transaction. */
class Change {
  readonly record: ExecutionRecord;
  readonly events: HistoryEvent[] = [];
  readonly puts: Commit["puts"] = [];
  readonly deletes: Commit["deletes"] = [];
  after?: () => void;

  constructor(
    original: ExecutionRecord,
    readonly now: number,
  ) {
    this.record = structuredClone(original);
  }

  get cursor(): Cursor {
    if (!this.record.cursor) throw new Error(`Execution ${this.record.executionArn} has no current state`);
    return this.record.cursor;
  }

  event(type: string, field?: string, value?: Record<string, Json>): void {
    this.record.eventSeq += 1;
    const id = this.record.eventSeq;
    this.events.push({ id, previousEventId: id - 1, timestamp: this.now, type, details: field && value ? { field, value } : undefined });
  }

  timer(kind: TimerKind, due: number, step: number): string {
    const { sk, put } = timerItem(this.record.executionArn, step, kind, due);
    this.puts.push(put);
    return sk;
  }
}

type Decide = (record: ExecutionRecord, now: number) => Change | undefined;

/**
 * The execution engine: runs states, persists every step through the store, keeps timers and
 * tokens, and resumes from the table after a restart. State changes for one execution are
 * serialised in process by a lock and across processes by the record's version.
 */
export class Engine {
  private readonly machines = new Map<string, StateMachine>();
  private readonly locks = new Map<string, Promise<void>>();
  private readonly inflight = new Set<Promise<unknown>>();
  private stopping = false;
  private wakeHandle: NodeJS.Timeout | undefined;
  private nextWake = Number.POSITIVE_INFINITY;
  private firing = false;
  private fireAgain = false;

  constructor(private readonly opts: EngineOptions) {
    for (const machine of opts.machines) this.machines.set(machine.arn, machine);
  }

  machine(arn: string): StateMachine {
    const machine = this.machines.get(arn);
    if (!machine) throw new SfnApiError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  listMachines(): StateMachine[] {
    return [...this.machines.values()];
  }

  executionArn(machineName: string, name: string): string {
    return `arn:aws:states:${this.opts.region}:${ACCOUNT_ID}:execution:${machineName}:${name}`;
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /** Continues what was running before a restart and fires timers that came due meanwhile. */
  async resume(): Promise<void> {
    for (const arn of await this.opts.store.runningExecutions()) {
      const record = await this.opts.store.getExecution(arn);
      const phase = record?.cursor?.phase;
      if (record?.status !== "RUNNING") continue;
      if (phase === "invoking") {
        // The in-process invocation died with the old engine: run the attempt again.
        await this.mutate(arn, (rec, now) => {
          if (rec.cursor?.phase !== "invoking") return undefined;
          const ch = new Change(rec, now);
          this.leaveStep(ch);
          ch.cursor.step += 1;
          ch.cursor.phase = "ready";
          return ch;
        });
        this.schedule(arn);
      } else if (phase === "ready") this.schedule(arn);
    }
    await this.fireTimers();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.wakeHandle) clearTimeout(this.wakeHandle);
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /** Runs the timers that are due now (also used by tests with an injected clock). */
  async runDueTimers(): Promise<void> {
    await this.fireTimers();
  }

  private track(promise: Promise<unknown>): void {
    const tracked = promise.catch((error: unknown) => {
      this.opts.logger.error("Step Functions engine task failed", { error: error instanceof Error ? error.message : String(error) });
    });
    this.inflight.add(tracked);
    void tracked.finally(() => this.inflight.delete(tracked));
  }

  /** Drives an execution forward in the background. */
  private schedule(arn: string): void {
    if (!this.stopping) this.track(this.drive(arn));
  }

  // ---- API operations ---------------------------------------------------------------------

  async startExecution(stateMachineArn: string, name: string | undefined, input: string | undefined): Promise<{ executionArn: string; startDate: number }> {
    const machine = this.machine(stateMachineArn);
    const executionName = name ?? randomUUID();
    if (!NAME_FORMAT.test(executionName)) throw new SfnApiError("InvalidName", `Invalid Name: '${executionName}'`);
    const inputText = input ?? "{}";
    let parsed: Json;
    try {
      parsed = JSON.parse(inputText) as Json;
    } catch {
      throw new SfnApiError("InvalidExecutionInput", "Invalid State Machine Execution Input: 'input is not valid JSON'");
    }
    if (this.stopping) throw new SfnApiError("ServiceUnavailable", "The local Step Functions engine is stopping", 503);
    const executionArn = this.executionArn(machine.name, executionName);
    const now = this.opts.now();
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn,
      stateMachineName: machine.name,
      name: executionName,
      status: "RUNNING",
      input: inputText,
      startDate: now,
      version: 0,
      eventSeq: 0,
      cursor: { state: machine.definition.startAt, step: 1, input: parsed, enteredAt: now, entered: false, phase: "ready", retries: [], timers: [] },
    };
    const ch = new Change(record, now);
    ch.event("ExecutionStarted", "executionStartedEventDetails", { input: inputText, inputDetails: { truncated: false }, roleArn: ROLE_ARN });
    ch.puts.push({ ...runningKey(executionArn) });
    if (machine.definition.timeoutSeconds !== undefined) {
      ch.record.executionTimer = ch.timer("executionTimeout", now + machine.definition.timeoutSeconds * 1000, 0);
    }
    try {
      await this.commit(ch, undefined);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const existing = await this.opts.store.getExecution(executionArn);
      if (existing && existing.status === "RUNNING" && existing.input === inputText) {
        return { executionArn, startDate: existing.startDate };
      }
      throw new SfnApiError("ExecutionAlreadyExists", `Execution Already Exists: '${executionArn}'`);
    }
    this.opts.logger.info("Execution started", { executionArn });
    this.schedule(executionArn);
    return { executionArn, startDate: now };
  }

  async describeExecution(arn: string): Promise<ExecutionRecord> {
    const record = await this.opts.store.getExecution(arn);
    if (!record) throw new SfnApiError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`);
    return record;
  }

  async stopExecution(arn: string, error: string | undefined, cause: string | undefined): Promise<number> {
    const result = await this.mutate(arn, (rec, now) => {
      if (rec.status !== "RUNNING") return undefined;
      const ch = new Change(rec, now);
      this.finish(ch, "ABORTED", { error, cause }, "ExecutionAborted", "executionAbortedEventDetails");
      return ch;
    });
    if (!result) throw new SfnApiError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`);
    return result.record.stopDate ?? this.opts.now();
  }

  async sendTaskSuccess(token: string, output: string): Promise<void> {
    const item = await this.tokenFor(token);
    let parsed: Json;
    try {
      parsed = JSON.parse(output) as Json;
    } catch {
      throw new SfnApiError("InvalidOutput", "Invalid Output: 'output is not valid JSON'");
    }
    const result = await this.completeTask(item.executionArn, item.step, parsed, "waitingToken", token);
    if (!result?.applied) throw new SfnApiError("TaskDoesNotExist", "Task Does Not Exist");
    this.schedule(item.executionArn);
  }

  async sendTaskFailure(token: string, error: string | undefined, cause: string | undefined): Promise<void> {
    const item = await this.tokenFor(token);
    const result = await this.failTask(item.executionArn, item.step, new StatesError(error ?? "", cause ?? ""), ["waitingToken"], false, token);
    if (!result?.applied) throw new SfnApiError("TaskDoesNotExist", "Task Does Not Exist");
    this.schedule(item.executionArn);
  }

  /** Heartbeats are accepted for a waiting token; the engine has no heartbeat timeouts to reset. */
  async sendTaskHeartbeat(token: string): Promise<void> {
    await this.tokenFor(token);
  }

  async history(arn: string, options: { limit: number; reverse: boolean; after?: string }): Promise<{ events: HistoryEvent[]; next?: string }> {
    await this.describeExecution(arn);
    return this.opts.store.history(arn, options);
  }

  private async tokenFor(token: string): Promise<{ executionArn: string; step: number }> {
    if (!TOKEN_FORMAT.test(token)) throw new SfnApiError("InvalidToken", "Invalid Token: 'Invalid token'");
    const item = await this.opts.store.getToken(token);
    if (!item) throw new SfnApiError("TaskDoesNotExist", "Task Does Not Exist");
    if (item.status === "TIMED_OUT") throw new SfnApiError("TaskTimedOut", "Task Timed Out");
    return item;
  }

  // ---- state transitions --------------------------------------------------------------------

  private async withLock<T>(arn: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(arn) ?? Promise.resolve();
    let release = (): void => undefined;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const chained = previous.then(() => current);
    this.locks.set(arn, chained);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.locks.get(arn) === chained) this.locks.delete(arn);
    }
  }

  private async commit(ch: Change, expectedVersion: number | undefined): Promise<ExecutionRecord> {
    const record = await this.opts.store.commit({ record: ch.record, expectedVersion, events: ch.events, puts: ch.puts, deletes: ch.deletes });
    for (const put of ch.puts) if (put.pk === "TIMER") this.notifyTimer(Number(put.due));
    return record;
  }

  /**
   * Reads the execution, lets `decide` compute a change and commits it conditionally on the
   * version read; on a concurrent change it decides again from the fresh record.
   */
  private async mutate(arn: string, decide: Decide): Promise<{ record: ExecutionRecord; applied: boolean } | undefined> {
    return this.withLock(arn, async () => {
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const record = await this.opts.store.getExecution(arn);
        if (!record) return undefined;
        const now = this.opts.now();
        let ch: Change | undefined;
        try {
          ch = decide(record, now);
        } catch (error) {
          // A bug or an unexpected value must not crash the host: the execution fails instead.
          if (record.status !== "RUNNING") return { record, applied: false };
          ch = new Change(record, now);
          const failure = error instanceof StatesError ? error : new StatesError("States.Runtime", error instanceof Error ? error.message : String(error));
          this.failExecution(ch, failure.error, failure.cause);
        }
        if (!ch) return { record, applied: false };
        try {
          const saved = await this.commit(ch, record.version);
          if (saved.status !== record.status) this.opts.logger.info("Execution finished", { executionArn: arn, status: saved.status });
          ch.after?.();
          return { record: saved, applied: true };
        } catch (error) {
          if (error instanceof ConflictError) continue;
          if (!(error instanceof Error && error.name === "ValidationException") || record.status !== "RUNNING") throw error;
          // The state data no longer fits in an item (the cloud caps it at 256 KiB): fail, don't hang.
          const failed = new Change(record, now);
          this.failExecution(failed, "States.DataLimitExceeded", error.message);
          return { record: await this.commit(failed, record.version), applied: true };
        }
      }
      throw new Error(`Execution ${arn} kept changing concurrently`);
    });
  }

  private async drive(arn: string): Promise<void> {
    while (!this.stopping) {
      const result = await this.mutate(arn, (rec, now) => this.advance(rec, now));
      if (!result?.applied) return;
      if (result.record.status !== "RUNNING" || result.record.cursor?.phase !== "ready") return;
    }
  }

  private context(rec: ExecutionRecord, cursor: Cursor, token?: string): ContextObject {
    let input: Json;
    try {
      input = JSON.parse(rec.input) as Json;
    } catch {
      input = rec.input;
    }
    return {
      Execution: { Id: rec.executionArn, Name: rec.name, Input: input, StartTime: iso(rec.startDate), RoleArn: ROLE_ARN, RedriveCount: 0 },
      StateMachine: { Id: rec.stateMachineArn, Name: rec.stateMachineName },
      State: { Name: cursor.state, EnteredTime: iso(cursor.enteredAt), RetryCount: cursor.retries.reduce((a, b) => a + b, 0) },
      ...(token ? { Task: { Token: token } } : {}),
    };
  }

  private stateOf(rec: ExecutionRecord, cursor: Cursor): State {
    const state = this.machine(rec.stateMachineArn).definition.states[cursor.state];
    if (!state) throw new StatesError("States.Runtime", `State "${cursor.state}" no longer exists in the definition`);
    return state;
  }

  /** Runs the current state of a ready execution up to its next wait point or transition. */
  private advance(rec: ExecutionRecord, now: number): Change | undefined {
    if (rec.status !== "RUNNING" || rec.cursor?.phase !== "ready") return undefined;
    const ch = new Change(rec, now);
    const cursor = ch.cursor;
    const state = this.stateOf(rec, cursor);
    if (!cursor.entered) {
      ch.event(`${state.type}StateEntered`, "stateEnteredEventDetails", { name: state.name, input: JSON.stringify(cursor.input), inputDetails: { truncated: false } });
      cursor.entered = true;
    }
    const token = state.type === "Task" && state.waitForTaskToken ? randomBytes(48).toString("base64url") : undefined;
    let outcome;
    try {
      outcome = runState(state, cursor.input, this.context(rec, cursor, token), now);
    } catch (error) {
      if (!(error instanceof StatesError)) throw error;
      this.failExecution(ch, error.error, error.cause);
      return ch;
    }
    switch (outcome.kind) {
      case "next":
      case "end":
        this.exitState(ch, state, outcome.output, outcome.kind === "next" ? outcome.next : null);
        return ch;
      case "fail":
        this.failExecution(ch, outcome.error, outcome.cause);
        return ch;
      case "wait":
        if (outcome.dueMs <= now) this.exitState(ch, state, outcome.output, outcome.next ?? null);
        else {
          cursor.phase = "waiting";
          cursor.pending = { output: outcome.output, next: outcome.next ?? null };
          cursor.timers.push(ch.timer("wait", outcome.dueMs, cursor.step));
        }
        return ch;
      case "invoke": {
        const task = state as TaskState;
        const resource = task.waitForTaskToken ? "invoke.waitForTaskToken" : "invoke";
        ch.event("TaskScheduled", "taskScheduledEventDetails", {
          resourceType: "lambda",
          resource,
          region: this.opts.region,
          parameters: JSON.stringify({ FunctionName: outcome.functionName, Payload: outcome.payload }),
          ...(outcome.timeoutSeconds !== undefined ? { timeoutInSeconds: outcome.timeoutSeconds } : {}),
        });
        ch.event("TaskStarted", "taskStartedEventDetails", { resourceType: "lambda", resource });
        if (outcome.timeoutSeconds !== undefined) cursor.timers.push(ch.timer("taskTimeout", now + outcome.timeoutSeconds * 1000, cursor.step));
        if (token) {
          cursor.token = token;
          cursor.phase = "waitingToken";
          ch.puts.push(tokenItem({ token, executionArn: rec.executionArn, step: cursor.step, status: "WAITING" }));
        } else cursor.phase = "invoking";
        const step = cursor.step;
        ch.after = () => this.invoke(rec.executionArn, step, task, outcome.functionName, outcome.payload);
        return ch;
      }
    }
  }

  /** Calls the handler outside the lock (it may itself call SendTaskSuccess) and records the outcome. */
  private invoke(arn: string, step: number, task: TaskState, functionName: string, payload: Json): void {
    this.track(
      (async () => {
        let result: { payload: Json; requestId: string } | undefined;
        let failure: StatesError | undefined;
        try {
          result = await invokeLambda(this.opts.resolveLambda, functionName, payload, this.opts.region);
        } catch (error) {
          failure = error instanceof StatesError ? error : lambdaError(error);
        }
        if (failure) await this.failTask(arn, step, failure, [task.waitForTaskToken ? "waitingToken" : "invoking"], false);
        else if (task.waitForTaskToken) {
          await this.mutate(arn, (rec, now) => {
            if (!this.isAt(rec, step, ["waitingToken"])) return undefined;
            const ch = new Change(rec, now);
            ch.event("TaskSubmitted", "taskSubmittedEventDetails", {
              resourceType: "lambda",
              resource: "invoke.waitForTaskToken",
              output: JSON.stringify(invokeResult(result?.payload ?? null, result?.requestId ?? "")),
            });
            return ch;
          });
        } else if (result) await this.completeTask(arn, step, invokeResult(result.payload, result.requestId), "invoking");
        this.schedule(arn);
      })(),
    );
  }

  private isAt(rec: ExecutionRecord, step: number, phases: Phase[], token?: string): boolean {
    const cursor = rec.cursor;
    return (
      rec.status === "RUNNING" &&
      cursor !== undefined &&
      cursor.step === step &&
      phases.includes(cursor.phase) &&
      (token === undefined || cursor.token === token)
    );
  }

  private completeTask(arn: string, step: number, result: Json, phase: Phase, token?: string): ReturnType<Engine["mutate"]> {
    return this.mutate(arn, (rec, now) => {
      if (!this.isAt(rec, step, [phase], token)) return undefined;
      const ch = new Change(rec, now);
      const cursor = ch.cursor;
      const task = this.stateOf(rec, cursor) as TaskState;
      const resource = task.waitForTaskToken ? "invoke.waitForTaskToken" : "invoke";
      ch.event("TaskSucceeded", "taskSucceededEventDetails", { resourceType: "lambda", resource, output: JSON.stringify(result) });
      let output: Json;
      try {
        output = taskOutput(task, cursor.input, toJson(result), this.context(rec, cursor, cursor.token));
      } catch (error) {
        if (!(error instanceof StatesError)) throw error;
        this.applyTaskFailure(ch, task, error, false);
        return ch;
      }
      this.exitState(ch, task, output, task.next ?? null);
      return ch;
    });
  }

  private failTask(arn: string, step: number, failure: StatesError, phases: Phase[], timedOut: boolean, token?: string): ReturnType<Engine["mutate"]> {
    return this.mutate(arn, (rec, now) => {
      if (!this.isAt(rec, step, phases, token)) return undefined;
      const ch = new Change(rec, now);
      const task = this.stateOf(rec, ch.cursor) as TaskState;
      const resource = task.waitForTaskToken ? "invoke.waitForTaskToken" : "invoke";
      ch.event(timedOut ? "TaskTimedOut" : "TaskFailed", timedOut ? "taskTimedOutEventDetails" : "taskFailedEventDetails", {
        resourceType: "lambda",
        resource,
        error: failure.error,
        cause: failure.cause,
      });
      this.applyTaskFailure(ch, task, failure, timedOut);
      return ch;
    });
  }

  /** Retry (after a persisted delay), Catch into another state, or fail the execution. */
  private applyTaskFailure(ch: Change, task: TaskState, failure: StatesError, timedOut: boolean): void {
    const cursor = ch.cursor;
    const outcome = handleTaskFailure(task, cursor.input, failure.error, failure.cause, cursor.retries);
    if (outcome.kind === "fail") {
      this.failExecution(ch, outcome.error, outcome.cause, timedOut);
      return;
    }
    this.leaveStep(ch, timedOut);
    if (outcome.kind === "catch") {
      this.exitState(ch, task, outcome.output, outcome.next, false);
      return;
    }
    cursor.retries[outcome.retrierIndex] = (cursor.retries[outcome.retrierIndex] ?? 0) + 1;
    for (let i = 0; i < cursor.retries.length; i += 1) cursor.retries[i] ??= 0;
    cursor.step += 1;
    if (outcome.delayMs <= 0) cursor.phase = "ready";
    else {
      cursor.phase = "retryWait";
      cursor.timers.push(ch.timer("retry", ch.now + outcome.delayMs, cursor.step));
    }
  }

  /** Deletes what belongs to the current step: its timers and its task token. */
  private leaveStep(ch: Change, tokenTimedOut = false): void {
    const cursor = ch.record.cursor;
    if (!cursor) return;
    for (const sk of cursor.timers) ch.deletes.push(timerKey(sk));
    cursor.timers = [];
    if (cursor.token) {
      if (tokenTimedOut) ch.puts.push(tokenItem({ token: cursor.token, executionArn: ch.record.executionArn, step: cursor.step, status: "TIMED_OUT" }));
      else ch.deletes.push(tokenKey(cursor.token));
      delete cursor.token;
    }
    delete cursor.pending;
  }

  /** Leaves a state with its output: into the next state, or ending the execution. */
  private exitState(ch: Change, state: State, output: Json, next: string | null, leave = true): void {
    if (leave) this.leaveStep(ch);
    if (state.type !== "Fail") {
      ch.event(`${state.type}StateExited`, "stateExitedEventDetails", { name: state.name, output: JSON.stringify(output), outputDetails: { truncated: false } });
    }
    if (next === null) {
      this.finish(ch, "SUCCEEDED", { output: JSON.stringify(output) }, "ExecutionSucceeded", "executionSucceededEventDetails");
      return;
    }
    const step = ch.cursor.step + 1;
    ch.record.cursor = { state: next, step, input: output, enteredAt: ch.now, entered: false, phase: "ready", retries: [], timers: [] };
  }

  private failExecution(ch: Change, error: string, cause: string, timedOut = false): void {
    if (timedOut && ch.record.cursor) this.leaveStep(ch, true);
    this.finish(ch, "FAILED", { error, cause }, "ExecutionFailed", "executionFailedEventDetails");
  }

  private finish(
    ch: Change,
    status: ExecutionStatus,
    result: { output?: string; error?: string; cause?: string },
    eventType: string,
    field: string,
  ): void {
    this.leaveStep(ch);
    const rec = ch.record;
    rec.status = status;
    rec.stopDate = ch.now;
    if (result.output !== undefined) rec.output = result.output;
    if (result.error !== undefined) rec.error = result.error;
    if (result.cause !== undefined) rec.cause = result.cause;
    const details: Record<string, Json> = {};
    if (result.output !== undefined) Object.assign(details, { output: result.output, outputDetails: { truncated: false } });
    if (result.error !== undefined) details.error = result.error;
    if (result.cause !== undefined) details.cause = result.cause;
    ch.event(eventType, field, details);
    ch.deletes.push(runningKey(rec.executionArn));
    if (rec.executionTimer) {
      ch.deletes.push(timerKey(rec.executionTimer));
      delete rec.executionTimer;
    }
    delete rec.cursor;
  }

  // ---- timers ----------------------------------------------------------------------------

  private notifyTimer(due: number): void {
    if (this.stopping || due >= this.nextWake) return;
    this.armWake(due);
  }

  private armWake(due: number): void {
    if (this.wakeHandle) clearTimeout(this.wakeHandle);
    this.nextWake = due;
    const delay = Math.min(Math.max(0, due - this.opts.now()), MAX_TIMER_DELAY_MS);
    this.wakeHandle = setTimeout(() => {
      this.wakeHandle = undefined;
      if (!this.stopping) this.track(this.fireTimers());
    }, delay);
    this.wakeHandle.unref();
  }

  private async fireTimers(): Promise<void> {
    if (this.firing) {
      this.fireAgain = true;
      return;
    }
    this.firing = true;
    try {
      do {
        this.fireAgain = false;
        this.nextWake = Number.POSITIVE_INFINITY;
        for (;;) {
          const due = await this.opts.store.dueTimers(this.opts.now());
          for (const timer of due) {
            if (this.stopping) return;
            await this.onTimer(timer);
          }
          if (due.length < 100) break;
        }
        const next = await this.opts.store.nextTimerDue();
        if (next !== undefined && !this.stopping && next < this.nextWake) this.armWake(next);
      } while (this.fireAgain && !this.stopping);
    } finally {
      this.firing = false;
    }
  }

  private async onTimer(timer: TimerItem): Promise<void> {
    const { executionArn: arn, step } = timer;
    try {
      switch (timer.kind) {
        case "wait":
          await this.mutate(arn, (rec, now) => {
            if (!this.isAt(rec, step, ["waiting"])) return undefined;
            const ch = new Change(rec, now);
            const pending = ch.cursor.pending ?? { output: ch.cursor.input, next: null };
            this.exitState(ch, this.stateOf(rec, ch.cursor), pending.output, pending.next);
            return ch;
          });
          break;
        case "retry":
          await this.mutate(arn, (rec, now) => {
            if (!this.isAt(rec, step, ["retryWait"])) return undefined;
            const ch = new Change(rec, now);
            this.leaveStep(ch);
            ch.cursor.phase = "ready";
            return ch;
          });
          break;
        case "taskTimeout":
          await this.failTask(arn, step, new StatesError("States.Timeout", "The task did not complete within its TimeoutSeconds"), ["invoking", "waitingToken"], true);
          break;
        case "executionTimeout":
          await this.mutate(arn, (rec, now) => {
            if (rec.status !== "RUNNING") return undefined;
            const ch = new Change(rec, now);
            this.leaveStep(ch, true);
            this.finish(ch, "TIMED_OUT", { error: "States.Timeout", cause: "The execution did not complete within its TimeoutSeconds" }, "ExecutionTimedOut", "executionTimedOutEventDetails");
            return ch;
          });
          break;
      }
    } finally {
      await this.opts.store.deleteTimer(timer.sk);
    }
    this.schedule(arn);
  }
}

