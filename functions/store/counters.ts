import { GetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { TaggedItem } from "./transact";

/**
 * Running numbers of references (one counter per agency and series, e.g. `FILE#ADM#2026`).
 * Key formats (owned here; the item lives in the table of what it numbers):
 * - counter: pk `AGENCY#<agencyId>#COUNTERS`  sk `<series>`  attribute `last`
 * A number is taken by reading `last` and writing `last + 1` on condition that `last` is unchanged,
 * in the same transaction as the record that carries the number: if the record is not written,
 * neither is the number (no gaps); two writers cannot both take it (no duplicates).
 */
export class ReferenceCounters {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  static pk(agencyId: string): string {
    return `AGENCY#${agencyId}#COUNTERS`;
  }

  /** The last number given out in a series (0 when none). */
  async last(agencyId: string, series: string): Promise<number> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: ReferenceCounters.pk(agencyId), sk: series }, ConsistentRead: true }),
    );
    return Number(out.Item?.last ?? 0);
  }

  /** The transaction part that takes number `last + 1`, failing (tag `counter`) if another writer took it first. */
  take(agencyId: string, series: string, last: number): TaggedItem {
    return {
      tag: "counter",
      item: {
        Update: {
          TableName: this.table,
          Key: { pk: ReferenceCounters.pk(agencyId), sk: series },
          UpdateExpression: "SET #last = :next",
          ConditionExpression: last === 0 ? "attribute_not_exists(#last)" : "#last = :last",
          ExpressionAttributeNames: { "#last": "last" },
          ExpressionAttributeValues: last === 0 ? { ":next": 1 } : { ":next": last + 1, ":last": last },
        },
      },
    };
  }
}
