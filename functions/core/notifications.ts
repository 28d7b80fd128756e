/**
 * Who is told what, and when (DESIGN.md section 7, "Alerts"). Pure: history events and directory
 * facts go in, notices and digests come out; the stream consumer and the digest job send them.
 */

import type { HistoryAction } from "./letters";

/** The notices a person may receive by email, one per kind of event. */
export const NOTIFICATION_KINDS = ["newLetter", "reassigned", "approvalRequested", "rejected", "overdue", "escalation"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * Kinds nobody may turn off: an overdue letter and its escalation are what keeps letters moving.
 * The others are conveniences (the letter is in the person's box anyway).
 */
export const ESSENTIAL_KINDS = ["overdue", "escalation"] as const satisfies readonly NotificationKind[];
export type EssentialKind = (typeof ESSENTIAL_KINDS)[number];
export const OPTIONAL_KINDS = ["newLetter", "reassigned", "approvalRequested", "rejected"] as const satisfies readonly NotificationKind[];
export type OptionalKind = (typeof OPTIONAL_KINDS)[number];

/** A user's choices: `false` turns an optional kind off; anything absent is on. */
export type NotificationPreferences = Partial<Record<OptionalKind, boolean>>;

export function isEssential(kind: NotificationKind): kind is EssentialKind {
  return (ESSENTIAL_KINDS as readonly NotificationKind[]).includes(kind);
}

/** Whether a person with these preferences gets notices of this kind. */
export function wantsNotice(preferences: NotificationPreferences | undefined, kind: NotificationKind): boolean {
  if (isEssential(kind)) return true;
  return preferences?.[kind] !== false;
}

/** Every optional kind with its current setting (absent = on): what the profile shows. */
export function effectivePreferences(preferences: NotificationPreferences | undefined): Record<OptionalKind, boolean> {
  const out = {} as Record<OptionalKind, boolean>;
  for (const kind of OPTIONAL_KINDS) out[kind] = preferences?.[kind] !== false;
  return out;
}

/** The history actions that notify someone, and of what. Other actions (accept, minute, ...) notify nobody. */
export const NOTICE_OF_ACTION: Readonly<Partial<Record<HistoryAction, NotificationKind>>> = {
  register: "newLetter",
  forward: "newLetter",
  reassign: "reassigned",
  submit: "approvalRequested",
  reject: "rejected",
  markOverdue: "overdue",
  remind: "overdue",
  escalate: "escalation",
};

/** The kind of notice a history action gives, if any (unknown actions give none). */
export function noticeKindOf(action: string): NotificationKind | null {
  return Object.hasOwn(NOTICE_OF_ACTION, action) ? (NOTICE_OF_ACTION[action as HistoryAction] ?? null) : null;
}

/** The part of a history event that decides its notice. */
export interface NoticeEvent {
  action: string;
  actorId: string;
  assigneeId: string;
  /** Set by events that name their addressee (the workflow's escalation names the supervisor). */
  recipientId?: string;
}

/** Facts read from the letter and the directory when the event is handled. */
export interface NoticeFacts {
  /** The letter's approver (for a submission). */
  approverId: string | null;
  /** The assignee's supervisor in the directory (escalation; approver when the letter has moved on). */
  assigneeSupervisorId: string | null;
}

export interface Notice {
  kind: NotificationKind;
  recipientId: string;
}

/** The notice an event produces, if any. Nobody is told of their own action. */
export function noticeFor(event: NoticeEvent, facts: NoticeFacts): Notice | null {
  const kind = noticeKindOf(event.action);
  if (!kind) return null;
  let recipientId: string | null;
  switch (kind) {
    case "approvalRequested":
      recipientId = event.recipientId ?? facts.approverId ?? facts.assigneeSupervisorId;
      break;
    case "escalation":
      recipientId = event.recipientId ?? facts.assigneeSupervisorId;
      break;
    default:
      recipientId = event.recipientId ?? event.assigneeId;
  }
  if (!recipientId || recipientId === event.actorId) return null;
  return { kind, recipientId };
}

// ---------------------------------------------------------------------------------------------
// The daily overdue digest.

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days past due, counting a started day: one hour late is one day overdue. */
export function daysOverdue(dueAt: string, now: Date): number {
  return Math.max(1, Math.ceil((now.getTime() - Date.parse(dueAt)) / DAY_MS));
}

/** The calendar date (`YYYY-MM-DD`) of an instant in a timezone. */
export function localDate(at: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** A person as the digest sees them. */
export interface DigestPerson {
  id: string;
  name: string;
  email: string;
  language: "sw" | "en";
  roles: readonly string[];
  departmentId: string | null;
  supervisorId: string | null;
  /** False for a deactivated user: sent nothing, but the letters they still hold go to their supervisor (absent: active). */
  active?: boolean;
}

/** An overdue letter as the digest sees it. */
export interface OverdueLetter {
  id: string;
  reference: string;
  subject: string;
  dueAt: string;
  assigneeId: string;
  departmentId: string | null;
}

export interface DigestEntry {
  letterId: string;
  reference: string;
  subject: string;
  dueAt: string;
  daysOverdue: number;
  assigneeName: string;
}

/** One person's digest: their own overdue letters, and for a supervisor the department's. */
export interface Digest {
  recipient: DigestPerson;
  own: DigestEntry[];
  department: DigestEntry[];
}

/**
 * The day's digests of an agency. An officer gets their own overdue letters; a supervisor also
 * gets the department's (letters of their department, or held by people they supervise), in the
 * same one email. A deactivated user gets nothing, so `people` should hold them too: their
 * letters then reach their supervisor, named by who holds them. Nobody gets an empty digest.
 * Most overdue first.
 */
export function buildDigests(people: readonly DigestPerson[], overdue: readonly OverdueLetter[], now: Date): Digest[] {
  const byId = new Map(people.map((p) => [p.id, p]));
  const entry = (letter: OverdueLetter): DigestEntry => ({
    letterId: letter.id,
    reference: letter.reference,
    subject: letter.subject,
    dueAt: letter.dueAt,
    daysOverdue: daysOverdue(letter.dueAt, now),
    assigneeName: byId.get(letter.assigneeId)?.name ?? letter.assigneeId,
  });
  const order = (a: DigestEntry, b: DigestEntry) => b.daysOverdue - a.daysOverdue || a.reference.localeCompare(b.reference);
  const digests: Digest[] = [];
  for (const person of people) {
    if (person.active === false) continue;
    const own = overdue.filter((l) => l.assigneeId === person.id).map(entry).sort(order);
    let department: DigestEntry[] = [];
    if (person.roles.includes("supervisor")) {
      department = overdue
        .filter((l) => {
          if (l.assigneeId === person.id) return false;
          const inDepartment = person.departmentId !== null && l.departmentId === person.departmentId;
          return inDepartment || byId.get(l.assigneeId)?.supervisorId === person.id;
        })
        .map(entry)
        .sort(order);
    }
    if (own.length > 0 || department.length > 0) digests.push({ recipient: person, own, department });
  }
  return digests;
}
