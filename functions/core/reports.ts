/**
 * The supervisor's views (DESIGN.md section 6): the department dashboard (one row per officer)
 * and the handled report over a date range, as JSON or CSV. Pure: the rows are built from the
 * counters the transitions keep (`core/dashboard`), the directory's users and departments.
 *
 * "Average time to handle" is the mean, over the officer's handled actions in the range, of the
 * time from the letter reaching them (registration, forward or reassignment to them, submission
 * to them as approver, rejection back to them) to that action. "Overdue" counts the letters that
 * became overdue in the officer's hands in the range (the workflow's mark); "handledLate" the
 * handled actions taken after the due date.
 */
import * as z from "zod";
import {
  daysBetween,
  handledSummary,
  handledTotals,
  isCalendarDate,
  MAX_REPORT_DAYS,
  monthOf,
  type CalendarDate,
  type DashboardPeriod,
  type HandledSummary,
  type HandledTotals,
  type OfficerCounters,
  type OpenCounts,
} from "./dashboard";
import { IdSchema } from "./directory-schemas";
import type { Department, User } from "./directory";
import type { Principal } from "./permissions";
import { RuleError } from "./records";
import type { Role } from "./roles";

/** Users who act on letters and so always have a row, even an empty one. */
const LETTER_ROLES: readonly Role[] = ["officer", "supervisor"];

const DateParam = z.string().refine(isCalendarDate, "Not a date (YYYY-MM-DD)");

export const DepartmentQuerySchema = z.strictObject({ departmentId: IdSchema.optional() });

export const HandledReportQuerySchema = z
  .strictObject({
    from: DateParam.optional(),
    to: DateParam.optional(),
    format: z.enum(["json", "csv"]).default("json"),
    departmentId: IdSchema.optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: "from must not be after to", path: ["from"] })
  .refine((q) => q.from === undefined || q.to === undefined || daysBetween(q.from, q.to) < MAX_REPORT_DAYS, {
    message: `A report covers at most ${MAX_REPORT_DAYS} days`,
    path: ["to"],
  });

/**
 * The department a caller may see: an administrator any of the agency's (their own by default);
 * a supervisor only their own. `null` means the whole agency (administrators' reports only).
 */
export function departmentInScope(me: Pick<Principal, "roles" | "departmentId">, requested: string | undefined, wholeAgencyAllowed: boolean): string | null {
  if (me.roles.includes("admin")) {
    const chosen = requested ?? (wholeAgencyAllowed ? null : me.departmentId);
    if (chosen === null && !wholeAgencyAllowed) throw new RuleError("VALIDATION_FAILED", "Choose a department", "departmentId");
    return chosen;
  }
  if (me.departmentId === null) throw new RuleError("FORBIDDEN", "You belong to no department; ask the administrator to set one");
  if (requested !== undefined && requested !== me.departmentId) throw new RuleError("FORBIDDEN", "You may see your own department only");
  return me.departmentId;
}

/** The range of a report: `to` defaults to today and `from` to the first day of `to`'s month. */
export function reportRange(query: { from?: CalendarDate; to?: CalendarDate }, today: CalendarDate): { from: CalendarDate; to: CalendarDate } {
  const to = query.to ?? today;
  const from = query.from ?? `${monthOf(to)}-01`;
  if (from > to) throw new RuleError("VALIDATION_FAILED", "from must not be after to", "from");
  if (daysBetween(from, to) >= MAX_REPORT_DAYS) throw new RuleError("VALIDATION_FAILED", `A report covers at most ${MAX_REPORT_DAYS} days`, "to");
  return { from, to };
}

function hasAnything(counters: OfficerCounters | undefined): boolean {
  if (!counters) return false;
  return Object.values(counters.open).some((n) => n !== 0) || Object.keys(counters.days).length > 0;
}

/** Whether a user gets a row: active people who act on letters, and anyone with counts to show. */
function rowFor(user: User, counters: OfficerCounters | undefined): boolean {
  return (user.active && user.roles.some((r) => LETTER_ROLES.includes(r))) || hasAnything(counters);
}

export interface DepartmentRow extends OpenCounts {
  officerId: string;
  name: string;
  email: string;
  active: boolean;
  handled: HandledSummary;
}

export function departmentRows(users: readonly User[], counters: ReadonlyMap<string, OfficerCounters>, period: DashboardPeriod): DepartmentRow[] {
  const rows: DepartmentRow[] = [];
  for (const user of users) {
    const own = counters.get(user.id);
    if (!rowFor(user, own)) continue;
    const c = own ?? { open: { forAction: 0, inProgress: 0, overdue: 0, awaitingApproval: 0 }, days: {} };
    rows.push({ officerId: user.id, name: user.name, email: user.email, active: user.active, ...c.open, handled: handledSummary(c, period) });
  }
  return rows.sort(byName);
}

export interface HandledReportRow extends HandledTotals {
  officerId: string;
  officer: string;
  email: string;
  departmentId: string | null;
  department: string | null;
}

export function handledReportRows(
  users: readonly User[],
  counters: ReadonlyMap<string, OfficerCounters>,
  departments: ReadonlyMap<string, Pick<Department, "name">>,
  range: { from: CalendarDate; to: CalendarDate },
): HandledReportRow[] {
  const rows: HandledReportRow[] = [];
  for (const user of users) {
    const own = counters.get(user.id);
    const totals = handledTotals(own?.days ?? {}, range.from, range.to);
    const inRange = totals.handled > 0 || totals.overdue > 0;
    if (!((user.active && user.roles.some((r) => LETTER_ROLES.includes(r))) || inRange)) continue;
    rows.push({
      officerId: user.id,
      officer: user.name,
      email: user.email,
      departmentId: user.departmentId,
      department: user.departmentId ? (departments.get(user.departmentId)?.name ?? null) : null,
      ...totals,
    });
  }
  return rows.sort((a, b) => byName({ name: a.officer, email: a.email }, { name: b.officer, email: b.email }));
}

function byName(a: { name: string; email: string }, b: { name: string; email: string }): number {
  return a.name.localeCompare(b.name) || a.email.localeCompare(b.email);
}

export const HANDLED_CSV_COLUMNS = ["officer", "email", "department", "handled", "average_time_to_handle_hours", "overdue", "handled_late"] as const;

/** One CSV cell (RFC 4180), with text that a spreadsheet would run as a formula defused. */
function csvCell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The handled report as CSV: a header line, one line per officer, CRLF line ends. */
export function handledReportCsv(rows: readonly HandledReportRow[]): string {
  const lines = [HANDLED_CSV_COLUMNS.join(",")];
  for (const r of rows) {
    const hours = r.averageHandleSeconds === null ? null : Math.round((r.averageHandleSeconds / 3600) * 100) / 100;
    lines.push([r.officer, r.email, r.department, r.handled, hours, r.overdue, r.handledLate].map(csvCell).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}
