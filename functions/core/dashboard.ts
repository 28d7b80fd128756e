/**
 * The dashboard's calendar and sums (DESIGN.md sections 3 and 4), pure: days, weeks (Monday
 * first) and months are the agency's, in its time zone; the counters themselves are kept by the
 * transitions (`core/letters` deltas) and only added up here.
 */
import { OPEN_COUNTERS, type OpenCounter } from "./letters";
import { localDate } from "./records";
import type { Role } from "./roles";

/** Who sees the department dashboard and the handled report (DESIGN.md section 6). */
export const REPORT_ROLES = ["supervisor", "admin"] as const satisfies readonly Role[];

/** A calendar date `YYYY-MM-DD`. */
export type CalendarDate = string;
/** A calendar month `YYYY-MM`. */
export type CalendarMonth = string;

export const DAILY_SERIES_DAYS = 30;
/** The longest report range, in days (a year, leap or not). */
export const MAX_REPORT_DAYS = 366;

const DAY_MS = 86_400_000;

export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const at = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === value;
}

/** The date `days` after `date` (negative: before), on the calendar, whatever the time zone. */
export function addCalendarDays(date: CalendarDate, days: number): CalendarDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (0 when equal, negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The Monday of the week of `date` (weeks start on Monday, as in Tanzania and ISO 8601). */
export function weekStart(date: CalendarDate): CalendarDate {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addCalendarDays(date, -((weekday + 6) % 7));
}

export function monthOf(date: CalendarDate): CalendarMonth {
  return date.slice(0, 7);
}

/** Every date from `from` to `to`, both included, oldest first. */
export function calendarDays(from: CalendarDate, to: CalendarDate): CalendarDate[] {
  const days: CalendarDate[] = [];
  for (let d = from; d <= to; d = addCalendarDays(d, 1)) days.push(d);
  return days;
}

/** The months that `from..to` touches, oldest first. */
export function monthsBetween(from: CalendarDate, to: CalendarDate): CalendarMonth[] {
  const months: CalendarMonth[] = [];
  let [year, month] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const last = monthOf(to);
  for (;;) {
    const m = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
    if (m > last) break;
    months.push(m);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return months;
}

/** The dashboard's periods at `now` in `timezone`. */
export interface DashboardPeriod {
  today: CalendarDate;
  weekStart: CalendarDate;
  monthStart: CalendarDate;
  /** The last 30 days, oldest first, ending today. */
  days: CalendarDate[];
  /** Months whose counters the periods need. */
  months: CalendarMonth[];
}

export function dashboardPeriod(now: Date, timezone: string): DashboardPeriod {
  const today = localDate(now, timezone);
  const first = addCalendarDays(today, -(DAILY_SERIES_DAYS - 1));
  const monday = weekStart(today);
  const monthStart = `${monthOf(today)}-01`;
  const earliest = [first, monday, monthStart].sort()[0] ?? first;
  return { today, weekStart: monday, monthStart, days: calendarDays(first, today), months: monthsBetween(earliest, today) };
}

/**
 * The months the dashboard may need at `now` in any time zone (UTC-12 to UTC+14), so the counters
 * and the agency's time zone can be read in one request before the zone is known. Two or three.
 */
export function monthsForAnyTimezone(now: Date): CalendarMonth[] {
  const earliestToday = localDate(now, "Etc/GMT+12");
  const latestToday = localDate(now, "Pacific/Kiritimati");
  return monthsBetween(`${monthOf(addCalendarDays(earliestToday, -(DAILY_SERIES_DAYS - 1)))}-01`, latestToday);
}

/** What one officer did on one day (the per-day counters of DESIGN.md section 3). */
export interface DayCounts {
  handled: number;
  /** Sum of the handled actions' times to handle, in seconds. */
  heldSeconds: number;
  /** Handled actions taken after the due date. */
  late: number;
  /** Letters that became overdue in the officer's hands. */
  markedOverdue: number;
}

export const EMPTY_DAY: Readonly<DayCounts> = { handled: 0, heldSeconds: 0, late: 0, markedOverdue: 0 };

export type OpenCounts = Record<OpenCounter, number>;

export function emptyOpenCounts(): OpenCounts {
  return Object.fromEntries(OPEN_COUNTERS.map((c) => [c, 0])) as OpenCounts;
}

/** An officer's counters: open letters now, and what they did per day (only days with anything). */
export interface OfficerCounters {
  open: OpenCounts;
  days: Record<CalendarDate, DayCounts>;
}

export interface HandledSummary {
  today: number;
  week: number;
  month: number;
}

/** `GET /api/dashboard` (DESIGN.md section 6). */
export interface Dashboard extends OpenCounts {
  handled: HandledSummary;
  daily: { date: CalendarDate; handled: number }[];
}

function handledBetween(days: Record<CalendarDate, DayCounts>, from: CalendarDate, to: CalendarDate): number {
  let sum = 0;
  for (const [date, counts] of Object.entries(days)) if (date >= from && date <= to) sum += counts.handled;
  return sum;
}

export function handledSummary(counters: OfficerCounters, period: DashboardPeriod): HandledSummary {
  return {
    today: counters.days[period.today]?.handled ?? 0,
    week: handledBetween(counters.days, period.weekStart, period.today),
    month: handledBetween(counters.days, period.monthStart, period.today),
  };
}

export function dashboardOf(counters: OfficerCounters, period: DashboardPeriod): Dashboard {
  return {
    ...counters.open,
    handled: handledSummary(counters, period),
    daily: period.days.map((date) => ({ date, handled: counters.days[date]?.handled ?? 0 })),
  };
}

/** The sums of a report row over `from..to` (DESIGN.md section 6, `GET /api/reports/handled`). */
export interface HandledTotals {
  handled: number;
  /** Mean time to handle, in seconds; null when nothing was handled. */
  averageHandleSeconds: number | null;
  /** Letters that became overdue in the officer's hands in the range. */
  overdue: number;
  /** Handled actions taken after the due date. */
  handledLate: number;
}

export function handledTotals(days: Record<CalendarDate, DayCounts>, from: CalendarDate, to: CalendarDate): HandledTotals {
  const sum = { ...EMPTY_DAY };
  for (const [date, counts] of Object.entries(days)) {
    if (date < from || date > to) continue;
    sum.handled += counts.handled;
    sum.heldSeconds += counts.heldSeconds;
    sum.late += counts.late;
    sum.markedOverdue += counts.markedOverdue;
  }
  return {
    handled: sum.handled,
    averageHandleSeconds: sum.handled === 0 ? null : Math.round(sum.heldSeconds / sum.handled),
    overdue: sum.markedOverdue,
    handledLate: sum.late,
  };
}
