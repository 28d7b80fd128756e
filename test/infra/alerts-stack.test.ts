import { beforeAll, describe, expect, it } from "vitest";
import { Match, type Template } from "aws-cdk-lib/assertions";
import type { IRole } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { NOTIFICATIONS_ENTRY } from "../../functions/streams/consumers";
import { AUDIT_DENIED_ACTIONS } from "../../lib/constructs/app-tables";
import { auditAccessByFunction } from "./support/audit";
import { logicalIdOf, resourcesOfType, synthesize, type SynthesizedApp, SYNTH_TIMEOUT_MS } from "./support/synth";

/**
 * Alerts in the cloud (DESIGN.md section 7): SES identity from context, the digest's schedule group
 * and scheduler role (the per-agency schedules, with their timezones, are asserted in the streams
 * stack's tests and the consumer's unit tests), dead-letter queues and alarms.
 */

let synth: SynthesizedApp;
let alerts: Template;
let streams: Template;

beforeAll(() => {
  // A cell with its own sender and SES identity, to see that both come from the context.
  synth = synthesize({
    context: { cells: [{ name: "shared" }, { name: "tra", mailFrom: "barua@tra.go.tz", sesIdentity: "barua@tra.go.tz" }] },
  });
  alerts = synth.template(synth.cells[0]!.alerts);
  streams = synth.template(synth.cells[0]!.streams);
}, SYNTH_TIMEOUT_MS);

type Statement = { Action: string | string[]; Resource: unknown };

function statementsOf(template: Template, of: IFunction | IRole): Statement[] {
  const roleId = logicalIdOf("role" in of ? of.role! : of);
  return Object.values(resourcesOfType(template, "AWS::IAM::Policy"))
    .filter((p) => JSON.stringify(p.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}

function sesResources(statements: Statement[]): string[] {
  return statements.filter((s) => ([] as string[]).concat(s.Action).includes("ses:SendEmail")).map((s) => JSON.stringify(s.Resource));
}

describe("alerts stack", () => {
  it("keeps no sweep: the digest's schedules are one per agency, made in the cell's schedule group at run time", () => {
    for (const cell of synth.cells) {
      for (const stack of [cell.data, cell.workflow, cell.api, cell.streams, cell.alerts]) {
        synth.template(stack).resourceCountIs("AWS::Scheduler::Schedule", 0);
      }
    }
    alerts.hasResourceProperties("AWS::Scheduler::ScheduleGroup", { Name: "ofisi-shared" });
    synth.template(synth.cells[1]!.alerts).hasResourceProperties("AWS::Scheduler::ScheduleGroup", { Name: "ofisi-tra" });
    expect(synth.cells[0]!.alerts.digest.scheduleGroupName).toBe("ofisi-shared");
  });

  it("gives EventBridge Scheduler a role that may invoke the digest and dead-letter to its queue, and nothing else", () => {
    const digest = synth.cells[0]!.alerts.digest;
    alerts.hasResourceProperties("AWS::IAM::Role", {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: "scheduler.amazonaws.com" } })],
      }),
    });
    const statements = statementsOf(alerts, digest.schedulerRole);
    expect(statements.map((s) => [s.Action, s.Resource])).toEqual([
      ["lambda:InvokeFunction", { "Fn::GetAtt": [logicalIdOf(digest.function), "Arn"] }],
      [expect.arrayContaining(["sqs:SendMessage"]), { "Fn::GetAtt": [logicalIdOf(digest.deadLetterQueue), "Arn"] }],
    ]);
  });

  it("dead-letters a digest run that failed every retry, in an encrypted queue that raises an alarm", () => {
    const digest = synth.cells[0]!.alerts.digest;
    alerts.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      FunctionName: { Ref: logicalIdOf(digest.function) },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { "Fn::GetAtt": [logicalIdOf(digest.deadLetterQueue), "Arn"] } } },
    });
    alerts.hasResourceProperties("AWS::SQS::Queue", { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    alerts.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [logicalIdOf(digest.deadLetterQueue), "QueueName"] } }],
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      AlarmActions: [Match.anyValue()],
    });
  });

  it("lets the digest read directory and overdue boxes without Scan, and write nothing to letters", () => {
    const statements = statementsOf(alerts, synth.cells[0]!.alerts.digest.function);
    const actions = statements.flatMap((s) => ([] as string[]).concat(s.Action));
    expect(actions).toEqual(expect.arrayContaining(["dynamodb:Query", "dynamodb:GetItem", "dynamodb:PutItem"]));
    expect(actions.filter((a) => /dynamodb:(Scan|\*)/.test(a))).toEqual([]);
    for (const statement of statements.filter((s) => ([] as string[]).concat(s.Action).includes("dynamodb:PutItem"))) {
      expect(JSON.stringify(statement.Resource)).toMatch(/TablesDirectory/);
      expect(JSON.stringify(statement.Resource)).not.toMatch(/TablesLetters/);
    }
  });

  it("never lets the digest change or remove an Audit entry, with the explicit Deny that API functions carry", () => {
    const access = auditAccessByFunction(alerts);
    expect([...access.keys()]).toEqual([logicalIdOf(synth.cells[0]!.alerts.digest.function)]);
    for (const [id, { allowed, denied }] of access) {
      for (const action of AUDIT_DENIED_ACTIONS) expect(allowed, id).not.toContain(action);
      expect(denied, id).toEqual(expect.arrayContaining([...AUDIT_DENIED_ACTIONS]));
    }
  });

  it("sends mail, from the digest and the notifications consumer, only as the SES identity of the context", () => {
    const shared = synth.cells[0]!;
    const tra = synth.cells[1]!;
    const notifier = shared.streams.consumers.get(NOTIFICATIONS_ENTRY);
    expect(notifier).toBeDefined();
    for (const [template, fn] of [
      [alerts, shared.alerts.digest.function],
      [streams, notifier!.function],
    ] as const) {
      const resources = sesResources(statementsOf(template, fn));
      expect(resources).toHaveLength(1);
      expect(resources[0]).toContain(":identity/ofisi.go.tz");
    }
    const traAlerts = synth.template(tra.alerts);
    expect(sesResources(statementsOf(traAlerts, tra.alerts.digest.function))[0]).toContain(":identity/barua@tra.go.tz");
    traAlerts.hasResourceProperties("AWS::Lambda::Function", {
      Environment: { Variables: Match.objectLike({ MAIL_FROM: "barua@tra.go.tz", APP_URL: Match.anyValue() }) },
    });
  });

  it("gives the notifications consumer a dead-letter queue with an alarm, like every stream consumer", () => {
    const notifier = synth.cells[0]!.streams.consumers.get(NOTIFICATIONS_ENTRY)!;
    const mapping = Object.values(resourcesOfType(streams, "AWS::Lambda::EventSourceMapping")).find(
      (m) => JSON.stringify(m.Properties?.FunctionName) === JSON.stringify({ Ref: logicalIdOf(notifier.function) }),
    );
    expect(mapping?.Properties).toMatchObject({
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      DestinationConfig: { OnFailure: { Destination: { "Fn::GetAtt": [logicalIdOf(notifier.deadLetterQueue), "Arn"] } } },
    });
    streams.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [logicalIdOf(notifier.deadLetterQueue), "QueueName"] } }],
    });
  });
});
