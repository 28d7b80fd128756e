/**
 * The directory of agencies, departments and users: the domain types and their rules.
 * Pure TypeScript; the store owns the keys.
 */
import type { NotificationPreferences } from "./notifications";
import type { Role } from "./roles";

export type { Role };

export const DEFAULT_TIMEZONE = "Africa/Dar_es_Salaam";
export type Language = "sw" | "en";

export interface AgencySettings {
  defaultDueDays: number;
  reminderIntervalHours: number;
  escalateAfterDays: number;
  /** Local time of the daily overdue digest, `HH:MM`. */
  digestTime: string;
  timezone: string;
}

export const DEFAULT_SETTINGS: AgencySettings = {
  defaultDueDays: 7,
  reminderIntervalHours: 24,
  escalateAfterDays: 3,
  digestTime: "07:00",
  timezone: DEFAULT_TIMEZONE,
};

export interface Agency {
  id: string;
  code: string;
  name: string;
  emailDomains: string[];
  timezone: string;
  /** The deployment cell serving the agency (DESIGN.md section 7). */
  cell: string;
  createdAt: string;
}

export interface Department {
  id: string;
  agencyId: string;
  code: string;
  name: string;
  createdAt: string;
}

export interface User {
  id: string;
  agencyId: string;
  email: string;
  name: string;
  departmentId: string | null;
  roles: Role[];
  supervisorId: string | null;
  language: Language;
  active: boolean;
  /** Optional notices the user turned off (see core/notifications); absent means all on. */
  notifications?: NotificationPreferences;
  createdAt: string;
  updatedAt: string;
}

/** Lower-cases and trims an email address, the one form in which addresses are stored and compared. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function emailDomain(email: string): string {
  const at = email.lastIndexOf("@");
  return at < 0 ? "" : normaliseEmail(email.slice(at + 1));
}

/** The one-to-many rule of agencies and domains: an address is admitted when its domain is one of the agency's. */
export function emailInDomains(email: string, domains: readonly string[]): boolean {
  const domain = emailDomain(email);
  return domain.length > 0 && domains.map(normaliseEmail).includes(domain);
}

/** A well-formed IANA time zone name that the runtime knows (e.g. `Africa/Dar_es_Salaam`). */
export function isKnownTimezone(timezone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(timezone)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** `HH:MM`, 24-hour clock. */
export function isClockTime(value: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}

/**
 * Changes an administrator may not make to their own account, because they would lock the agency
 * out of its own administration. Returns the offending field, or null.
 */
export function selfLockoutField(
  actorId: string,
  targetId: string,
  change: { roles?: readonly Role[]; active?: boolean },
): "roles" | "active" | null {
  if (actorId !== targetId) return null;
  if (change.active === false) return "active";
  if (change.roles !== undefined && !change.roles.includes("admin")) return "roles";
  return null;
}

/** Whether `supervisorId` may supervise `userId`: anyone but the user themself. */
export function isValidSupervisor(userId: string, supervisorId: string | null | undefined): boolean {
  return supervisorId === null || supervisorId === undefined || supervisorId !== userId;
}
