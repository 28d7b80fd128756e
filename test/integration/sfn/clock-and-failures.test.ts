import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
} from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStepFunctions, type LambdaHandler, type LocalStepFunctions } from "../../../local/sfn";
import { LOCAL_AWS, dynamoClient, uniquePrefix } from "../support/engines";

const definitions: Record<string, object> = {
  // A reminder an hour later: with the injected clock no test waits for it.
  reminder: {
    StartAt: "Hold",
    States: {
      Hold: { Type: "Wait", Seconds: 3600, Next: "Remind" },
      Remind: { Type: "Pass", Parameters: { "reminded.$": "$.letterId", "at.$": "$$.State.EnteredTime" }, End: true },
    },
  },
  bounded: {
    TimeoutSeconds: 60,
    StartAt: "Await",
    States: {
      Await: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: { FunctionName: "keepToken", Payload: { "token.$": "$$.Task.Token" } },
        End: true,
      },
    },
  },
  // The token-storing task sees that the decision already happened and signals it at once.
  selfSignal: {
    StartAt: "Await",
    States: {
      Await: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: { FunctionName: "signalNow", Payload: { "token.$": "$$.Task.Token" } },
        End: true,
      },
    },
  },
  broken: {
    StartAt: "Route",
    States: {
      Route: { Type: "Choice", Choices: [{ Variable: "$.decision.action", StringEquals: "approve", Next: "Done" }], Default: "Done" },
      Done: { Type: "Succeed" },
    },
  },
  missingFunction: {
    StartAt: "Call",
    States: { Call: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "nobody" }, End: true } },
  },
};

describe("local Step Functions engine: injected clock, timeouts and failures", () => {
  const dynamo = dynamoClient();
  let clock = Date.parse("2026-03-02T08:00:00Z");
  let engine: LocalStepFunctions;
  let sfn: SFNClient;
  const tokens: string[] = [];
  const errors: string[] = [];

  const handlers: Record<string, LambdaHandler> = {
    keepToken: async (event) => {
      tokens.push((event as { token: string }).token);
      return {};
    },
    signalNow: async (event) => {
      await sfn.send(new SendTaskSuccessCommand({ taskToken: (event as { token: string }).token, output: '{"action":"complete"}' }));
      return { signalled: true };
    },
  };

  beforeAll(async () => {
    engine = await startLocalStepFunctions({
      dynamo,
      tableName: `${uniquePrefix("sfn-clock")}Engine`,
      stateMachines: Object.entries(definitions).map(([name, definition]) => ({ name, definition })),
      resolveLambda: (name) => handlers[name],
      now: () => clock,
      logger: { info: () => undefined, error: (msg) => errors.push(msg) },
    });
    sfn = new SFNClient({ ...LOCAL_AWS, endpoint: engine.endpoint });
  });

  afterAll(async () => {
    sfn?.destroy();
    await engine?.stop();
  });

  const start = async (machine: string, input: object): Promise<string> =>
    (await sfn.send(new StartExecutionCommand({ stateMachineArn: engine.stateMachineArn(machine), input: JSON.stringify(input) }))).executionArn as string;

  const describeWhen = async (arn: string, done: (out: DescribeExecutionCommandOutput) => boolean): Promise<DescribeExecutionCommandOutput> => {
    for (let i = 0; i < 200; i += 1) {
      const out = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
      if (done(out)) return out;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${arn} did not reach the expected state`);
  };

  it("holds a Wait until the clock reaches it, then continues", async () => {
    const arn = await start("reminder", { letterId: "L1" });
    await describeWhen(arn, () => true);
    clock += 3599_000;
    await engine.runDueTimers();
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe("RUNNING");

    clock += 1000;
    await engine.runDueTimers();
    const out = await describeWhen(arn, (o) => o.status !== "RUNNING");
    expect(out.status).toBe("SUCCEEDED");
    expect(JSON.parse(out.output ?? "null")).toEqual({ reminded: "L1", at: "2026-03-02T09:00:00.000Z" });
  });

  it("times the whole execution out after the machine's TimeoutSeconds", async () => {
    const arn = await start("bounded", {});
    await describeWhen(arn, () => tokens.length > 0);
    clock += 61_000;
    await engine.runDueTimers();
    const out = await describeWhen(arn, (o) => o.status !== "RUNNING");
    expect(out).toMatchObject({ status: "TIMED_OUT", error: "States.Timeout" });
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, reverseOrder: true, maxResults: 1 }));
    expect(events?.[0]?.type).toBe("ExecutionTimedOut");
  });

  it("lets the token task signal its own token while it is still running", async () => {
    const arn = await start("selfSignal", {});
    const out = await describeWhen(arn, (o) => o.status !== "RUNNING");
    expect(out.status).toBe("SUCCEEDED");
    expect(JSON.parse(out.output ?? "null")).toEqual({ action: "complete" });
  });

  it("fails an execution whose Choice reads a missing field, without harming the engine", async () => {
    const arn = await start("broken", { letterId: "L2" });
    const out = await describeWhen(arn, (o) => o.status !== "RUNNING");
    expect(out.status).toBe("FAILED");
    expect(out.error).toBe("States.Runtime");
    expect(out.cause).toContain("$.decision.action");

    const again = await start("reminder", { letterId: "L3" });
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: again }))).status).toBe("RUNNING");
    expect(errors).toEqual([]);
  });

  it("fails a task whose function does not exist with Lambda.ResourceNotFoundException", async () => {
    const arn = await start("missingFunction", {});
    const out = await describeWhen(arn, (o) => o.status !== "RUNNING");
    expect(out).toMatchObject({ status: "FAILED", error: "Lambda.ResourceNotFoundException" });
  });

  it("answers unknown executions and state machines, and bad input, with the cloud's errors", async () => {
    await expect(sfn.send(new DescribeExecutionCommand({ executionArn: `${engine.stateMachineArn("reminder").replace("stateMachine", "execution")}:nope` }))).rejects.toMatchObject({
      name: "ExecutionDoesNotExist",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: engine.stateMachineArn("nope") }))).rejects.toMatchObject({ name: "StateMachineDoesNotExist" });
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: engine.stateMachineArn("reminder"), input: "{not json" }))).rejects.toMatchObject({
      name: "InvalidExecutionInput",
    });
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: engine.stateMachineArn("reminder"), name: "bad name/with slash" }))).rejects.toMatchObject({
      name: "InvalidName",
    });
  });
});
