import { describe, expect, it } from "vitest";
import { runState, taskOutput } from "../../../local/sfn/interpreter";
import type { TaskState } from "../../../local/sfn/definition";
import { applyTemplate, evaluatePath, type Json } from "../../../local/sfn/paths";
import { context, stateOf } from "./support";

// Examples from the Step Functions documentation, "Processing input and output".
const lambdaTask = (fields: Record<string, unknown>): TaskState =>
  stateOf({ Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: "HelloFunction", "Payload.$": "$" }, End: true, ...fields }) as TaskState;

describe("input and output processing", () => {
  it("InputPath selects the part of the input the state works on", () => {
    const input = { comment: "Example for InputPath.", dataset1: { val1: 1, val2: 2, val3: 3 }, dataset2: { val1: "a", val2: "b", val3: "c" } };
    const outcome = runState(stateOf({ Type: "Pass", InputPath: "$.dataset2", End: true }), input, context(), 0);
    expect(outcome).toEqual({ kind: "end", output: { val1: "a", val2: "b", val3: "c" } });
  });

  it("Parameters builds a new input from static values and paths", () => {
    const input = {
      comment: "Example for Parameters.",
      product: { details: { color: "blue", size: "small", material: "cotton" }, availability: "in stock", sku: "2317", cost: "$23" },
    };
    const state = stateOf({
      Type: "Pass",
      Parameters: { comment: "Selecting what I care about.", MyDetails: { "size.$": "$.product.details.size", "exists.$": "$.product.availability", StaticValue: "foo" } },
      End: true,
    });
    expect(runState(state, input, context(), 0)).toEqual({
      kind: "end",
      output: { comment: "Selecting what I care about.", MyDetails: { size: "small", exists: "in stock", StaticValue: "foo" } },
    });
  });

  it("InputPath, then the task, then ResultPath and OutputPath (the comment/data/extra example)", () => {
    const input = { comment: "An input comment.", data: { val1: 23, val2: 17 }, extra: "foo", lambda: { who: "AWS Step Functions" } };
    const task = lambdaTask({ InputPath: "$.lambda", ResultPath: "$.data.lambdaresult", OutputPath: "$.data" });

    const invoke = runState(task, input, context(), 0);
    expect(invoke).toMatchObject({ kind: "invoke", functionName: "HelloFunction", payload: { who: "AWS Step Functions" } });

    const output = taskOutput(task, input, "Hello, AWS Step Functions!", context());
    expect(output).toEqual({ val1: 23, val2: 17, lambdaresult: "Hello, AWS Step Functions!" });
    expect(input.data).toEqual({ val1: 23, val2: 17 });
  });

  it("ResultSelector picks from the raw result before ResultPath places it", () => {
    const result = {
      resourceType: "elasticmapreduce",
      resource: "createCluster.sync",
      output: {
        SdkHttpMetadata: { HttpHeaders: { "Content-Length": "1112", "x-amzn-RequestId": "1234-5678-9011" }, HttpStatusCode: 200 },
        SdkResponseMetadata: { RequestId: "1234-5678-9011" },
        ClusterId: "AKIAIOSFODNN7EXAMPLE",
      },
    };
    const task = lambdaTask({ ResultSelector: { "ClusterId.$": "$.output.ClusterId", "ResourceType.$": "$.resourceType" }, ResultPath: "$.EMROutput" });
    expect(taskOutput(task, { cluster: "c1" }, result, context())).toEqual({
      cluster: "c1",
      EMROutput: { ClusterId: "AKIAIOSFODNN7EXAMPLE", ResourceType: "elasticmapreduce" },
    });
  });

  describe("ResultPath", () => {
    const input = { comment: "This is a test of the input and output of a Task state.", details: "Default example", who: "AWS Step Functions" };
    const result = "Hello, AWS Step Functions!";

    it("replaces the input by default", () => {
      expect(taskOutput(lambdaTask({}), input, result, context())).toBe(result);
    });
    it("discards the result and keeps the input with null", () => {
      expect(taskOutput(lambdaTask({ ResultPath: null }), input, result, context())).toEqual(input);
    });
    it("adds the result to the input", () => {
      expect(taskOutput(lambdaTask({ ResultPath: "$.taskresult" }), input, result, context())).toEqual({ ...input, taskresult: result });
    });
    it("updates a node inside the input", () => {
      const nested = { comment: "An input comment.", strings: { who: "AWS Step Functions" } };
      expect(taskOutput(lambdaTask({ ResultPath: "$.strings.lambdaresult" }), nested, result, context())).toEqual({
        comment: "An input comment.",
        strings: { who: "AWS Step Functions", lambdaresult: result },
      });
    });
    it("fails with States.ResultPathMatchFailure when the input cannot hold the result", () => {
      expect(() => taskOutput(lambdaTask({ ResultPath: "$.comment.inner" }), input, result, context())).toThrow(
        expect.objectContaining({ error: "States.ResultPathMatchFailure" }),
      );
    });
  });

  it("OutputPath null yields the empty object, InputPath null an empty input", () => {
    expect(runState(stateOf({ Type: "Pass", OutputPath: null, End: true }), { a: 1 }, context(), 0)).toEqual({ kind: "end", output: {} });
    expect(runState(stateOf({ Type: "Pass", InputPath: null, End: true }), { a: 1 }, context(), 0)).toEqual({ kind: "end", output: {} });
  });

  it("Pass Result is injected at ResultPath", () => {
    const state = stateOf({ Type: "Pass", Result: { x: 0.381018, y: 622.2269926397355 }, ResultPath: "$.result", End: true });
    expect(runState(state, { georefOf: "Home" }, context(), 0)).toEqual({ kind: "end", output: { georefOf: "Home", result: { x: 0.381018, y: 622.2269926397355 } } });
  });

  it("Parameters read the context object with $$", () => {
    const template = { "execution.$": "$$.Execution.Name", "state.$": "$$.State.Name", "token.$": "$$.Task.Token", "started.$": "$$.Execution.StartTime", "letter.$": "$$.Execution.Input.letterId" };
    expect(applyTemplate(template, {}, context({ Task: { Token: "tok-123" } }))).toEqual({
      execution: "letter-42",
      state: "S",
      token: "tok-123",
      started: "2026-03-02T08:00:00.000Z",
      letter: "42",
    });
  });

  it("a missing path in Parameters fails with States.Runtime", () => {
    expect(() => applyTemplate({ "x.$": "$.missing" }, { a: 1 }, context())).toThrow(expect.objectContaining({ error: "States.Runtime" }));
  });

  it("query paths return every match, reference paths one node", () => {
    const input: Json = { items: [{ id: "a", n: 1 }, { id: "b", n: 5 }] };
    expect(evaluatePath("$.items[*].id", input)).toEqual(["a", "b"]);
    expect(evaluatePath("$.items[1].id", input)).toBe("b");
    expect(evaluatePath("$['items'][0]['n']", input)).toBe(1);
  });
});

describe("States.Format", () => {
  it("fills placeholders in order from paths and literals", () => {
    const out = applyTemplate({ "greeting.$": "States.Format('Hello, my name is {}.', $.name)" }, { name: "Arnav" }, context());
    expect(out).toEqual({ greeting: "Hello, my name is Arnav." });
  });

  it("formats numbers, booleans, context values and nested calls; escaped braces stay literal", () => {
    const out = applyTemplate(
      { "text.$": "States.Format('Letter {} ({}) due in {} days, urgent={} \\{ok\\} {}', $.ref, $$.Execution.Name, $.days, $.urgent, States.Format('[{}]', 'x'))" },
      { ref: "DEMO/ADM/2026/0007", days: 3, urgent: false },
      context(),
    );
    expect(out).toEqual({ text: "Letter DEMO/ADM/2026/0007 (letter-42) due in 3 days, urgent=false {ok} [x]" });
  });

  it("fails with States.IntrinsicFailure when arguments and placeholders disagree", () => {
    expect(() => applyTemplate({ "t.$": "States.Format('{} {}', $.a)" }, { a: 1 }, context())).toThrow(expect.objectContaining({ error: "States.IntrinsicFailure" }));
    expect(() => applyTemplate({ "t.$": "States.Format('{}', $.o)" }, { o: { nested: true } }, context())).toThrow(expect.objectContaining({ error: "States.IntrinsicFailure" }));
  });
});
