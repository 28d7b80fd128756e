import * as z from "zod";
import type { Role } from "../../../lib/roles";

// The words of DESIGN.md sections 4 and 6, as the API spells them.
export const directions = ["INCOMING", "OUTGOING", "INTERNAL"] as const;
export type Direction = (typeof directions)[number];

export const classifications = ["OPEN", "RESTRICTED", "CONFIDENTIAL"] as const;
export type Classification = (typeof classifications)[number];

/** Most urgent first. */
export const priorities = ["URGENT", "HIGH", "NORMAL", "LOW"] as const;
export type Priority = (typeof priorities)[number];

export const letterStatuses = ["FOR_ACTION", "IN_PROGRESS", "AWAITING_APPROVAL", "CLOSED"] as const;
export type LetterStatus = (typeof letterStatuses)[number];

export const boxes = ["for-action", "in-progress", "overdue", "awaiting-approval", "handled"] as const;
export type Box = (typeof boxes)[number];
export const boxSchema = z.enum(boxes);

export const letterActions = ["accept", "minute", "forward", "reassign", "submit", "approve", "reject", "complete", "extend"] as const;
export type LetterAction = (typeof letterActions)[number];

/** History events: the user actions, registration and the workflow's timer events (and anything newer, shown as is). */
export const historyActions = [...letterActions, "register", "markOverdue", "remind", "escalate"] as const;
export type HistoryAction = (typeof historyActions)[number];

/** Roles that may register some letter: the registry any, officers and supervisors outgoing and internal ones. */
export const letterRegistrarRoles = ["registry", "officer", "supervisor"] as const satisfies readonly Role[];

export const senderSchema = z.object({
  name: z.string(),
  organisation: z.string().optional(),
  reference: z.string().optional(),
  date: z.string().optional(),
});
export type Sender = z.infer<typeof senderSchema>;

export const letterSchema = z.object({
  id: z.string(),
  reference: z.string(),
  direction: z.enum(directions),
  subject: z.string(),
  summary: z.string().nullable().optional(),
  sender: senderSchema.nullable().optional(),
  classification: z.enum(classifications),
  priority: z.enum(priorities),
  status: z.enum(letterStatuses),
  assigneeId: z.string(),
  approverId: z.string().nullable().optional(),
  departmentId: z.string().nullable().optional(),
  fileId: z.string().nullable().optional(),
  folio: z.number().nullable().optional(),
  dueAt: z.string(),
  overdue: z.boolean(),
  requiresApproval: z.boolean(),
  registeredBy: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string().optional(),
  closedAt: z.string().nullable().optional(),
  version: z.number(),
  /** What the caller may do next, if the API says so; otherwise the page offers what the design allows. */
  allowedActions: z.array(z.string()).optional(),
});
export type Letter = z.infer<typeof letterSchema>;

export const historyEventSchema = z.object({
  version: z.number(),
  at: z.string(),
  actorId: z.string(),
  action: z.string(),
  fromStatus: z.enum(letterStatuses).nullable().optional(),
  toStatus: z.enum(letterStatuses),
  assigneeId: z.string(),
  previousAssigneeId: z.string().optional(),
  reason: z.string().optional(),
  note: z.string().optional(),
  dueAt: z.string().optional(),
  /** On an escalation: the supervisor who was told. */
  supervisorId: z.string().optional(),
});
export type HistoryEvent = z.infer<typeof historyEventSchema>;

export const minuteSchema = z.object({ at: z.string(), authorId: z.string(), text: z.string(), version: z.number() });
export type Minute = z.infer<typeof minuteSchema>;

export const attachmentStatuses = ["PENDING", "ACCEPTED", "REJECTED"] as const;

export const attachmentSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number(),
  status: z.enum(attachmentStatuses),
  reason: z.string().nullable().optional(),
  uploadedBy: z.string(),
  createdAt: z.string(),
  completedAt: z.string().nullable().optional(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const letterDetailSchema = letterSchema.extend({
  history: z.array(historyEventSchema),
  minutes: z.array(minuteSchema),
  attachments: z.array(attachmentSchema),
});
export type LetterDetail = z.infer<typeof letterDetailSchema>;
