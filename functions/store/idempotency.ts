import { GetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { TaggedItem } from "./transact";

/**
 * Idempotency records for `POST /api/letters` and `POST /api/files` (DESIGN.md section 6), kept in
 * the Directory table. Key formats (owned here):
 * - record: pk `IDEMPOTENCY#<agencyId>#<userId>#<key>`  sk `IDEMPOTENCY`  (expires through `expiresAtEpoch`)
 * The record is written in the same transaction as the record it creates, with the condition that
 * no live record holds the key: of many concurrent identical requests exactly one creates, the
 * others find the record and answer with its stored response. Keys are per user, so two users
 * cannot collide or read each other's responses.
 */

export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export interface IdempotencyRef {
  agencyId: string;
  userId: string;
  key: string;
}

export interface IdempotencyRecord {
  /** Hash of the route and the request body. */
  requestHash: string;
  status: number;
  body: unknown;
  createdAt: string;
}

export class IdempotencyStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  static recordPk(ref: IdempotencyRef): string {
    return `IDEMPOTENCY#${ref.agencyId}#${ref.userId}#${ref.key}`;
  }

  /** A live record of the key, if any. */
  async find(ref: IdempotencyRef, now: Date = new Date()): Promise<IdempotencyRecord | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: IdempotencyStore.recordPk(ref), sk: "IDEMPOTENCY" }, ConsistentRead: true }),
    );
    const item = out.Item;
    if (!item || Number(item.expiresAtEpoch) <= Math.floor(now.getTime() / 1000)) return undefined;
    return {
      requestHash: String(item.requestHash),
      status: Number(item.status),
      body: JSON.parse(String(item.body)) as unknown,
      createdAt: String(item.createdAt),
    };
  }

  /** The transaction part that claims the key and keeps the response. */
  claim(ref: IdempotencyRef, record: Omit<IdempotencyRecord, "createdAt">, now: Date): TaggedItem {
    const nowEpoch = Math.floor(now.getTime() / 1000);
    return {
      tag: "idempotency",
      item: {
        Put: {
          TableName: this.table,
          Item: {
            pk: IdempotencyStore.recordPk(ref),
            sk: "IDEMPOTENCY",
            requestHash: record.requestHash,
            status: record.status,
            body: JSON.stringify(record.body),
            createdAt: now.toISOString(),
            expiresAtEpoch: nowEpoch + IDEMPOTENCY_TTL_SECONDS,
          },
          // An expired record that TTL has not removed yet no longer holds the key.
          ConditionExpression: "attribute_not_exists(pk) OR expiresAtEpoch <= :now",
          ExpressionAttributeValues: { ":now": nowEpoch },
        },
      },
    };
  }
}
