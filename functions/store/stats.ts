import { QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { OPEN_COUNTERS, type CounterDeltas, type OpenCounter } from "../core/letters";
import { localDate } from "../core/records";
import type { TaggedItem } from "./transact";

/**
 * Stats table access: the dashboard counters of DESIGN.md section 4, moved with ADD in the same
 * transaction as the letter change that moves them. Key formats (owned here):
 * - open counts of an officer:   pk `AGENCY#<agencyId>#USER#<userId>`  sk `OPEN`
 *     attributes forAction, inProgress, overdue, awaitingApproval
 * - handled actions in a month:  pk `AGENCY#<agencyId>#USER#<userId>`  sk `HANDLED#<YYYY-MM>`
 *     attributes d01..d31 (per day, in the agency's time zone) and total
 * `HANDLED#...` sorts before `OPEN`, so one Query (sk >= `HANDLED#<first month>`) reads an officer's
 * open counts and the daily handled counts of the last 30 days (at most two months): one request.
 */

export type OpenCounts = Record<OpenCounter, number>;

export interface OfficerStats {
  open: OpenCounts;
  /** Handled actions per local date `YYYY-MM-DD` (only days with any). */
  handled: Record<string, number>;
}

export class StatsStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  static officerPk(agencyId: string, userId: string): string {
    return `AGENCY#${agencyId}#USER#${userId}`;
  }

  /** The transaction parts that apply `deltas`: one ADD per item (a transaction touches an item once). */
  updates(agencyId: string, deltas: CounterDeltas, timezone: string): TaggedItem[] {
    const items = new Map<string, { pk: string; sk: string; add: Map<string, number> }>();
    const bump = (pk: string, sk: string, attribute: string, by: number) => {
      const key = `${pk}\u0000${sk}`;
      const entry = items.get(key) ?? { pk, sk, add: new Map<string, number>() };
      entry.add.set(attribute, (entry.add.get(attribute) ?? 0) + by);
      items.set(key, entry);
    };
    for (const d of deltas.open) bump(StatsStore.officerPk(agencyId, d.userId), "OPEN", d.counter, d.by);
    for (const h of deltas.handled) {
      const date = localDate(new Date(h.at), timezone);
      const pk = StatsStore.officerPk(agencyId, h.userId);
      bump(pk, `HANDLED#${date.slice(0, 7)}`, `d${date.slice(8, 10)}`, 1);
      bump(pk, `HANDLED#${date.slice(0, 7)}`, "total", 1);
    }
    const parts: TaggedItem[] = [];
    for (const { pk, sk, add } of items.values()) {
      const changes = [...add.entries()].filter(([, by]) => by !== 0);
      if (changes.length === 0) continue;
      parts.push({
        tag: "stats",
        item: {
          Update: {
            TableName: this.table,
            Key: { pk, sk },
            UpdateExpression: `ADD ${changes.map((_, i) => `#a${i} :v${i}`).join(", ")}`,
            ExpressionAttributeNames: Object.fromEntries(changes.map(([name], i) => [`#a${i}`, name])),
            ExpressionAttributeValues: Object.fromEntries(changes.map(([, by], i) => [`:v${i}`, by])),
          },
        },
      });
    }
    return parts;
  }

  /** An officer's open counts and daily handled counts from `fromMonth` (`YYYY-MM`) on: one Query. */
  async officer(agencyId: string, userId: string, fromMonth: string): Promise<OfficerStats> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "pk = :pk AND sk >= :from",
        ExpressionAttributeValues: { ":pk": StatsStore.officerPk(agencyId, userId), ":from": `HANDLED#${fromMonth}` },
      }),
    );
    const stats: OfficerStats = { open: { forAction: 0, inProgress: 0, overdue: 0, awaitingApproval: 0 }, handled: {} };
    for (const item of out.Items ?? []) {
      const sk = String(item.sk);
      if (sk === "OPEN") {
        for (const counter of OPEN_COUNTERS) stats.open[counter] = Number(item[counter] ?? 0);
      } else if (sk.startsWith("HANDLED#")) {
        const month = sk.slice("HANDLED#".length);
        for (const [name, value] of Object.entries(item)) {
          if (/^d\d\d$/.test(name) && Number(value) !== 0) stats.handled[`${month}-${name.slice(1)}`] = Number(value);
        }
      }
    }
    return stats;
  }
}
