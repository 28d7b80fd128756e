/**
 * Words shared by registry files and letters: classification, priority, the agency's calendar,
 * and the rule error that the domain raises. Pure TypeScript.
 *
 * Classification (DESIGN.md section 6, last paragraph):
 * - `OPEN`: every user of the agency may read it;
 * - `RESTRICTED` (the default): the registry, everyone in the letter's movement chain and the
 *   supervisors of its department;
 * - `CONFIDENTIAL`: only the movement chain and the supervisors of its department.
 */

export const CLASSIFICATIONS = ["OPEN", "RESTRICTED", "CONFIDENTIAL"] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];
export const DEFAULT_CLASSIFICATION: Classification = "RESTRICTED";

/** Most urgent first: the order of the boxes. */
export const PRIORITIES = ["URGENT", "HIGH", "NORMAL", "LOW"] as const;
export type Priority = (typeof PRIORITIES)[number];
export const DEFAULT_PRIORITY: Priority = "NORMAL";

/** Why the domain refuses something; the HTTP layer maps the code to its status. */
export type RuleErrorCode = "FORBIDDEN" | "INVALID_TRANSITION" | "CONFLICT" | "VALIDATION_FAILED";

export class RuleError extends Error {
  constructor(
    readonly code: RuleErrorCode,
    message: string,
    /** The request field at fault, for `VALIDATION_FAILED`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = "RuleError";
  }
}

// Building a formatter is far dearer than using one; counters and recounts ask for many dates.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (`YYYY-MM-DD`) of an instant in a time zone. */
export function localDate(at: Date, timezone: string): string {
  let format = dateFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" });
    dateFormats.set(timezone, format);
  }
  const parts = format.formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** The year of an instant in a time zone (a reference's year is the agency's, not UTC's). */
export function localYear(at: Date, timezone: string): number {
  return Number(localDate(at, timezone).slice(0, 4));
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}
