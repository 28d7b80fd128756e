import { PutItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import * as z from "zod";
import { ensureTable } from "../tables";
import type { FailedRun } from "./scheduler";

/**
 * The scheduler's local dead-letter destination: runs that failed every attempt, kept in a pk/sk
 * table (`failed-run#scheduler` / `<time>|<scheduleId>`) so they survive a restart, like the
 * stream consumers' failed batches.
 */

const PK = "failed-run#scheduler";

const failedRunItem = z.object({
  scheduleId: z.object({ S: z.string() }),
  failedAt: z.object({ S: z.string() }),
  error: z.object({ S: z.string() }),
  attempts: z.object({ N: z.string() }),
});

export class FailedRunStore {
  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly table: string,
  ) {}

  async ensure(): Promise<void> {
    await ensureTable(this.dynamo, this.table);
  }

  async save(run: FailedRun): Promise<void> {
    const failedAt = run.failedAt.toISOString();
    await this.dynamo.send(
      new PutItemCommand({
        TableName: this.table,
        Item: {
          pk: { S: PK },
          sk: { S: `${failedAt}|${run.scheduleId}` },
          scheduleId: { S: run.scheduleId },
          failedAt: { S: failedAt },
          error: { S: run.error.slice(0, 2_000) },
          attempts: { N: String(run.attempts) },
        },
      }),
    );
  }

  /** Oldest first. */
  async list(): Promise<FailedRun[]> {
    const runs: FailedRun[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.dynamo.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": { S: PK } },
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      for (const raw of page.Items ?? []) {
        const item = failedRunItem.safeParse(raw);
        if (!item.success) continue;
        runs.push({
          scheduleId: item.data.scheduleId.S,
          failedAt: new Date(item.data.failedAt.S),
          error: item.data.error.S,
          attempts: Number(item.data.attempts.N),
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return runs;
  }
}
