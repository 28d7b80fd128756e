import { beforeAll, describe, expect, it } from "vitest";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { WORKFLOW_FUNCTIONS } from "../../functions/workflow/functions";
import { logicalIdOf, synthesize, type SynthesizedApp, SYNTH_TIMEOUT_MS } from "./support/synth";

let synth: SynthesizedApp;
let workflow: Template;

beforeAll(() => {
  synth = synthesize();
  workflow = synth.template(synth.cells[0]!.workflow);
}, SYNTH_TIMEOUT_MS);

describe("workflow stack", () => {
  it("runs the letter workflow as a STANDARD state machine with full logging and X-Ray tracing", () => {
    workflow.hasResourceProperties("AWS::StepFunctions::StateMachine", {
      StateMachineType: "STANDARD",
      StateMachineName: "ofisi-shared-letter-workflow",
      LoggingConfiguration: Match.objectLike({ Level: "ALL", IncludeExecutionData: true }),
      TracingConfiguration: { Enabled: true },
    });
  });

  it("binds every placeholder of the definition to its own function and may invoke it", () => {
    const functionIds = Object.keys(workflow.findResources("AWS::Lambda::Function"));
    const substitutions: Record<string, unknown> = {};
    for (const spec of WORKFLOW_FUNCTIONS) {
      substitutions[spec.placeholder] = { "Fn::GetAtt": [Match.stringLikeRegexp("^Workflow"), "Arn"] };
    }
    workflow.hasResourceProperties("AWS::StepFunctions::StateMachine", { DefinitionSubstitutions: substitutions });
    const stateMachineRole = logicalIdOf(synth.cells[0]!.workflow.stateMachine.role);
    for (const fn of synth.cells[0]!.workflow.functions) {
      const fnId = logicalIdOf(fn);
      expect(functionIds).toContain(fnId);
      workflow.hasResourceProperties("AWS::IAM::Policy", {
        Roles: [{ Ref: stateMachineRole }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: "lambda:InvokeFunction",
              Resource: Match.arrayWith([{ "Fn::GetAtt": [fnId, "Arn"] }]),
            }),
          ]),
        },
      });
    }
    expect(synth.cells[0]!.workflow.functions).toHaveLength(WORKFLOW_FUNCTIONS.length);
  });

  it("tells each workflow function the ARN of the state machine it serves", () => {
    workflow.allResourcesProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          STATE_MACHINE_ARN: { "Fn::Join": ["", Match.arrayWith([":stateMachine:ofisi-shared-letter-workflow"])] },
        }),
      },
    });
  });

  it("raises an alarm when an execution fails", () => {
    workflow.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "AWS/States",
      MetricName: "ExecutionsFailed",
      AlarmActions: [Match.anyValue()],
    });
  });
});
