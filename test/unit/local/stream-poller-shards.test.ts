import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from "@aws-sdk/client-dynamodb-streams";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { startStreamPoller, type StreamPoller } from "../../../local/streams/poller";

// A stream whose parent shard is closed and whose child shard is still open, as after a shard split.
const STREAM_ARN = "arn:aws:dynamodb:af-south-1:000000000000:table/Letters/stream/2026-03-02T00:00:00.000";
const shards: Record<string, { parent?: string; closed: boolean; records: _Record[] }> = {
  child: { parent: "parent", closed: false, records: [record("3"), record("4")] },
  parent: { closed: true, records: [record("1"), record("2")] },
};

function record(sequenceNumber: string): _Record {
  return {
    eventID: `e${sequenceNumber}`,
    eventName: "INSERT",
    eventSource: "aws:dynamodb",
    dynamodb: { Keys: { pk: { S: `L#${sequenceNumber}` } }, SequenceNumber: sequenceNumber, StreamViewType: "NEW_AND_OLD_IMAGES" },
  };
}

function fakeStreams(options: { expireOnce?: string }) {
  const client = new DynamoDBStreamsClient({ region: "af-south-1" });
  const mock = mockClient(client);
  let expired = false;
  mock.on(DescribeStreamCommand).resolves({
    StreamDescription: {
      StreamArn: STREAM_ARN,
      // The child is listed first: the poller must still finish the parent before reading it.
      Shards: Object.entries(shards).map(([id, shard]) => ({ ShardId: id, ParentShardId: shard.parent })),
    },
  });
  mock.on(GetShardIteratorCommand).callsFake((input: { ShardId: string; ShardIteratorType: string; SequenceNumber?: string }) => {
    const list = shards[input.ShardId]?.records ?? [];
    const position =
      input.ShardIteratorType === "AFTER_SEQUENCE_NUMBER" ? list.findIndex((r) => r.dynamodb?.SequenceNumber === input.SequenceNumber) + 1 : 0;
    return { ShardIterator: `${input.ShardId}@${position}` };
  });
  mock.on(GetRecordsCommand).callsFake((input: { ShardIterator: string; Limit?: number }) => {
    if (input.ShardIterator === options.expireOnce && !expired) {
      expired = true;
      throw new ExpiredIteratorException({ message: "Iterator expired", $metadata: {} });
    }
    const [id = "", at = "0"] = input.ShardIterator.split("@");
    const shard = shards[id];
    if (!shard) throw new Error(`unknown shard ${id}`);
    const start = Number(at);
    const end = Math.min(shard.records.length, start + (input.Limit ?? 100));
    const atEnd = end === shard.records.length;
    return { Records: shard.records.slice(start, end), NextShardIterator: atEnd && shard.closed ? undefined : `${id}@${end}` };
  });
  return client;
}

function fakeDynamo() {
  const client = new DynamoDBClient({ region: "af-south-1" });
  const mock = mockClient(client);
  mock.on(CreateTableCommand).resolves({});
  mock.on(DescribeTableCommand).resolves({ Table: { TableStatus: "ACTIVE", LatestStreamArn: STREAM_ARN } });
  mock.on(QueryCommand).resolves({ Items: [] });
  mock.on(PutItemCommand).resolves({});
  return { client, mock };
}

describe("stream poller across shards", () => {
  let poller: StreamPoller | undefined;
  afterEach(async () => {
    await poller?.stop();
    poller = undefined;
  });

  it("reads a parent shard to its end before its child, and marks the parent finished", async () => {
    const dynamo = fakeDynamo();
    const delivered: string[] = [];
    poller = await startStreamPoller({
      dynamo: dynamo.client,
      streams: fakeStreams({}),
      checkpointTable: "Checkpoints",
      pollIntervalMs: 10,
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      consumers: [
        {
          name: "indexer",
          tableName: "Letters",
          batchSize: 1,
          handler: async (event) => void delivered.push(...event.Records.map((r) => r.dynamodb?.SequenceNumber ?? "")),
        },
      ],
    });
    await poller.idle();

    expect(delivered).toEqual(["1", "2", "3", "4"]);
    const saved = dynamo.mock.commandCalls(PutItemCommand).map((call) => call.args[0].input.Item);
    expect(saved).toContainEqual(expect.objectContaining({ sk: { S: `${STREAM_ARN}|parent` }, finished: { BOOL: true } }));
    expect(saved.at(-1)).toMatchObject({ sk: { S: `${STREAM_ARN}|child` }, sequenceNumber: { S: "4" }, finished: { BOOL: false } });
  });

  it("continues after an expired iterator from its checkpoint, without repeating records", async () => {
    const delivered: string[] = [];
    poller = await startStreamPoller({
      dynamo: fakeDynamo().client,
      streams: fakeStreams({ expireOnce: "child@1" }),
      checkpointTable: "Checkpoints",
      pollIntervalMs: 10,
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      consumers: [
        {
          name: "indexer",
          tableName: "Letters",
          batchSize: 1,
          handler: async (event) => void delivered.push(...event.Records.map((r) => r.dynamodb?.SequenceNumber ?? "")),
        },
      ],
    });
    await poller.idle();

    expect(delivered).toEqual(["1", "2", "3", "4"]);
  });
});
