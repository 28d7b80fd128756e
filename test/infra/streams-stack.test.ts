import { beforeAll, describe, expect, it } from "vitest";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { STREAM_CONSUMERS } from "../../functions/streams/consumers";
import { AUDIT_DENIED_ACTIONS } from "../../lib/constructs/app-tables";
import { auditAccessByFunction } from "./support/audit";
import { logicalIdOf, resourcesOfType, synthesize, type SynthesizedApp, SYNTH_TIMEOUT_MS } from "./support/synth";

let synth: SynthesizedApp;
let streams: Template;

beforeAll(() => {
  synth = synthesize();
  streams = synth.template(synth.cells[0]!.streams);
}, SYNTH_TIMEOUT_MS);

describe("streams stack", () => {
  it("maps every consumer's table stream to its function, from the oldest record, with partial batch responses", () => {
    const mappings = Object.values(resourcesOfType(streams, "AWS::Lambda::EventSourceMapping"));
    expect(mappings).toHaveLength(STREAM_CONSUMERS.length);
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

  it("never lets a consumer change or remove an Audit entry; one with Audit access also carries the explicit Deny", () => {
    const access = auditAccessByFunction(streams);
    expect(access.size).toBe(synth.cells[0]!.streams.consumers.size);
    for (const [id, { allowed, denied }] of access) {
      for (const action of AUDIT_DENIED_ACTIONS) expect(allowed, id).not.toContain(action);
      if (allowed.length > 0) expect(denied, id).toEqual(expect.arrayContaining([...AUDIT_DENIED_ACTIONS]));
    }
  });

  it("lets the indexer read letters and files by key and write only the search index, without Scan", () => {
    const indexer = synth.cells[0]!.streams.consumers.get("functions/streams/search-indexer.ts")!;
    const roleId = logicalIdOf(indexer.function.role!);
    const statements = Object.values(resourcesOfType(streams, "AWS::IAM::Policy"))
      .filter((p) => JSON.stringify(p.Properties?.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap((p) => (p.Properties?.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement);
    const actions = statements.flatMap((s) => ([] as string[]).concat(s.Action));
    expect(actions).toEqual(expect.arrayContaining(["dynamodb:BatchWriteItem", "dynamodb:GetItem", "dynamodb:Query", "dynamodb:GetRecords"]));
    expect(actions.filter((a) => /dynamodb:(Scan|\*)|dynamodb:UpdateItem/.test(a))).toEqual([]);
    const writes = statements.filter((s) => ([] as string[]).concat(s.Action).includes("dynamodb:PutItem"));
    expect(writes.length).toBeGreaterThan(0);
    for (const statement of writes) expect(JSON.stringify(statement.Resource)).toMatch(/SearchIndex/);
  });
});
