import { QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AuditEntity, AuditEntry } from "../core/audit";
import type { TaggedItem } from "./transact";

/**
 * Audit table access: append-only (no function updates or deletes an entry; the CDK grants only
 * PutItem, GetItem and Query on this table). Key formats (owned here):
 * - entry: pk `AGENCY#<agencyId>#<LETTER|FILE>#<entityId>`  sk `SEQ#<seq, 10 digits>`
 * An entry is written in the same transaction as the change it records, with a condition that
 * the seq is new, so two changes can never claim one place in the chain.
 */
export class AuditStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  static entityPk(agencyId: string, entity: AuditEntity, entityId: string): string {
    return `AGENCY#${agencyId}#${entity.toUpperCase()}#${entityId}`;
  }

  static seqSk(seq: number): string {
    return `SEQ#${String(seq).padStart(10, "0")}`;
  }

  /** The transaction part that appends `entry`. */
  append(entry: AuditEntry, tag = "audit"): TaggedItem {
    return {
      tag,
      item: {
        Put: {
          TableName: this.table,
          Item: { pk: AuditStore.entityPk(entry.agencyId, entry.entity, entry.entityId), sk: AuditStore.seqSk(entry.seq), ...entry },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
    };
  }

  /** Every entry of an entity's chain, in seq order. */
  async entries(agencyId: string, entity: AuditEntity, entityId: string): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :seq)",
          ExpressionAttributeValues: { ":pk": AuditStore.entityPk(agencyId, entity, entityId), ":seq": "SEQ#" },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) entries.push(toEntry(item));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return entries;
  }
}

function toEntry(item: Record<string, unknown>): AuditEntry {
  return {
    agencyId: String(item.agencyId),
    entity: item.entity === "file" ? "file" : "letter",
    entityId: String(item.entityId),
    seq: Number(item.seq),
    at: String(item.at),
    actorId: String(item.actorId),
    action: String(item.action),
    before: String(item.before),
    after: String(item.after),
    prevHash: String(item.prevHash),
    hash: String(item.hash),
  };
}
