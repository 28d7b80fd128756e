import { PutCommand, ScanCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { monthOf, type DayCounts } from "../core/dashboard";
import type { HistoryEvent } from "../core/letters";
import { CounterTally } from "../core/recount";
import { DirectoryStore } from "./directory";
import { isConditionFailure } from "./errors";
import { toEvent, toLetter } from "./letters";
import { StatsStore } from "./stats";

/**
 * The admin maintenance recount (`npm run recount`, DESIGN.md section 3: Scans are allowed here
 * only): rebuilds every officer's counters from the letters and their histories, compares them
 * with the Stats items, and corrects what drifted.
 *
 * Safe while the system runs: the Stats items are read before the letters, and a correction is
 * written only if the item's `rev` is still the one read. Any transition that moved the item after
 * it was read makes the write fail, and the item is reported as changed during the run (run again).
 */

export interface CounterDrift {
  pk: string;
  sk: string;
  attribute: string;
  was: number;
  now: number;
}

export interface RecountReport {
  letters: number;
  /** Counter items compared (found, expected or both). */
  items: number;
  drift: CounterDrift[];
  /** Items rewritten (when fixing). */
  corrected: number;
  /** Items that moved while the recount ran; their drift was not corrected. */
  changedDuringRun: string[];
}

interface Observed {
  rev: number | null;
  values: Record<string, number>;
}

const COUNTER_ITEM = /^(OPEN|HANDLED#\d{4}-\d{2})$/;

async function scanAll(doc: DynamoDBDocumentClient, input: { TableName: string; FilterExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> }, each: (item: Record<string, unknown>) => void): Promise<void> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new ScanCommand({ ...input, ExclusiveStartKey: startKey }));
    for (const item of out.Items ?? []) each(item);
    startKey = out.LastEvaluatedKey;
  } while (startKey);
}

function itemKey(pk: string, sk: string): string {
  return `${pk}\u0000${sk}`;
}

export async function recountCounters(options: {
  doc: DynamoDBDocumentClient;
  tables: { letters: string; stats: string; directory: string };
  /** Write the corrections (default); false only reports the drift. */
  fix?: boolean;
  /** Only this agency's counters. */
  agencyId?: string;
}): Promise<RecountReport> {
  const { doc, tables } = options;
  const fix = options.fix ?? true;
  const agencyPrefix = options.agencyId ? `AGENCY#${options.agencyId}#` : "AGENCY#";

  // 1. The counters as they are (first, so that a later transition shows up as a changed `rev`).
  const observed = new Map<string, Observed>();
  await scanAll(doc, { TableName: tables.stats }, (item) => {
    const pk = String(item.pk);
    const sk = String(item.sk);
    if (!pk.startsWith(agencyPrefix) || !COUNTER_ITEM.test(sk)) return;
    const values: Record<string, number> = {};
    for (const [name, value] of Object.entries(item)) {
      if (name === "pk" || name === "sk" || name === "rev" || typeof value !== "number" || value === 0) continue;
      values[name] = value;
    }
    observed.set(itemKey(pk, sk), { rev: typeof item.rev === "number" ? item.rev : null, values });
  });

  // 2. The letters and their histories.
  const letters = new Map<string, { letter?: Record<string, unknown>; events: HistoryEvent[] }>();
  await scanAll(
    doc,
    {
      TableName: tables.letters,
      FilterExpression: "#type IN (:letter, :event)",
      ExpressionAttributeNames: { "#type": "type" },
      ExpressionAttributeValues: { ":letter": "letter", ":event": "event" },
    },
    (item) => {
      const pk = String(item.pk);
      if (!pk.startsWith(agencyPrefix)) return;
      const entry = letters.get(pk) ?? { events: [] };
      letters.set(pk, entry);
      if (item.type === "letter") entry.letter = item;
      else entry.events.push(toEvent(item));
    },
  );

  // 3. The counters the letters call for, agency by agency (each in its own time zone).
  const directory = new DirectoryStore(doc, tables.directory);
  const tallies = new Map<string, CounterTally>();
  let letterCount = 0;
  for (const { letter: item, events } of letters.values()) {
    if (!item) continue;
    const letter = toLetter(item);
    let tally = tallies.get(letter.agencyId);
    if (!tally) {
      tally = new CounterTally((await directory.getSettings(letter.agencyId)).timezone);
      tallies.set(letter.agencyId, tally);
    }
    tally.add(letter, events);
    letterCount += 1;
  }
  const expected = new Map<string, Record<string, number>>();
  for (const [agencyId, tally] of tallies) {
    for (const [userId, counters] of tally.officers) {
      const pk = StatsStore.officerPk(agencyId, userId);
      const open = Object.fromEntries(Object.entries(counters.open).filter(([, n]) => n !== 0));
      if (Object.keys(open).length > 0) expected.set(itemKey(pk, "OPEN"), open);
      const byMonth = new Map<string, Record<string, DayCounts>>();
      for (const [date, counts] of Object.entries(counters.days)) {
        const month = byMonth.get(monthOf(date)) ?? {};
        month[date] = counts;
        byMonth.set(monthOf(date), month);
      }
      for (const [month, days] of byMonth) expected.set(itemKey(pk, `HANDLED#${month}`), StatsStore.monthAttributes(days));
    }
  }

  // 4. Compare, and correct what drifted.
  const report: RecountReport = { letters: letterCount, items: 0, drift: [], corrected: 0, changedDuringRun: [] };
  const keys = new Set([...observed.keys(), ...expected.keys()]);
  report.items = keys.size;
  for (const key of [...keys].sort()) {
    const [pk = "", sk = ""] = key.split("\u0000");
    const was = observed.get(key)?.values ?? {};
    const now = expected.get(key) ?? {};
    const drift = [...new Set([...Object.keys(was), ...Object.keys(now)])]
      .sort()
      .filter((attribute) => (was[attribute] ?? 0) !== (now[attribute] ?? 0))
      .map((attribute) => ({ pk, sk, attribute, was: was[attribute] ?? 0, now: now[attribute] ?? 0 }));
    if (drift.length === 0) continue;
    report.drift.push(...drift);
    if (!fix) continue;
    const seen = observed.get(key);
    try {
      await doc.send(
        new PutCommand({
          TableName: tables.stats,
          Item: { pk, sk, ...now, rev: (seen?.rev ?? 0) + 1 },
          ConditionExpression: !seen ? "attribute_not_exists(pk)" : seen.rev === null ? "attribute_not_exists(rev)" : "rev = :rev",
          ...(seen?.rev != null ? { ExpressionAttributeValues: { ":rev": seen.rev } } : {}),
        }),
      );
      report.corrected += 1;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      report.changedDuringRun.push(`${pk} ${sk}`);
    }
  }
  return report;
}
