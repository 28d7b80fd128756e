/**
 * The shapes of directory values (addresses, codes, names, settings) as zod schemas, so every
 * boundary validates them the same way and derives its types from them. Pure.
 */
import * as z from "zod";
import { isClockTime, isKnownTimezone } from "./directory";
import type { NotificationKind } from "./notifications";
import { ROLES } from "./roles";

/** An email address, trimmed and lower-cased (the one form stored and compared). */
export const EmailSchema = z.string().trim().toLowerCase().max(254, "An email address has at most 254 characters").pipe(z.email("Not a valid email address"));

/** A DNS domain such as `demo.go.tz`, lower-cased. */
export const DomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "Not a valid domain name");

/** Agency codes appear in references (`DEMO/ADM/2026/0007`): upper-case letters and digits. */
export const AgencyCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Z][A-Z0-9]{1,15}$/, "Use 2 to 16 capital letters or digits, starting with a letter");

export const DepartmentCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Z][A-Z0-9]{0,15}$/, "Use 1 to 16 capital letters or digits, starting with a letter");

/** A display name of a person, agency or department. */
export const NameSchema = z
  .string()
  .trim()
  .min(1, "A name is required")
  .max(200, "A name has at most 200 characters")
  .refine((value) => ![...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), "A name cannot contain control characters");

export const TimezoneSchema = z.string().trim().max(64).refine(isKnownTimezone, "Not a known time zone (e.g. Africa/Dar_es_Salaam)");

export const LanguageSchema = z.enum(["sw", "en"]);

export const RoleSchema = z.enum(ROLES);

/** At least one role, each once. */
export const RoleListSchema = z
  .array(RoleSchema)
  .min(1, "A user needs at least one role")
  .max(ROLES.length)
  .refine((roles) => new Set(roles).size === roles.length, "A role is listed twice");

/** Opaque ids the store generates (UUIDs), checked only for shape; existence is checked against the caller's agency. */
export const IdSchema = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9-]+$/, "Not a valid id");

export const SettingsSchema = z.strictObject({
  defaultDueDays: z.number().int().min(1).max(365),
  reminderIntervalHours: z.number().int().min(1).max(24 * 14),
  escalateAfterDays: z.number().int().min(1).max(365),
  digestTime: z.string().refine(isClockTime, "Use HH:MM on a 24-hour clock"),
  timezone: TimezoneSchema,
});

const optionalNotice = z.boolean();
const essentialNotice = (what: string) => z.literal(true, { error: `${what} are essential and cannot be turned off` });

/**
 * A change of the caller's notification preferences (`PATCH /api/me {notifications}`): optional
 * kinds on or off; essential kinds (overdue, escalation) may only be named as on.
 */
export const NotificationPreferencesSchema = z
  .strictObject({
    newLetter: optionalNotice.optional(),
    reassigned: optionalNotice.optional(),
    approvalRequested: optionalNotice.optional(),
    rejected: optionalNotice.optional(),
    overdue: essentialNotice("Overdue reminders").optional(),
    escalation: essentialNotice("Escalations").optional(),
  } satisfies Record<NotificationKind, z.ZodType>)
  .refine((change) => Object.keys(change).length > 0, "Name at least one kind of notification");
