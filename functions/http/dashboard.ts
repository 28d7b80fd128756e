import { dashboardPeriod, monthsBetween } from "../core/dashboard";
import type { Department } from "../core/directory";
import {
  DepartmentQuerySchema,
  departmentInScope,
  departmentRows,
  HandledReportQuerySchema,
  handledReportCsv,
  handledReportRows,
  reportRange,
} from "../core/reports";
import { localDate } from "../core/records";
import { NotFoundError } from "../platform/errors";
import { httpHandler, parseQuery, signedIn } from "../platform/http";
import { DashboardStore } from "../store/dashboard";
import { authenticate, clients, config, directory } from "./deps";
import { mapRecordError, statsStore } from "./record-deps";

/**
 * `GET /api/dashboard` (the caller's own counters), `GET /api/dashboard/department` (one row per
 * officer) and `GET /api/reports/handled` (JSON or CSV), DESIGN.md sections 4 and 6. Every number
 * is read from the counters that the transitions keep in their own transactions; nothing is
 * counted here. Roles are checked by the route table; the department in scope here.
 */

const dashboards = new DashboardStore(clients.doc, statsStore, config.tables.directory, directory);

async function departmentOf(agencyId: string, departmentId: string): Promise<Department> {
  const department = await directory.getDepartment(agencyId, departmentId);
  if (!department) throw new NotFoundError("No such department");
  return department;
}

export const handler = httpHandler(
  {
    "GET /api/dashboard": async (_event, _context, principal) => {
      const me = signedIn(principal);
      const { dashboard } = await dashboards.officer(me.agencyId, me.userId, new Date());
      return { status: 200, body: dashboard };
    },
    "GET /api/dashboard/department": async (event, _context, principal) => {
      const me = signedIn(principal);
      const query = parseQuery(event, DepartmentQuerySchema);
      // Another agency's department does not exist for this caller: 404 before any role rule.
      if (query.departmentId !== undefined) await departmentOf(me.agencyId, query.departmentId);
      const departmentId = departmentInScope(me, query.departmentId, false);
      if (departmentId === null) throw new NotFoundError("No such department");
      const [department, users, settings] = await Promise.all([
        departmentOf(me.agencyId, departmentId),
        dashboards.users(me.agencyId),
        directory.getSettings(me.agencyId),
      ]);
      const members = users.filter((u) => u.departmentId === departmentId);
      const period = dashboardPeriod(new Date(), settings.timezone);
      const counters = await dashboards.officers(
        me.agencyId,
        members.map((u) => u.id),
        period.months.filter((m) => m >= period.weekStart.slice(0, 7)),
        true,
      );
      return {
        status: 200,
        body: {
          department: { id: department.id, code: department.code, name: department.name },
          timezone: settings.timezone,
          today: period.today,
          items: departmentRows(members, counters, period),
          nextCursor: null,
        },
      };
    },
    "GET /api/reports/handled": async (event, _context, principal) => {
      const me = signedIn(principal);
      const query = parseQuery(event, HandledReportQuerySchema);
      if (query.departmentId !== undefined) await departmentOf(me.agencyId, query.departmentId);
      const departmentId = departmentInScope(me, query.departmentId, true);
      const [settings, users, departments] = await Promise.all([
        directory.getSettings(me.agencyId),
        dashboards.users(me.agencyId),
        allDepartments(me.agencyId),
      ]);
      if (departmentId !== null && !departments.has(departmentId)) throw new NotFoundError("No such department");
      const range = reportRange(query, localDate(new Date(), settings.timezone));
      const members = departmentId === null ? users : users.filter((u) => u.departmentId === departmentId);
      const counters = await dashboards.officers(
        me.agencyId,
        members.map((u) => u.id),
        monthsBetween(range.from, range.to),
        false,
      );
      const rows = handledReportRows(members, counters, departments, range);
      if (query.format === "csv") {
        return {
          status: 200,
          text: handledReportCsv(rows),
          headers: {
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": `attachment; filename="handled-${range.from}-${range.to}.csv"`,
          },
        };
      }
      return {
        status: 200,
        body: { from: range.from, to: range.to, timezone: settings.timezone, departmentId, items: rows, nextCursor: null },
      };
    },
  },
  { authenticate, mapError: mapRecordError },
);

async function allDepartments(agencyId: string): Promise<Map<string, Department>> {
  const departments = new Map<string, Department>();
  let cursor: string | undefined;
  do {
    const page = await directory.listDepartments(agencyId, { limit: 100, cursor });
    for (const d of page.items) departments.set(d.id, d);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return departments;
}
