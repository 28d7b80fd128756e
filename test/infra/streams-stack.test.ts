import { beforeAll, describe, expect, it } from "vitest";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { STREAM_CONSUMERS } from "../../functions/streams/consumers";
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
      expect(reading.map((m) => m.Properties?.FunctionName), table).toEqual([{ Ref: functionId }]);
    }
  });

  it("sends a batch that failed every retry to an encrypted SQS dead-letter queue", () => {
    const queueId = logicalIdOf(synth.cells[0]!.streams.consumers.get("functions/streams/search-indexer.ts")!.deadLetterQueue);
    streams.hasResourceProperties("AWS::SQS::Queue", { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    streams.allResourcesProperties("AWS::Lambda::EventSourceMapping", {
      DestinationConfig: { OnFailure: { Destination: { "Fn::GetAtt": [queueId, "Arn"] } } },
    });
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

  it("lets the indexer read letters and files by key and write only the search index, without Scan", () => {
    const policies = Object.values(resourcesOfType(streams, "AWS::IAM::Policy")).map((p) => JSON.stringify(p.Properties?.PolicyDocument));
    const all = policies.join("\n");
    expect(all).toContain("dynamodb:BatchWriteItem");
    expect(all).not.toMatch(/dynamodb:Scan|"dynamodb:\*"/);
    const statements = resourcesOfType(streams, "AWS::IAM::Policy");
    const writes = Object.values(statements).flatMap((p) =>
      ((p.Properties?.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement ?? []).filter((s) =>
        ([] as string[]).concat(s.Action).includes("dynamodb:PutItem"),
      ),
    );
    expect(writes.length).toBeGreaterThan(0);
    for (const statement of writes) expect(JSON.stringify(statement.Resource)).toMatch(/SearchIndex/);
  });
});
