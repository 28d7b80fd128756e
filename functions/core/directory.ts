/**
 * The directory of agencies, departments and users: the domain types and their rules.
 * Pure TypeScript; the store owns the keys.
 */
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
