import { DeleteItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { listFailedBatches, startStreamPoller, type StreamHandler, type StreamPoller, type StreamPollerOptions } from "../../../local/streams/poller";
import { ensureTable, latestStreamArn } from "../../../local/tables";
import { LOCAL_AWS, dynamoClient, dynamoEndpoint, uniquePrefix } from "../support/engines";

const quietLogger = { info: () => {}, warn: () => {}, error: () => {} };

let dynamo: DynamoDBClient;
let streams: DynamoDBStreamsClient;
let prefix: string;
let checkpointTable: string;
const running: StreamPoller[] = [];
let tableCount = 0;

beforeAll(() => {
  dynamo = dynamoClient();
  streams = new DynamoDBStreamsClient({ ...LOCAL_AWS, endpoint: dynamoEndpoint() });
  prefix = uniquePrefix("poller");
  checkpointTable = `${prefix}Checkpoints`;
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((poller) => poller.stop()));
});

afterAll(() => {
  dynamo.destroy();
  streams.destroy();
});

async function streamTable(): Promise<string> {
  tableCount += 1;
  const name = `${prefix}Items${tableCount}`;
  await ensureTable(dynamo, name, { stream: true });
  return name;
}

async function put(table: string, sk: string, extra: Record<string, { S: string }> = {}): Promise<void> {
  await dynamo.send(new PutItemCommand({ TableName: table, Item: { pk: { S: "p" }, sk: { S: sk }, ...extra } }));
}

async function poller(
  table: string,
  handler: StreamHandler,
  options: Partial<StreamPollerOptions> & { consumer?: string; batchSize?: number } = {},
): Promise<StreamPoller> {
  const started = await startStreamPoller({
    dynamo,
    streams,
    checkpointTable,
    consumers: [{ name: options.consumer ?? `consumer-${table}`, tableName: table, handler, batchSize: options.batchSize }],
    pollIntervalMs: 100,
    retryBackoffMs: 10,
    logger: quietLogger,
    ...options,
  });
  running.push(started);
  return started;
}

function sortKeys(records: DynamoDBRecord[]): (string | undefined)[] {
  return records.map((r) => r.dynamodb?.Keys?.sk?.S);
}

describe("stream poller", () => {
  it("delivers puts, updates and deletes in order, in batches, with the Lambda event shape", async () => {
    const table = await streamTable();
    const batches: DynamoDBStreamEvent[] = [];
    const started = await poller(table, async (event) => void batches.push(event), { batchSize: 2 });

    await dynamo.send(
      new PutItemCommand({ TableName: table, Item: { pk: { S: "p" }, sk: { S: "a" }, title: { S: "v1" }, blob: { B: new Uint8Array([1, 2, 3]) } } }),
    );
    await put(table, "b");
    await dynamo.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: { S: "p" }, sk: { S: "a" } },
        UpdateExpression: "SET title = :t",
        ExpressionAttributeValues: { ":t": { S: "v2" } },
      }),
    );
    await dynamo.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: "p" }, sk: { S: "b" } } }));
    await started.idle();

    const records = batches.flatMap((b) => b.Records);
    expect(records.map((r) => r.eventName)).toEqual(["INSERT", "INSERT", "MODIFY", "REMOVE"]);
    expect(sortKeys(records)).toEqual(["a", "b", "a", "b"]);
    expect(batches.every((b) => b.Records.length <= 2)).toBe(true);
    const sequence = records.map((r) => BigInt(r.dynamodb?.SequenceNumber ?? "0"));
    expect([...sequence].sort((x, y) => (x < y ? -1 : 1))).toEqual(sequence);

    const streamArn = await latestStreamArn(dynamo, table);
    const [insert, , modify, remove] = records;
    expect(insert).toMatchObject({
      eventSource: "aws:dynamodb",
      eventVersion: "1.1",
      eventSourceARN: streamArn,
      dynamodb: {
        Keys: { pk: { S: "p" }, sk: { S: "a" } },
        NewImage: { title: { S: "v1" }, blob: { B: Buffer.from([1, 2, 3]).toString("base64") } },
        StreamViewType: "NEW_AND_OLD_IMAGES",
      },
    });
    expect(typeof insert?.eventID).toBe("string");
    expect(typeof insert?.awsRegion).toBe("string");
    expect(typeof insert?.dynamodb?.ApproximateCreationDateTime).toBe("number");
    expect(typeof insert?.dynamodb?.SizeBytes).toBe("number");
    expect(insert?.dynamodb?.OldImage).toBeUndefined();
    expect(modify?.dynamodb?.OldImage?.title).toEqual({ S: "v1" });
    expect(modify?.dynamodb?.NewImage?.title).toEqual({ S: "v2" });
    expect(remove?.dynamodb?.OldImage?.sk).toEqual({ S: "b" });
    expect(remove?.dynamodb?.NewImage).toBeUndefined();
  });

  it("retries a batch whose handler throws, then delivers it once it succeeds", async () => {
    const table = await streamTable();
    // Both records are in the stream before the poller starts, so they arrive as one batch.
    await put(table, "x");
    await put(table, "y");
    let calls = 0;
    const delivered: string[] = [];
    const failed: DynamoDBRecord[] = [];
    const started = await poller(
      table,
      async (event) => {
        calls += 1;
        if (calls === 1) throw new Error("search index is warming up");
        delivered.push(...sortKeys(event.Records).map(String));
      },
      { onFailure: async (_c, records) => void failed.push(...records) },
    );
    await started.idle();

    expect(calls).toBe(2);
    expect(delivered).toEqual(["x", "y"]);
    expect(failed).toEqual([]);
  });

  it("retries from the record a partial batch response names, not from the start", async () => {
    const table = await streamTable();
    for (const sk of ["1", "2", "3", "4"]) await put(table, sk);
    const seen: string[][] = [];
    const started = await poller(table, async (event) => {
      seen.push(sortKeys(event.Records).map(String));
      if (seen.length === 1) {
        const third = event.Records[2]?.dynamodb?.SequenceNumber ?? "";
        return { batchItemFailures: [{ itemIdentifier: third }] };
      }
      return { batchItemFailures: [] };
    });
    await started.idle();

    expect(seen).toEqual([
      ["1", "2", "3", "4"],
      ["3", "4"],
    ]);
  });

  it("continues after a restart from its checkpoint: new records arrive, handled ones do not come again", async () => {
    const table = await streamTable();
    const first: string[] = [];
    const before = await poller(table, async (event) => void first.push(...sortKeys(event.Records).map(String)), {
      consumer: "restartable",
    });
    await put(table, "old-1");
    await put(table, "old-2");
    await before.idle();
    await before.stop();
    expect(first).toEqual(["old-1", "old-2"]);

    await put(table, "new-1");
    await put(table, "new-2");
    const second: string[] = [];
    const after = await poller(table, async (event) => void second.push(...sortKeys(event.Records).map(String)), {
      consumer: "restartable",
    });
    await after.idle();

    expect(second).toEqual(["new-1", "new-2"]);
  });

  it("keeps consumers of the same table apart: each has its own checkpoint", async () => {
    const table = await streamTable();
    await put(table, "shared");
    const one: string[] = [];
    const two: string[] = [];
    const started = await startStreamPoller({
      dynamo,
      streams,
      checkpointTable,
      pollIntervalMs: 100,
      logger: quietLogger,
      consumers: [
        { name: "indexer", tableName: table, handler: async (e) => void one.push(...sortKeys(e.Records).map(String)) },
        { name: "notifier", tableName: table, handler: async (e) => void two.push(...sortKeys(e.Records).map(String)) },
      ],
    });
    running.push(started);
    await started.idle();

    expect(one).toEqual(["shared"]);
    expect(two).toEqual(["shared"]);
  });

  it("sends a poison record to the on-failure destination after the last attempt, and later records still arrive", async () => {
    const table = await streamTable();
    let poisonAttempts = 0;
    const delivered: string[] = [];
    const destination: { consumer: string; keys: (string | undefined)[]; error: string }[] = [];
    const started = await poller(
      table,
      async (event) => {
        for (const record of event.Records) {
          if (record.dynamodb?.NewImage?.poison) {
            poisonAttempts += 1;
            throw new Error("cannot index this letter");
          }
        }
        delivered.push(...sortKeys(event.Records).map(String));
      },
      {
        consumer: "poisoned",
        batchSize: 1,
        maxAttempts: 3,
        onFailure: async (consumer, records, error) => {
          destination.push({ consumer, keys: sortKeys(records), error: String(error) });
        },
      },
    );
    await put(table, "good-1");
    await put(table, "bad", { poison: { S: "yes" } });
    await put(table, "good-2");
    await put(table, "good-3");
    await started.idle();

    expect(poisonAttempts).toBe(3);
    expect(destination).toEqual([{ consumer: "poisoned", keys: ["bad"], error: expect.stringContaining("cannot index this letter") }]);
    expect(delivered).toEqual(["good-1", "good-2", "good-3"]);
  });

  it("keeps failed batches in the checkpoint table when no on-failure callback is given", async () => {
    const table = await streamTable();
    const started = await poller(
      table,
      async () => {
        throw new Error("always down");
      },
      { consumer: "no-destination", maxAttempts: 2 },
    );
    await put(table, "lost");
    await started.idle();

    const failed = await listFailedBatches(dynamo, checkpointTable, "no-destination");
    expect(failed).toHaveLength(1);
    expect(failed[0]?.error).toContain("always down");
    expect(sortKeys(failed[0]?.records ?? [])).toEqual(["lost"]);
  });
});
