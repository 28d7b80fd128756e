import {
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import * as z from "zod";
import { ensureTable } from "../tables";

/** Where one consumer stands in one shard: the last sequence number it has handled, and whether the shard is finished. */
export interface ShardCheckpoint {
  shardId: string;
  sequenceNumber?: string;
  finished: boolean;
}

export interface FailedBatch {
  consumer: string;
  shardId: string;
  failedAt: string;
  error: string;
  records: DynamoDBRecord[];
}

// Items written by this module; anything else in the table is ignored.
const checkpointItem = z.object({
  sk: z.object({ S: z.string() }),
  sequenceNumber: z.object({ S: z.string() }).optional(),
  finished: z.object({ BOOL: z.boolean() }).optional(),
});

const failedItem = z.object({
  shardId: z.object({ S: z.string() }),
  failedAt: z.object({ S: z.string() }),
  error: z.object({ S: z.string() }),
  records: z.object({ S: z.string() }),
});

// A DynamoDB item holds at most 400 KB; a failed batch larger than this keeps only the record keys.
const MAX_RECORDS_JSON = 300_000;

/**
 * Checkpoints and failed batches of the stream poller, kept in one pk/sk table:
 * `checkpoint#<consumer>` / `<streamArn>|<shardId>` and `failed#<consumer>` / `<time>|<shardId>|<sequence>`.
 */
export class CheckpointStore {
  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly table: string,
  ) {}

  async ensure(): Promise<void> {
    await ensureTable(this.dynamo, this.table);
  }

  async load(consumer: string, streamArn: string): Promise<Map<string, ShardCheckpoint>> {
    const result = new Map<string, ShardCheckpoint>();
    const prefix = `${streamArn}|`;
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.dynamo.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": { S: `checkpoint#${consumer}` }, ":prefix": { S: prefix } },
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      for (const raw of page.Items ?? []) {
        const item = checkpointItem.safeParse(raw);
        if (!item.success) continue;
        const shardId = item.data.sk.S.slice(prefix.length);
        result.set(shardId, {
          shardId,
          sequenceNumber: item.data.sequenceNumber?.S,
          finished: item.data.finished?.BOOL ?? false,
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return result;
  }

  async save(consumer: string, streamArn: string, checkpoint: ShardCheckpoint): Promise<void> {
    const item: Record<string, AttributeValue> = {
      pk: { S: `checkpoint#${consumer}` },
      sk: { S: `${streamArn}|${checkpoint.shardId}` },
      finished: { BOOL: checkpoint.finished },
      updatedAt: { S: new Date().toISOString() },
    };
    if (checkpoint.sequenceNumber !== undefined) item.sequenceNumber = { S: checkpoint.sequenceNumber };
    await this.dynamo.send(new PutItemCommand({ TableName: this.table, Item: item }));
  }

  /** The default on-failure destination: the batch is kept in the table for a person to inspect. */
  async saveFailed(batch: FailedBatch): Promise<void> {
    const first = batch.records[0]?.dynamodb?.SequenceNumber ?? "none";
    let records = JSON.stringify(batch.records);
    if (records.length > MAX_RECORDS_JSON) {
      records = JSON.stringify(
        batch.records.map((r) => ({
          eventID: r.eventID,
          eventName: r.eventName,
          eventSourceARN: r.eventSourceARN,
          dynamodb: { Keys: r.dynamodb?.Keys, SequenceNumber: r.dynamodb?.SequenceNumber },
        })),
      );
    }
    await this.dynamo.send(
      new PutItemCommand({
        TableName: this.table,
        Item: {
          pk: { S: `failed#${batch.consumer}` },
          sk: { S: `${batch.failedAt}|${batch.shardId}|${first}` },
          shardId: { S: batch.shardId },
          failedAt: { S: batch.failedAt },
          error: { S: batch.error.slice(0, 2_000) },
          records: { S: records },
        },
      }),
    );
  }

  async listFailed(consumer: string): Promise<FailedBatch[]> {
    const batches: FailedBatch[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.dynamo.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": { S: `failed#${consumer}` } },
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      for (const raw of page.Items ?? []) {
        const item = failedItem.safeParse(raw);
        if (!item.success) continue;
        batches.push({
          consumer,
          shardId: item.data.shardId.S,
          failedAt: item.data.failedAt.S,
          error: item.data.error.S,
          records: JSON.parse(item.data.records.S) as DynamoDBRecord[],
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return batches;
  }
}
