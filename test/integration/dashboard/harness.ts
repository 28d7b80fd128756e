import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { emptyOpenCounts, type OpenCounts } from "../../../functions/core/dashboard";
import { AuditStore } from "../../../functions/store/audit";
import { FileStore } from "../../../functions/store/files";
import { LetterStore } from "../../../functions/store/letters";
import { recountCounters, type RecountReport } from "../../../functions/store/recount";
import { StatsStore } from "../../../functions/store/stats";
import { startHarness, type Harness } from "../letters/harness";

/**
 * The letters harness (seeded demo agency, signed-in people, DynamoDB Local) plus the dashboard
 * route group behind the same gateway, and the store the workflow timer uses to mark letters
 * overdue. `call` reaches every route group of both.
 */

export interface DashboardBody extends OpenCounts {
  handled: { today: number; week: number; month: number };
  daily: { date: string; handled: number }[];
}

export interface DashboardHarness extends Harness {
  letters: LetterStore;
  /** The document client of the handlers (to count their DynamoDB requests). */
  handlerDoc: DynamoDBDocumentClient;
  dashboard(token: string): Promise<DashboardBody>;
  /** The Stats OPEN counters of an officer, straight from the table. */
  openCounts(userId: string): Promise<OpenCounts>;
  recount(fix?: boolean): Promise<RecountReport>;
}

export async function startDashboardHarness(label: string): Promise<DashboardHarness> {
  const h = await startHarness(label, { extraGroups: ["dashboard"] });
  try {
    const { clients } = await import("../../../functions/http/deps");
    const audit = new AuditStore(h.doc, h.tables.audit);
    const letters = new LetterStore(h.doc, h.tables.letters, {
      audit,
      stats: new StatsStore(h.doc, h.tables.stats),
      files: new FileStore(h.doc, h.tables.files, audit),
    });

    return {
      ...h,
      letters,
      handlerDoc: clients.doc,
      dashboard: async (token) => {
        const res = await h.call<DashboardBody>("GET", "/api/dashboard", { token });
        if (res.status !== 200) throw new Error(`GET /api/dashboard answered ${res.status}: ${res.text}`);
        return res.body;
      },
      openCounts: async (userId) => {
        const item = await h.getItem("stats", StatsStore.officerPk(h.demo.agencyId, userId), "OPEN");
        const counts = emptyOpenCounts();
        for (const key of Object.keys(counts) as (keyof OpenCounts)[]) counts[key] = Number(item?.[key] ?? 0);
        return counts;
      },
      recount: (fix = false) => recountCounters({ doc: h.doc, tables: h.tables, fix }),
      stop: async () => {
        await h.stop();
      },
    };
  } catch (error) {
    await h.stop();
    throw error;
  }
}
