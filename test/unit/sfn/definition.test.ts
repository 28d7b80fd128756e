import { describe, expect, it } from "vitest";
import { DefinitionError, UnsupportedConstructError, loadDefinition } from "../../../local/sfn";

const task = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Type: "Task",
  Resource: "arn:aws:states:::lambda:invoke",
  Parameters: { FunctionName: "fn", "Payload.$": "$" },
  End: true,
  ...extra,
});
const machine = (states: Record<string, unknown>, extra: Record<string, unknown> = {}): object => ({
  StartAt: Object.keys(states)[0],
  States: states,
  ...extra,
});

describe("loading a definition", () => {
  it("fills ${Name} substitutions wherever they appear in a string", () => {
    const def = loadDefinition(
      JSON.stringify(machine({ Call: task({ Parameters: { FunctionName: "${RegisterFn}", Payload: { note: "from ${Agency}/${Agency}" } } }) })),
      { RegisterFn: "arn:aws:lambda:af-south-1:000000000000:function:register", Agency: "DEMO" },
    );
    const state = def.states.Call;
    expect(state?.type === "Task" && state.parameters).toEqual({
      FunctionName: "arn:aws:lambda:af-south-1:000000000000:function:register",
      Payload: { note: "from DEMO/DEMO" },
    });
    expect(def.text).toContain("function:register");
  });

  it("names a substitution that has no value", () => {
    expect(() => loadDefinition(machine({ Call: task({ Parameters: { FunctionName: "${MissingFn}" } }) }))).toThrow(
      /Definition substitution "\$\{MissingFn\}" has no value/,
    );
  });

  it("accepts every construct of the supported subset", () => {
    const def = loadDefinition(
      machine(
        {
          Wait4Decision: task({
            Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
            Parameters: { FunctionName: "fn", Payload: { "token.$": "$$.Task.Token", "msg.$": "States.Format('Letter {} of {}', $.id, $$.Execution.Name)" } },
            InputPath: "$",
            ResultSelector: { "x.$": "$.x" },
            ResultPath: "$.decision",
            OutputPath: "$",
            TimeoutSecondsPath: "$.timeout",
            Retry: [{ ErrorEquals: ["Lambda.ServiceException", "Lambda.TooManyRequestsException"], IntervalSeconds: 2, MaxAttempts: 4, BackoffRate: 2, MaxDelaySeconds: 30 }],
            Catch: [{ ErrorEquals: ["States.Timeout"], ResultPath: "$.error", Next: "Decide" }, { ErrorEquals: ["States.ALL"], Next: "Failed" }],
            End: undefined,
            Next: "Decide",
          }),
          Decide: {
            Type: "Choice",
            Choices: [
              { Variable: "$.decision.action", StringEquals: "approve", Next: "Done" },
              { And: [{ Variable: "$.n", IsPresent: true }, { Not: { Variable: "$.n", NumericLessThanPath: "$.limit" } }], Next: "Pause" },
            ],
            Default: "Pause",
          },
          Pause: { Type: "Wait", TimestampPath: "$.until", Next: "Shape" },
          Shape: { Type: "Pass", Parameters: { "letter.$": "$.id" }, ResultPath: null, Next: "Wait4Decision" },
          Done: { Type: "Succeed" },
          Failed: { Type: "Fail", Error: "Workflow.Failed", Cause: "see history" },
        },
        { TimeoutSeconds: 3600, Comment: "letter workflow" },
      ),
    );
    expect(Object.keys(def.states)).toHaveLength(6);
    expect(def.timeoutSeconds).toBe(3600);
  });

  it.each([
    ["a Parallel state", { Fan: { Type: "Parallel", Branches: [], End: true } }, 'State "Fan": type Parallel is not supported by the local engine'],
    ["a Map state", { Each: { Type: "Map", ItemsPath: "$.items", End: true } }, 'State "Each": type Map is not supported'],
    ["ItemsPath on a Task", { Call: task({ ItemsPath: "$.items" }) }, 'State "Call": field ItemsPath is not supported'],
    ["HeartbeatSeconds", { Call: task({ HeartbeatSeconds: 60 }) }, 'State "Call": field HeartbeatSeconds is not supported'],
    ["ResultWriter", { Call: task({ ResultWriter: {} }) }, 'State "Call": field ResultWriter is not supported'],
    ["a Task resource other than lambda invoke", { Call: task({ Resource: "arn:aws:states:::sqs:sendMessage" }) }, 'State "Call": Task Resource "arn:aws:states:::sqs:sendMessage" is not supported'],
    ["a plain Lambda ARN resource", { Call: task({ Resource: "arn:aws:lambda:af-south-1:000000000000:function:fn" }) }, 'State "Call": Task Resource'],
    ["an intrinsic other than States.Format", { Shape: { Type: "Pass", Parameters: { "ids.$": "States.Array($.a, $.b)" }, End: true } }, 'State "Shape": intrinsic function States.Array is not supported'],
    ["a nested unsupported intrinsic", { Shape: { Type: "Pass", Parameters: { "s.$": "States.Format('{}', States.UUID())" }, End: true } }, 'State "Shape": intrinsic function States.UUID is not supported'],
    ["an unknown Choice operator", { Pick: { Type: "Choice", Choices: [{ Variable: "$.a", StringContains: "x", Next: "End" }] }, End: { Type: "Succeed" } }, 'State "Pick": Choice rule field StringContains is not supported'],
    ["JSONata", { Call: task({ QueryLanguage: "JSONata" }) }, 'State "Call": field QueryLanguage is not supported'],
    ["a lambda:invoke parameter other than FunctionName and Payload", { Call: task({ Parameters: { FunctionName: "fn", InvocationType: "Event" } }) }, 'State "Call": lambda:invoke parameter InvocationType is not supported'],
    ["a Map context path", { Shape: { Type: "Pass", Parameters: { "item.$": "$$.Map.Item.Value" }, End: true } }, 'State "Shape": context path $$.Map.Item.Value is not supported'],
  ])("refuses %s, naming the construct and the state", (_label, states, message) => {
    expect(() => loadDefinition(machine(states))).toThrow(UnsupportedConstructError);
    expect(() => loadDefinition(machine(states))).toThrow(message);
  });

  it.each([
    ["a Next to no state", { A: { Type: "Pass", Next: "Nowhere" } }, 'State "A": Next "Nowhere" names no state'],
    ["both Next and End", { A: { Type: "Pass", Next: "A", End: true } }, 'State "A": has both Next and End'],
    ["a Wait with two durations", { A: { Type: "Wait", Seconds: 1, SecondsPath: "$.s", End: true } }, "exactly one of Seconds"],
    ["States.ALL not last", { A: task({ Catch: [{ ErrorEquals: ["States.ALL"], Next: "A" }, { ErrorEquals: ["X"], Next: "A" }] }) }, "States.ALL must be the last one"],
    ["a token task that does not pass the token", { A: task({ Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken" }) }, "must pass $$.Task.Token"],
    ["a path that is not a path", { A: { Type: "Pass", InputPath: "data", End: true } }, 'InputPath "data" is not a valid path'],
  ])("rejects %s", (_label, states, message) => {
    expect(() => loadDefinition(machine(states))).toThrow(DefinitionError);
    expect(() => loadDefinition(machine(states))).toThrow(message);
  });

  it("rejects text that is not JSON", () => {
    expect(() => loadDefinition("{ StartAt: ")).toThrow(/not valid JSON/);
  });
});
