import { BatchGetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type CalendarMonth, type DayCounts, type OfficerCounters, emptyOpenCounts } from "../core/dashboard";
import { OPEN_COUNTERS, type CounterDeltas } from "../core/letters";
import { localDate } from "../core/records";
import type { TaggedItem } from "./transact";

/**
 * Stats table access: the dashboard counters of DESIGN.md sections 3 and 4, moved with ADD in the
 * same transaction as the letter change that moves them (nothing is counted at read time). Key
 * formats (owned here):
 * - open counts of an officer:  pk `AGENCY#<agencyId>#USER#<userId>`  sk `OPEN`
 *     attributes forAction, inProgress, overdue, awaitingApproval
 * - an officer's month:         pk `AGENCY#<agencyId>#USER#<userId>`  sk `HANDLED#<YYYY-MM>`
 *     per day NN of the month, in the agency's time zone: dNN handled actions, tNN their seconds
 *     to handle (summed), lNN handled after the due date, oNN letters that became overdue in the
 *     officer's hands; and `total` handled actions in the month
 * Every update also adds 1 to `rev`, so the recount (`store/recount.ts`) corrects an item only if
 * nothing moved it since it was read.
 * The dashboard reads an officer's OPEN item and two or three month items by key in one
 * BatchGetItem; reports read month items by key (officers x months).
 */

const BATCH_GET_KEYS = 100;
const BATCH_ROUNDS = 10;
const DAY_ATTRIBUTES = { handled: "d", heldSeconds: "t", late: "l", markedOverdue: "o" } as const satisfies Record<keyof DayCounts, string>;
const DAY_ATTRIBUTE = /^([dtlo])(\d\d)$/;

export type { OfficerCounters };

export type StatsKey = { pk: string; sk: string } & Record<string, unknown>;

/** Reads items by key across tables, 100 keys a request, retrying unprocessed keys; strongly consistent. */
export async function batchGetAll(doc: DynamoDBDocumentClient, keys: Record<string, StatsKey[]>): Promise<Record<string, Record<string, unknown>[]>> {
  const found: Record<string, Record<string, unknown>[]> = Object.fromEntries(Object.keys(keys).map((t) => [t, []]));
  const pending = Object.entries(keys).flatMap(([table, list]) => list.map((key) => ({ table, key })));
  const chunks: (typeof pending)[] = [];
  for (let i = 0; i < pending.length; i += BATCH_GET_KEYS) chunks.push(pending.slice(i, i + BATCH_GET_KEYS));
  await Promise.all(
    chunks.map(async (chunk) => {
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> = {};
      for (const { table, key } of chunk) {
        request[table] ??= { Keys: [], ConsistentRead: true };
        request[table].Keys.push(key);
      }
      for (let round = 0; Object.keys(request).length > 0; round++) {
        if (round >= BATCH_ROUNDS) throw new Error("DynamoDB left keys unprocessed after repeated attempts");
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** round));
        const out = await doc.send(new BatchGetCommand({ RequestItems: request }));
        for (const [table, items] of Object.entries(out.Responses ?? {})) found[table]?.push(...items);
        request = {};
        for (const [table, rest] of Object.entries(out.UnprocessedKeys ?? {})) {
          if (rest.Keys && rest.Keys.length > 0) request[table] = { Keys: rest.Keys, ConsistentRead: true };
        }
      }
    }),
  );
  return found;
}

export class StatsStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  static officerPk(agencyId: string, userId: string): string {
    return `AGENCY#${agencyId}#USER#${userId}`;
  }

  static openKey(agencyId: string, userId: string): StatsKey {
    return { pk: StatsStore.officerPk(agencyId, userId), sk: "OPEN" };
  }

  static monthKey(agencyId: string, userId: string, month: CalendarMonth): StatsKey {
    return { pk: StatsStore.officerPk(agencyId, userId), sk: `HANDLED#${month}` };
  }

  /** The keys of officers' counters: their OPEN items (when `open`) and their month items. */
  static keysOf(agencyId: string, userIds: readonly string[], months: readonly CalendarMonth[], open: boolean): StatsKey[] {
    return userIds.flatMap((userId) => [
      ...(open ? [StatsStore.openKey(agencyId, userId)] : []),
      ...months.map((month) => StatsStore.monthKey(agencyId, userId, month)),
    ]);
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
    const day = (userId: string, at: string) => {
      const date = localDate(new Date(at), timezone);
      return { pk: StatsStore.officerPk(agencyId, userId), sk: `HANDLED#${date.slice(0, 7)}`, dd: date.slice(8, 10) };
    };
    for (const d of deltas.open) bump(StatsStore.officerPk(agencyId, d.userId), "OPEN", d.counter, d.by);
    for (const h of deltas.handled) {
      const { pk, sk, dd } = day(h.userId, h.at);
      bump(pk, sk, `${DAY_ATTRIBUTES.handled}${dd}`, 1);
      bump(pk, sk, "total", 1);
      bump(pk, sk, `${DAY_ATTRIBUTES.heldSeconds}${dd}`, h.heldSeconds);
      bump(pk, sk, `${DAY_ATTRIBUTES.late}${dd}`, h.late ? 1 : 0);
    }
    for (const m of deltas.markedOverdue) {
      const { pk, sk, dd } = day(m.userId, m.at);
      bump(pk, sk, `${DAY_ATTRIBUTES.markedOverdue}${dd}`, 1);
    }
    const parts: TaggedItem[] = [];
    for (const { pk, sk, add } of items.values()) {
      const changes = [...add.entries()].filter(([, by]) => by !== 0);
      if (changes.length === 0) continue;
      changes.push(["rev", 1]);
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

  /** Officers' counters from their OPEN and month items (as `read` or a wider batch returned them). */
  static countersOf(agencyId: string, items: readonly Record<string, unknown>[]): Map<string, OfficerCounters> {
    const prefix = StatsStore.officerPk(agencyId, "");
    const officers = new Map<string, OfficerCounters>();
    for (const item of items) {
      const pk = String(item.pk);
      if (!pk.startsWith(prefix)) continue;
      const userId = pk.slice(prefix.length);
      const counters = officers.get(userId) ?? { open: emptyOpenCounts(), days: {} };
      officers.set(userId, counters);
      const sk = String(item.sk);
      if (sk === "OPEN") {
        for (const counter of OPEN_COUNTERS) counters.open[counter] = Number(item[counter] ?? 0);
      } else if (sk.startsWith("HANDLED#")) {
        Object.assign(counters.days, StatsStore.daysOf(sk.slice("HANDLED#".length), item));
      }
    }
    return officers;
  }

  /** The per-day counts of a month item, only days with anything. */
  static daysOf(month: CalendarMonth, item: Record<string, unknown>): Record<string, DayCounts> {
    const days: Record<string, DayCounts> = {};
    for (const [name, value] of Object.entries(item)) {
      const match = DAY_ATTRIBUTE.exec(name);
      const n = Number(value);
      if (!match || !Number.isFinite(n) || n === 0) continue;
      const date = `${month}-${match[2]}`;
      const counts = (days[date] ??= { handled: 0, heldSeconds: 0, late: 0, markedOverdue: 0 });
      switch (match[1]) {
        case DAY_ATTRIBUTES.handled:
          counts.handled = n;
          break;
        case DAY_ATTRIBUTES.heldSeconds:
          counts.heldSeconds = n;
          break;
        case DAY_ATTRIBUTES.late:
          counts.late = n;
          break;
        case DAY_ATTRIBUTES.markedOverdue:
          counts.markedOverdue = n;
          break;
      }
    }
    return days;
  }

  /** The attributes of a month item holding `days` (the recount's expected item); zeros left out. */
  static monthAttributes(days: Record<string, DayCounts>): Record<string, number> {
    const attributes: Record<string, number> = {};
    let total = 0;
    for (const [date, counts] of Object.entries(days)) {
      const dd = date.slice(8, 10);
      for (const [field, letter] of Object.entries(DAY_ATTRIBUTES) as [keyof DayCounts, string][]) {
        if (counts[field] !== 0) attributes[`${letter}${dd}`] = counts[field];
      }
      total += counts.handled;
    }
    if (total !== 0) attributes.total = total;
    return attributes;
  }

  /** Officers' counters: OPEN items (when `open`) and the month items of `months`, by key. Officers with no items are absent. */
  async read(agencyId: string, userIds: readonly string[], months: readonly CalendarMonth[], open = true): Promise<Map<string, OfficerCounters>> {
    if (userIds.length === 0) return new Map();
    const found = await batchGetAll(this.doc, { [this.table]: StatsStore.keysOf(agencyId, userIds, months, open) });
    return StatsStore.countersOf(agencyId, found[this.table] ?? []);
  }
}
