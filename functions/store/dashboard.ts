import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  dashboardOf,
  dashboardPeriod,
  emptyOpenCounts,
  monthsForAnyTimezone,
  type CalendarDate,
  type Dashboard,
  type OfficerCounters,
} from "../core/dashboard";
import type { User } from "../core/directory";
import { DirectoryStore } from "./directory";
import { batchGetAll, StatsStore } from "./stats";

const NO_COUNTERS: OfficerCounters = { open: emptyOpenCounts(), days: {} };

/**
 * The dashboard's reads (DESIGN.md section 6): the caller's own dashboard in one BatchGetItem (the
 * counters of every month any time zone may need, and the agency's settings for its time zone),
 * the department's officers and the handled report by key from the Stats table.
 */
export class DashboardStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly stats: StatsStore,
    private readonly directoryTable: string,
    private readonly directory: DirectoryStore,
  ) {}

  /** An officer's dashboard at `now`, and the agency's time zone it was computed in: one request. */
  async officer(agencyId: string, userId: string, now: Date): Promise<{ dashboard: Dashboard; timezone: string }> {
    const found = await batchGetAll(this.doc, {
      [this.stats.table]: StatsStore.keysOf(agencyId, [userId], monthsForAnyTimezone(now), true),
      [this.directoryTable]: [DirectoryStore.settingsKey(agencyId)],
    });
    const { timezone } = DirectoryStore.toSettings(found[this.directoryTable]?.[0]);
    const counters = StatsStore.countersOf(agencyId, found[this.stats.table] ?? []).get(userId) ?? NO_COUNTERS;
    return { dashboard: dashboardOf(counters, dashboardPeriod(now, timezone)), timezone };
  }

  /** Counters of several officers over the months that `months` names (OPEN items when `open`). */
  async officers(agencyId: string, userIds: readonly string[], months: readonly string[], open: boolean): Promise<Map<string, OfficerCounters>> {
    return this.stats.read(agencyId, userIds, months, open);
  }

  /** Every user of the agency (active or not), by name: the directory's user list, page by page. */
  async users(agencyId: string): Promise<User[]> {
    const users: User[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.directory.listUsers(agencyId, { limit: 100, cursor });
      users.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return users;
  }
}

export type { CalendarDate, OfficerCounters };
export { NO_COUNTERS };
