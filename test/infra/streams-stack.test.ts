import { beforeAll, describe, expect, it } from "vitest";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { DIGEST_SCHEDULE_ENV } from "../../functions/scheduled/functions";
import { CLOUD_STREAM_CONSUMERS, DIGEST_SCHEDULES_ENTRY } from "../../functions/streams/consumers";
import { AUDIT_DENIED_ACTIONS } from "../../lib/constructs/app-tables";
import { auditAccessByFunction } from "./support/audit";
import { logicalIdOf, resourcesOfType, synthesize, type SynthesizedApp, SYNTH_TIMEOUT_MS } from "./support/synth";

let synth: SynthesizedApp;
let streams: Template;

beforeAll(() => {
  synth = synthesize();
  streams = synth.template(synth.cells[0]!.streams);
}, SYNTH_TIMEOUT_MS);

type Statement = { Effect?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

function statementsOfRole(roleId: string): Statement[] {
  return Object.values(resourcesOfType(streams, "AWS::IAM::Policy"))
    .filter((p) => JSON.stringify(p.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}

const actionsOf = (statement: Statement) => ([] as string[]).concat(statement.Action);

function digestSchedules() {
  const consumer = synth.cells[0]!.streams.consumers.get(DIGEST_SCHEDULES_ENTRY);
  if (!consumer) throw new Error("no digest-schedules consumer");
  return consumer;
}

describe("streams stack", () => {
  it("maps every consumer's table stream to its function, from the oldest record, with partial batch responses", () => {
    const mappings = Object.values(resourcesOfType(streams, "AWS::Lambda::EventSourceMapping"));
    expect(mappings).toHaveLength(CLOUD_STREAM_CONSUMERS.length);
    for (const mapping of mappings) {
      expect(mapping.Properties).toMatchObject({
        StartingPosition: "TRIM_HORIZON",
        FunctionResponseTypes: ["ReportBatchItemFailures"],
        BisectBatchOnFunctionError: true,
        ParallelizationFactor: 1,
        MaximumRetryAttempts: expect.any(Number),
        MaximumRecordAgeInSeconds: expect.any(Number),
      });
    }
    const consumer = synth.cells[0]!.streams.consumers.get("functions/streams/search-indexer.ts");
    expect(consumer).toBeDefined();
    const functionId = logicalIdOf(consumer!.function);
    for (const table of ["Letters", "Files"]) {
      const reading = mappings.filter((m) => {
        const source = JSON.stringify(m.Properties?.EventSourceArn);
        return source.includes(`Tables${table}`) && source.includes("StreamArn");
      });
      expect(reading.map((m) => m.Properties?.FunctionName), table).toContainEqual({ Ref: functionId });
    }
  });

  it("sends a batch that failed every retry to the consumer's encrypted SQS dead-letter queue", () => {
    const mappings = Object.values(resourcesOfType(streams, "AWS::Lambda::EventSourceMapping"));
    for (const consumer of synth.cells[0]!.streams.consumers.values()) {
      const own = mappings.filter((m) => JSON.stringify(m.Properties?.FunctionName) === JSON.stringify({ Ref: logicalIdOf(consumer.function) }));
      expect(own.length).toBeGreaterThan(0);
      for (const mapping of own) {
        expect(mapping.Properties?.DestinationConfig).toEqual({ OnFailure: { Destination: { "Fn::GetAtt": [logicalIdOf(consumer.deadLetterQueue), "Arn"] } } });
      }
    }
    streams.hasResourceProperties("AWS::SQS::Queue", { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
  });

  it("raises an alarm on the operations topic as soon as the dead-letter queue holds a message", () => {
    streams.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      AlarmActions: [Match.anyValue()],
    });
  });

  it("never lets a consumer change or remove an Audit entry, each with the explicit Deny that API functions carry", () => {
    const access = auditAccessByFunction(streams);
    expect(access.size).toBe(synth.cells[0]!.streams.consumers.size);
    for (const [id, { allowed, denied }] of access) {
      for (const action of AUDIT_DENIED_ACTIONS) expect(allowed, id).not.toContain(action);
      expect(denied, id).toEqual(expect.arrayContaining([...AUDIT_DENIED_ACTIONS]));
    }
  });

  it("lets the indexer read letters and files by key and write only the search index, without Scan", () => {
    const indexer = synth.cells[0]!.streams.consumers.get("functions/streams/search-indexer.ts")!;
    const roleId = logicalIdOf(indexer.function.role!);
    const statements = Object.values(resourcesOfType(streams, "AWS::IAM::Policy"))
      .filter((p) => JSON.stringify(p.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
    // What it may do (the Audit Deny names UpdateItem too).
    const actions = statements.filter((s) => (s.Effect ?? "Allow") === "Allow").flatMap((s) => ([] as string[]).concat(s.Action));
    expect(actions).toEqual(expect.arrayContaining(["dynamodb:BatchWriteItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:GetRecords"]));
    expect(actions.filter((a) => /dynamodb:(Scan|\*)|dynamodb:UpdateItem/.test(a))).toEqual([]);
    const writes = statements.filter((s) => ([] as string[]).concat(s.Action).includes("dynamodb:PutItem"));
    expect(writes.length).toBeGreaterThan(0);
    for (const statement of writes) expect(JSON.stringify(statement.Resource)).toMatch(/SearchIndex/);
  });

  it("streams the Directory table, whose agencies and settings drive the digest schedules", () => {
    const data = synth.template(synth.cells[0]!.data);
    const directoryId = logicalIdOf(synth.cells[0]!.data.tables.tables.directory);
    expect(resourcesOfType(data, "AWS::DynamoDB::Table")[directoryId]?.Properties?.StreamSpecification).toEqual({
      StreamViewType: "NEW_AND_OLD_IMAGES",
    });
  });

  it("invokes the digest-schedules consumer only with written or changed agency and settings items, with a dead-letter queue and alarm", () => {
    const consumer = digestSchedules();
    const directoryId = logicalIdOf(synth.cells[0]!.data.tables.tables.directory);
    const mappings = Object.values(resourcesOfType(streams, "AWS::Lambda::EventSourceMapping")).filter(
      (m) => JSON.stringify(m.Properties?.FunctionName) === JSON.stringify({ Ref: logicalIdOf(consumer.function) }),
    );
    expect(mappings).toHaveLength(1);
    expect(JSON.stringify(mappings[0]?.Properties?.EventSourceArn)).toContain(directoryId);
    streams.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      FunctionName: { Ref: logicalIdOf(consumer.function) },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ["INSERT", "MODIFY"],
              dynamodb: { Keys: { pk: { S: [{ prefix: "AGENCY#" }] }, sk: { S: ["AGENCY", "SETTINGS"] } } },
            }),
          },
        ],
      },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      MaximumRetryAttempts: Match.anyValue(),
      DestinationConfig: { OnFailure: { Destination: { "Fn::GetAtt": [logicalIdOf(consumer.deadLetterQueue), "Arn"] } } },
    });
    streams.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [logicalIdOf(consumer.deadLetterQueue), "QueueName"] } }],
      AlarmActions: [Match.anyValue()],
    });
    // The other consumers see every record of their tables.
    for (const [entry, other] of synth.cells[0]!.streams.consumers) {
      if (entry === DIGEST_SCHEDULES_ENTRY) continue;
      for (const mapping of Object.values(resourcesOfType(streams, "AWS::Lambda::EventSourceMapping"))) {
        if (JSON.stringify(mapping.Properties?.FunctionName) !== JSON.stringify({ Ref: logicalIdOf(other.function) })) continue;
        expect(mapping.Properties?.FilterCriteria, entry).toBeUndefined();
        expect(JSON.stringify(mapping.Properties?.EventSourceArn), entry).not.toContain(directoryId);
      }
    }
  });

  it("tells the digest-schedules consumer the cell's group, the digest function, the scheduler role and the dead-letter queue", () => {
    const digest = synth.cells[0]!.alerts.digest;
    const env = (resourcesOfType(streams, "AWS::Lambda::Function")[logicalIdOf(digestSchedules().function)]?.Properties?.Environment as {
      Variables: Record<string, unknown>;
    }).Variables;
    expect(env[DIGEST_SCHEDULE_ENV.groupName]).toBe("ofisi-shared");
    // Outputs of the Alerts stack, which the Streams stack therefore follows (and never the reverse).
    for (const [name, construct] of [
      [DIGEST_SCHEDULE_ENV.functionArn, digest.function],
      [DIGEST_SCHEDULE_ENV.roleArn, digest.schedulerRole],
      [DIGEST_SCHEDULE_ENV.deadLetterArn, digest.deadLetterQueue],
    ] as const) {
      const value = JSON.stringify(env[name]);
      expect(value, name).toContain(synth.cells[0]!.alerts.stackName);
      expect(value, name).toContain(logicalIdOf(construct));
    }
    expect(synth.cells[0]!.streams.dependencies).toContain(synth.cells[0]!.alerts);
    expect(synth.cells[0]!.alerts.dependencies).not.toContain(synth.cells[0]!.streams);
  });

  it("lets the digest-schedules consumer create, update and read the group's schedules, pass only the scheduler role, and read settings", () => {
    const statements = statementsOfRole(logicalIdOf(digestSchedules().function.role!));
    const scheduling = statements.filter((s) => actionsOf(s).some((a) => a.startsWith("scheduler:")));
    expect(scheduling).toHaveLength(1);
    expect(actionsOf(scheduling[0]!).sort()).toEqual(["scheduler:CreateSchedule", "scheduler:GetSchedule", "scheduler:UpdateSchedule"]);
    expect(JSON.stringify(scheduling[0]!.Resource)).toContain(":schedule/ofisi-shared/*");

    const passRole = statements.filter((s) => actionsOf(s).some((a) => a.startsWith("iam:")));
    expect(passRole).toHaveLength(1);
    expect(actionsOf(passRole[0]!)).toEqual(["iam:PassRole"]);
    expect(JSON.stringify(passRole[0]!.Resource)).toContain(logicalIdOf(synth.cells[0]!.alerts.digest.schedulerRole));
    expect(passRole[0]!.Condition).toEqual({ StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } });
    // No consumer may pass any role it likes.
    const everyStatement = Object.values(resourcesOfType(streams, "AWS::IAM::Policy")).flatMap(
      (p) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    for (const statement of everyStatement.filter((s) => actionsOf(s).some((a) => /^iam:(PassRole|\*)$|^\*$/.test(a)))) {
      expect(JSON.stringify(statement.Resource)).not.toContain("*");
    }

    const dynamo = statements.filter((s) => (s.Effect ?? "Allow") === "Allow").flatMap(actionsOf).filter((a) => a.startsWith("dynamodb:"));
    expect(dynamo).toEqual(expect.arrayContaining(["dynamodb:GetItem", "dynamodb:GetRecords"]));
    expect(dynamo.filter((a) => /dynamodb:(Scan|\*|PutItem|UpdateItem|DeleteItem|BatchWriteItem)/.test(a))).toEqual([]);
  });

  it("resyncs the digest schedules after each deployment that changes the consumer: a trigger invokes its current version, once the consumer is in place", () => {
    const consumer = digestSchedules();
    const functionId = logicalIdOf(consumer.function);
    const versionId = logicalIdOf(consumer.function.currentVersion);
    expect(synth.cells[0]!.streams.resyncTriggers.get(DIGEST_SCHEDULES_ENTRY)).toBeDefined();
    // A new version comes with each change of the function's code or configuration, and re-runs the trigger.
    streams.hasResourceProperties("AWS::Lambda::Version", { FunctionName: { Ref: functionId } });
    streams.hasResourceProperties("Custom::Trigger", {
      HandlerArn: { Ref: versionId },
      // Synchronous, so a failed resync fails the deployment.
      InvocationType: "RequestResponse",
      ExecuteOnHandlerChange: true,
    });
    const triggers = Object.values(resourcesOfType(streams, "Custom::Trigger"));
    expect(triggers).toHaveLength(1);

    // After the function's role policy (the Scheduler and Directory grants) and its event source mapping.
    const dependsOn = (triggers[0] as { DependsOn?: string[] }).DependsOn ?? [];
    const roleId = logicalIdOf(consumer.function.role!);
    const policyIds = Object.entries(resourcesOfType(streams, "AWS::IAM::Policy"))
      .filter(([, p]) => JSON.stringify(p.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
      .map(([id]) => id);
    const mappingIds = Object.entries(resourcesOfType(streams, "AWS::Lambda::EventSourceMapping"))
      .filter(([, m]) => JSON.stringify(m.Properties?.FunctionName) === JSON.stringify({ Ref: functionId }))
      .map(([id]) => id);
    expect(policyIds.length).toBeGreaterThan(0);
    expect(mappingIds).toHaveLength(1);
    expect(dependsOn).toEqual(expect.arrayContaining([functionId, ...policyIds, ...mappingIds]));
  });

  it("lets the resync trigger invoke the digest-schedules consumer and no other function", () => {
    const functionArn = { "Fn::GetAtt": [logicalIdOf(digestSchedules().function), "Arn"] };
    const inline = Object.values(resourcesOfType(streams, "AWS::IAM::Role")).flatMap((role) =>
      ((role.Properties?.Policies as { PolicyDocument: { Statement: Statement[] } }[] | undefined) ?? []).flatMap((p) => p.PolicyDocument.Statement),
    );
    const attached = Object.values(resourcesOfType(streams, "AWS::IAM::Policy")).flatMap(
      (p) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement,
    );
    const invoking = [...inline, ...attached].filter((s) => actionsOf(s).some((a) => /^lambda:(Invoke|\*)|^\*$/.test(a)));
    expect(invoking).toHaveLength(1);
    expect(actionsOf(invoking[0]!)).toEqual(["lambda:InvokeFunction"]);
    // The function's versions (the trigger names one), nothing else.
    expect(invoking[0]!.Resource).toEqual([{ "Fn::Join": ["", [functionArn, ":*"]] }]);
    // That statement is the trigger provider's, the function the trigger calls.
    const serviceToken = JSON.stringify(Object.values(resourcesOfType(streams, "Custom::Trigger"))[0]?.Properties?.ServiceToken);
    const providerId = Object.keys(resourcesOfType(streams, "AWS::Lambda::Function")).find((id) => serviceToken.includes(`"${id}"`));
    expect(providerId).toBeDefined();
    const providerRole = JSON.stringify(resourcesOfType(streams, "AWS::Lambda::Function")[providerId!]?.Properties?.Role);
    const [roleId] = Object.entries(resourcesOfType(streams, "AWS::IAM::Role")).find(([, role]) =>
      JSON.stringify(role.Properties?.Policies ?? []).includes("lambda:InvokeFunction"),
    ) ?? [""];
    expect(providerRole).toContain(`"${roleId}"`);
  });
});
