import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  SFNClient,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  InvalidToken,
  type DescribeExecutionCommandOutput,
} from "@aws-sdk/client-sfn";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStepFunctions, type LambdaHandler, type LocalStepFunctions } from "../../../local/sfn";
import { LOCAL_AWS, dynamoClient, uniquePrefix } from "../support/engines";

const FN = "arn:aws:lambda:af-south-1:000000000000:function:";

/** Definitions written for these tests; `${...}` are filled like the CDK would. */
const machines = {
  route: {
    StartAt: "Classify",
    States: {
      Classify: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: "${ClassifyFn}", "Payload.$": "$" },
        ResultSelector: { "kind.$": "$.Payload.kind" },
        ResultPath: "$.classified",
        Next: "Route",
      },
      Route: {
        Type: "Choice",
        Choices: [{ Variable: "$.classified.kind", StringEquals: "urgent", Next: "Urgent" }],
        Default: "Normal",
      },
      Urgent: { Type: "Pass", Result: "escalated", ResultPath: "$.route", End: true },
      Normal: { Type: "Succeed" },
    },
  },
  decision: {
    StartAt: "AwaitDecision",
    States: {
      AwaitDecision: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
        Parameters: {
          FunctionName: "${StoreTokenFn}",
          Payload: { "letterId.$": "$.letterId", "token.$": "$$.Task.Token", "execution.$": "$$.Execution.Name" },
        },
        TimeoutSecondsPath: "$.timeoutSeconds",
        ResultPath: "$.decision",
        Catch: [{ ErrorEquals: ["States.Timeout"], ResultPath: "$.failure", Next: "Overdue" }, { ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: "Recorded" }],
        Next: "Done",
      },
      Overdue: { Type: "Pass", Parameters: { "overdue.$": "$.letterId", "error.$": "$.failure.Error" }, End: true },
      Recorded: { Type: "Pass", Parameters: { "recorded.$": "$.failure" }, End: true },
      Done: { Type: "Succeed", OutputPath: "$.decision" },
    },
  },
  flaky: {
    StartAt: "Call",
    States: {
      Call: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        Parameters: { FunctionName: "${FlakyFn}", "Payload.$": "$" },
        OutputPath: "$.Payload",
        Retry: [{ ErrorEquals: ["TransientError"], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 1 }],
        End: true,
      },
    },
  },
  slow: {
    StartAt: "Slow",
    States: {
      Slow: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "slow" }, ResultSelector: { "n.$": "$.Payload.n" }, Next: "Then" },
      Then: { Type: "Pass", Parameters: { "after.$": "$.n" }, End: true },
    },
  },
  pause: {
    StartAt: "Pause",
    States: { Pause: { Type: "Wait", SecondsPath: "$.seconds", Next: "After" }, After: { Type: "Pass", Result: { woke: true }, End: true } },
  },
};

describe("local Step Functions engine through @aws-sdk/client-sfn", () => {
  const dynamo = dynamoClient();
  const tableName = `${uniquePrefix("sfn")}Engine`;
  const tokens = new Map<string, string>();
  let flakyCalls = 0;
  let engine: LocalStepFunctions;
  let sfn: SFNClient;

  const handlers: Record<string, LambdaHandler> = {
    classify: async (event) => ({ kind: (event as { priority?: string }).priority === "high" ? "urgent" : "normal" }),
    storeToken: async (event) => {
      const { letterId, token } = event as { letterId: string; token: string };
      tokens.set(letterId, token);
      return { stored: true };
    },
    slow: async () => {
      await new Promise((r) => setTimeout(r, 300));
      return { n: 7 };
    },
    flaky: async () => {
      flakyCalls += 1;
      if (flakyCalls < 3) {
        const error = new Error(`attempt ${flakyCalls} failed`);
        error.name = "TransientError";
        throw error;
      }
      return { attempts: flakyCalls };
    },
  };

  const start = (): Promise<LocalStepFunctions> =>
    startLocalStepFunctions({
      dynamo,
      tableName,
      stateMachines: Object.entries(machines).map(([name, definition]) => ({
        name,
        definition: JSON.stringify(definition),
        substitutions: { ClassifyFn: `${FN}classify`, StoreTokenFn: "storeToken", FlakyFn: "flaky" },
      })),
      resolveLambda: (name) => handlers[name],
    });

  const startExecution = async (machine: keyof typeof machines, input: unknown, name?: string): Promise<string> => {
    const out = await sfn.send(new StartExecutionCommand({ stateMachineArn: engine.stateMachineArn(machine), input: JSON.stringify(input), name }));
    return out.executionArn as string;
  };

  const settled = async (executionArn: string, timeoutMs = 8000): Promise<DescribeExecutionCommandOutput> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const out = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      if (out.status !== "RUNNING") return out;
      if (Date.now() > deadline) throw new Error(`${executionArn} still running`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const tokenFor = async (letterId: string): Promise<string> => {
    for (let i = 0; i < 200 && !tokens.has(letterId); i += 1) await new Promise((r) => setTimeout(r, 25));
    const token = tokens.get(letterId);
    if (!token) throw new Error(`no token stored for ${letterId}`);
    return token;
  };

  beforeAll(async () => {
    engine = await start();
    sfn = new SFNClient({ ...LOCAL_AWS, endpoint: engine.endpoint });
  });

  afterAll(async () => {
    sfn?.destroy();
    await engine?.stop();
  });

  it("runs lambda invoke, choice and succeed, with cloud-shaped ARNs", async () => {
    const urgent = await startExecution("route", { letterId: "L1", priority: "high" }, "letter-L1");
    expect(urgent).toBe("arn:aws:states:af-south-1:000000000000:execution:route:letter-L1");
    const normal = await startExecution("route", { letterId: "L2", priority: "low" });

    const a = await settled(urgent);
    expect(a.status).toBe("SUCCEEDED");
    expect(JSON.parse(a.output ?? "null")).toEqual({ letterId: "L1", priority: "high", classified: { kind: "urgent" }, route: "escalated" });
    const b = await settled(normal);
    expect(JSON.parse(b.output ?? "null")).toEqual({ letterId: "L2", priority: "low", classified: { kind: "normal" } });
  });

  it("describes its state machines for the health check", async () => {
    const out = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: engine.stateMachineArn("route") }));
    expect(out.status).toBe("ACTIVE");
    expect(out.definition).toContain(`${FN}classify`);
    await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: engine.stateMachineArn("nope") }))).rejects.toMatchObject({
      name: "StateMachineDoesNotExist",
    });
  });

  it("waits for a task token and continues on SendTaskSuccess; the token cannot be used twice", async () => {
    const arn = await startExecution("decision", { letterId: "L3", timeoutSeconds: 60 });
    const token = await tokenFor("L3");
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe("RUNNING");

    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ action: "approve" }) }));
    const out = await settled(arn);
    expect(out.status).toBe("SUCCEEDED");
    expect(JSON.parse(out.output ?? "null")).toEqual({ action: "approve" });

    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" }))).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: "not a token!", output: "{}" }))).rejects.toBeInstanceOf(InvalidToken);
  });

  it("routes SendTaskFailure into the Catch with {Error, Cause}", async () => {
    const arn = await startExecution("decision", { letterId: "L4", timeoutSeconds: 60 });
    await sfn.send(new SendTaskFailureCommand({ taskToken: await tokenFor("L4"), error: "Letter.Withdrawn", cause: "registry withdrew it" }));
    const out = await settled(arn);
    expect(out.status).toBe("SUCCEEDED");
    expect(JSON.parse(out.output ?? "null")).toEqual({ recorded: { Error: "Letter.Withdrawn", Cause: "registry withdrew it" } });
  });

  it("times out a token wait after TimeoutSecondsPath with States.Timeout into the Catch", async () => {
    const arn = await startExecution("decision", { letterId: "L5", timeoutSeconds: 1 });
    const token = await tokenFor("L5");
    const out = await settled(arn);
    expect(out.status).toBe("SUCCEEDED");
    expect(JSON.parse(out.output ?? "null")).toEqual({ overdue: "L5", error: "States.Timeout" });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" }))).rejects.toMatchObject({ name: "TaskTimedOut" });
  });

  it("retries a failing lambda and succeeds on the third attempt", async () => {
    flakyCalls = 0;
    const arn = await startExecution("flaky", {});
    const out = await settled(arn);
    expect(out.status).toBe("SUCCEEDED");
    expect(JSON.parse(out.output ?? "null")).toEqual({ attempts: 3 });

    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }));
    const failures = (events ?? []).filter((e) => e.type === "TaskFailed");
    expect(failures).toHaveLength(2);
    expect(failures[0]?.taskFailedEventDetails?.error).toBe("TransientError");
    expect(JSON.parse(failures[0]?.taskFailedEventDetails?.cause ?? "{}")).toMatchObject({ errorType: "TransientError", errorMessage: "attempt 1 failed" });
  });

  it("stops a running execution", async () => {
    const arn = await startExecution("decision", { letterId: "L6", timeoutSeconds: 60 });
    const token = await tokenFor("L6");
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn: arn, error: "Letter.Deleted", cause: "test" }));
    expect(stopped.stopDate).toBeInstanceOf(Date);
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(out).toMatchObject({ status: "ABORTED", error: "Letter.Deleted" });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: "{}" }))).rejects.toBeInstanceOf(TaskDoesNotExist);
  });

  it("records an ordered history with the cloud's event types", async () => {
    const arn = await startExecution("route", { priority: "high" });
    await settled(arn);
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }));
    expect((events ?? []).map((e) => e.type)).toEqual([
      "ExecutionStarted",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskSucceeded",
      "TaskStateExited",
      "ChoiceStateEntered",
      "ChoiceStateExited",
      "PassStateEntered",
      "PassStateExited",
      "ExecutionSucceeded",
    ]);
    expect((events ?? []).map((e) => e.id)).toEqual(events?.map((_, i) => i + 1));
    expect(events?.[0]?.timestamp).toBeInstanceOf(Date);
    expect(events?.[1]?.stateEnteredEventDetails?.name).toBe("Classify");

    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 4, reverseOrder: true }));
    expect(page.events?.map((e) => e.id)).toEqual([11, 10, 9, 8]);
    const rest = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, maxResults: 4, reverseOrder: true, nextToken: page.nextToken }));
    expect(rest.events?.map((e) => e.id)).toEqual([7, 6, 5, 4]);
  });

  it("answers a repeated start with the same name and input with the same execution, and refuses other input", async () => {
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: engine.stateMachineArn("decision"), name: "letter-L7", input: '{"letterId":"L7","timeoutSeconds":60}' }));
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: engine.stateMachineArn("decision"), name: "letter-L7", input: '{"letterId":"L7","timeoutSeconds":60}' }));
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: engine.stateMachineArn("decision"), name: "letter-L7", input: '{"letterId":"other"}' })),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
  });

  it("resumes after a restart: an old token still completes its execution and a timer due meanwhile fires", async () => {
    const waiting = await startExecution("decision", { letterId: "L8", timeoutSeconds: 60 });
    const token = await tokenFor("L8");
    const pausing = await startExecution("pause", { seconds: 1 });
    const midRun = await startExecution("slow", {});
    await new Promise((r) => setTimeout(r, 100));
    await engine.stop(); // lets the slow lambda finish, but runs nothing after it
    sfn.destroy();
    const stored = await dynamo.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: `EXEC#${midRun}` }, sk: { S: "EXEC" } } }));
    expect(stored.Item?.status?.S).toBe("RUNNING");

    await new Promise((r) => setTimeout(r, 1200)); // the pause's timer comes due while no engine runs
    engine = await start();
    sfn = new SFNClient({ ...LOCAL_AWS, endpoint: engine.endpoint });

    const paused = await settled(pausing, 3000);
    expect(paused.status).toBe("SUCCEEDED");
    expect(JSON.parse(paused.output ?? "null")).toEqual({ woke: true });

    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"action":"complete"}' }));
    const done = await settled(waiting);
    expect(JSON.parse(done.output ?? "null")).toEqual({ action: "complete" });

    const continued = await settled(midRun);
    expect(JSON.parse(continued.output ?? "null")).toEqual({ after: 7 });
  });
});
