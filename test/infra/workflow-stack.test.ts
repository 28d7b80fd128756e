import { beforeAll, describe, expect, it } from "vitest";
import { Match, type Template } from "aws-cdk-lib/assertions";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { WORKFLOW_SIGNALS_ENTRY } from "../../functions/streams/consumers";
import { WORKFLOW_FUNCTIONS } from "../../functions/workflow/functions";
import { AUDIT_DENIED_ACTIONS } from "../../lib/constructs/app-tables";
import { auditAccessByFunction } from "./support/audit";
import { logicalIdOf, resourcesOfType, synthesize, type SynthesizedApp, SYNTH_TIMEOUT_MS } from "./support/synth";

interface Statement {
  Effect?: string;
  Action: string | string[];
  Resource: unknown;
}

/** The IAM statements that allow something to a function's role in a template (explicit Denies left out). */
function statementsOf(template: Template, fn: IFunction): Statement[] {
  const roleId = logicalIdOf(fn.role!);
  return Object.values(resourcesOfType(template, "AWS::IAM::Policy"))
    .filter((p) => JSON.stringify(p.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((s) => (s.Effect ?? "Allow") === "Allow");
}

const actionsOf = (statements: Statement[]) => statements.flatMap((s) => ([] as string[]).concat(s.Action));
const onStateMachine = (statements: Statement[], action: string) =>
  statements.filter((s) => ([] as string[]).concat(s.Action).includes(action)).map((s) => JSON.stringify(s.Resource));

let synth: SynthesizedApp;
let workflow: Template;

beforeAll(() => {
  synth = synthesize();
  workflow = synth.template(synth.cells[0]!.workflow);
}, SYNTH_TIMEOUT_MS);

describe("workflow stack", () => {
  it("runs the letter workflow as a STANDARD state machine with every event logged (no task tokens or data) and X-Ray tracing", () => {
    workflow.hasResourceProperties("AWS::StepFunctions::StateMachine", {
      StateMachineType: "STANDARD",
      StateMachineName: "ofisi-shared-letter-workflow",
      LoggingConfiguration: Match.objectLike({ Level: "ALL", IncludeExecutionData: false }),
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

  it("lets every workflow task answer its own task token and read and write the letters", () => {
    for (const fn of synth.cells[0]!.workflow.functions) {
      const statements = statementsOf(workflow, fn);
      expect(onStateMachine(statements, "states:SendTaskSuccess").join()).toContain(":stateMachine:ofisi-shared-letter-workflow");
      expect(actionsOf(statements)).toEqual(expect.arrayContaining(["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"]));
    }
  });

  it("denies every workflow task any change or removal of an Audit entry, though it may append one", () => {
    const access = auditAccessByFunction(workflow);
    expect(access.size).toBe(synth.cells[0]!.workflow.functions.length);
    for (const [id, { allowed, denied }] of access) {
      expect(allowed, id).toContain("dynamodb:PutItem");
      expect(denied, id).toEqual(expect.arrayContaining([...AUDIT_DENIED_ACTIONS]));
      for (const action of AUDIT_DENIED_ACTIONS) expect(allowed, id).not.toContain(action);
    }
  });

  it("lets the workflow signaller of the Letters stream start and signal executions, read letters by key and write nothing", () => {
    const signaller = synth.cells[0]!.streams.consumers.get(WORKFLOW_SIGNALS_ENTRY);
    expect(signaller).toBeDefined();
    const statements = statementsOf(synth.template(synth.cells[0]!.streams), signaller!.function);
    const actions = actionsOf(statements);
    expect(actions).toEqual(expect.arrayContaining(["states:StartExecution", "states:SendTaskSuccess", "dynamodb:GetItem", "dynamodb:GetRecords"]));
    expect(actions.filter((a) => /dynamodb:(Scan|PutItem|UpdateItem|DeleteItem|BatchWriteItem|\*)|states:(StopExecution|\*)|ses:/.test(a))).toEqual([]);
    for (const resource of onStateMachine(statements, "states:StartExecution")) expect(resource).toContain(":stateMachine:ofisi-shared-letter-workflow");
  });

  it("lets the letters API start and signal the workflow", () => {
    const letters = synth.cells[0]!.api.functions.get("letters");
    expect(letters).toBeDefined();
    const actions = actionsOf(statementsOf(synth.template(synth.cells[0]!.api), letters!));
    expect(actions).toEqual(expect.arrayContaining(["states:StartExecution", "states:SendTaskSuccess"]));
  });
});
