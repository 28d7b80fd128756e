import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { emptyOpenCounts, type OpenCounts } from "../../../functions/core/dashboard";
import { AuditStore } from "../../../functions/store/audit";
import { FileStore } from "../../../functions/store/files";
import { LetterStore } from "../../../functions/store/letters";
import { recountCounters, type RecountReport } from "../../../functions/store/recount";
import { StatsStore } from "../../../functions/store/stats";
import { startGateway } from "../../../local/gateway";
import { startHarness, type ApiResponse, type CallOptions, type Harness } from "../letters/harness";

/**
 * The letters harness (seeded demo agency, signed-in people, DynamoDB Local) plus the dashboard
 * route group behind a gateway of its own, and the store the workflow timer uses to mark letters
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
  const h = await startHarness(label);
  try {
    const dashboard = (await import("../../../functions/http/dashboard")).handler;
    const { clients } = await import("../../../functions/http/deps");
    const gateway = await startGateway({ port: 0, handlers: { dashboard } });
    const ownUrl = `http://127.0.0.1:${gateway.port}`;
    const audit = new AuditStore(h.doc, h.tables.audit);
    const letters = new LetterStore(h.doc, h.tables.letters, {
      audit,
      stats: new StatsStore(h.doc, h.tables.stats),
      files: new FileStore(h.doc, h.tables.files, audit),
    });

    const call = async <T = unknown>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> => {
      if (!/^\/api\/(dashboard|reports)(\/|\?|$)/.test(path)) return h.call<T>(method, path, options);
      const headers: Record<string, string> = { ...options.headers };
      if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
      const res = await fetch(`${ownUrl}${path}`, { method, headers });
      const text = await res.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      return { status: res.status, body: body as T, text, headers: res.headers };
    };

    return {
      ...h,
      call,
      letters,
      handlerDoc: clients.doc,
      dashboard: async (token) => {
        const res = await call<DashboardBody>("GET", "/api/dashboard", { token });
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
        await gateway.stop();
        await h.stop();
      },
    };
  } catch (error) {
    await h.stop();
    throw error;
  }
}
