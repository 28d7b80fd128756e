/**
 * Request shapes of the files, letters, attachments and audit routes (DESIGN.md section 6) as zod
 * schemas; the HTTP layer validates with them and derives its types from them. Pure.
 */
import * as z from "zod";
import { AUDIT_ENTITIES } from "./audit";
import { IdSchema } from "./directory-schemas";
import { FILE_STATUSES } from "./files";
import { BOXES, DIRECTIONS } from "./letters";
import { CLASSIFICATIONS, PRIORITIES } from "./records";

const noControl = (value: string) => ![...value].some((c) => c.charCodeAt(0) < 0x20 && c !== "\n" && c !== "\r" && c !== "\t");

/** One line of text (a title, subject, name). */
const Line = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "Required")
    .max(max, `At most ${max} characters`)
    .refine((v) => noControl(v) && !/[\r\n]/.test(v), "Use one line without control characters");

/** Free text (summary, minute, reason). */
const Text = (max: number) => z.string().trim().min(1, "Required").max(max, `At most ${max} characters`).refine(noControl, "No control characters");

const IsoDateTime = z.iso.datetime({ offset: true, message: "Use an ISO-8601 date-time, e.g. 2026-05-20T09:00:00Z" });
const IsoDate = z.iso.date("Use a date YYYY-MM-DD");

export const VersionSchema = z.number().int().min(1);

export const NewFileSchema = z.strictObject({
  title: Line(200),
  departmentId: IdSchema,
  classification: z.enum(CLASSIFICATIONS).optional(),
  description: Text(2000).optional(),
});

export const FileListQuerySchema = z.strictObject({
  status: z.enum(FILE_STATUSES).optional(),
  departmentId: IdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(2048).optional(),
});

export const VersionBodySchema = z.strictObject({ version: VersionSchema.optional() });

export const SenderSchema = z.strictObject({
  name: Line(200),
  organisation: Line(200).optional(),
  reference: Line(100).optional(),
  date: IsoDate.optional(),
});

export const NewLetterSchema = z
  .strictObject({
    subject: Line(300),
    direction: z.enum(DIRECTIONS),
    assigneeId: IdSchema,
    fileId: IdSchema.optional(),
    sender: SenderSchema.optional(),
    summary: Text(4000).optional(),
    classification: z.enum(CLASSIFICATIONS).optional(),
    dueAt: IsoDateTime.optional(),
    dueInDays: z.number().int().min(1).max(365).optional(),
    requiresApproval: z.boolean().optional(),
    priority: z.enum(PRIORITIES).optional(),
  })
  .refine((v) => !(v.dueAt !== undefined && v.dueInDays !== undefined), { message: "Give dueAt or dueInDays, not both", path: ["dueInDays"] });

export const LetterListQuerySchema = z.strictObject({
  box: z.enum(BOXES).default("for-action"),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(2048).optional(),
});

const version = { version: VersionSchema.optional() };

/** The body of each action (DESIGN.md section 4). */
export const ACTION_BODY_SCHEMAS = {
  accept: z.strictObject({ ...version }),
  minute: z.strictObject({ text: Text(4000), ...version }),
  forward: z.strictObject({ to: IdSchema, ...version }),
  reassign: z.strictObject({ to: IdSchema, reason: Text(1000), ...version }),
  submit: z.strictObject({ ...version }),
  approve: z.strictObject({ ...version }),
  reject: z.strictObject({ note: Text(2000), ...version }),
  complete: z.strictObject({ ...version }),
  extend: z.strictObject({ dueAt: IsoDateTime, ...version }),
} as const;

export const NewAttachmentSchema = z.strictObject({
  fileName: Line(200).refine((v) => !/[/\\]/.test(v), "A file name, without folders"),
  contentType: z.string().trim().toLowerCase().min(1).max(200),
  size: z.number().int().min(1, "An empty file cannot be attached"),
});

export const AuditQuerySchema = z.strictObject({ entity: z.enum(AUDIT_ENTITIES), id: IdSchema });

/** `Idempotency-Key` header values: 1 to 128 safe characters. */
export const IdempotencyKeySchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, "Use 1 to 128 letters, digits or - _ . :");
