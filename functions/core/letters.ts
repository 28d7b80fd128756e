/**
 * Letters and their lifecycle (DESIGN.md section 4), pure: a letter, an actor and an action go in;
 * the new letter, its history event, the minute (if any) and the dashboard counter deltas come out.
 * The store writes them in one conditional transaction.
 *
 * States `FOR_ACTION -> IN_PROGRESS -> AWAITING_APPROVAL -> CLOSED`; `overdue` is a flag on an open
 * letter. The counters are derived from the letter itself (`openCounts`): a transition's deltas
 * are the counts after minus the counts before, so the dashboard can never drift from the letters.
 */
import type { Principal } from "./permissions";
import { RuleError, type Classification, type Priority, PRIORITIES } from "./records";
import type { Role } from "./roles";

/** Roles that may register some letter (the registry any; officers and supervisors outgoing and internal ones). */
export const LETTER_REGISTRAR_ROLES = ["registry", "officer", "supervisor"] as const satisfies readonly Role[];

export const LETTER_STATUSES = ["FOR_ACTION", "IN_PROGRESS", "AWAITING_APPROVAL", "CLOSED"] as const;
export type LetterStatus = (typeof LETTER_STATUSES)[number];
export const OPEN_STATUSES: readonly LetterStatus[] = ["FOR_ACTION", "IN_PROGRESS", "AWAITING_APPROVAL"];

export const DIRECTIONS = ["INCOMING", "OUTGOING", "INTERNAL"] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const LETTER_ACTIONS = ["accept", "minute", "forward", "reassign", "submit", "approve", "reject", "complete", "extend"] as const;
export type LetterAction = (typeof LETTER_ACTIONS)[number];

/**
 * Events of a letter's history: the user actions, registration, and the workflow's timer events
 * (DESIGN.md section 5). Each is one `EVENT#<version>` item written in the letter's own
 * transaction (the letter's version moves by one), so each appears once as an INSERT in the
 * Letters stream. The timer events, all with `actorId: "system"` and the letter's `dueAt`:
 * - `markOverdue`: the due date passed; tell `assigneeId` (the officer holding the letter).
 * - `remind`: the letter is still overdue, `reminderIntervalHours` after the last notice; tell `assigneeId`.
 * - `escalate`: overdue for `escalateAfterDays`; tell `supervisorId` (the assignee's supervisor in the
 *   directory; absent when the assignee has none), about the officer `assigneeId`. Once per overdue spell.
 */
export type HistoryAction = LetterAction | "register" | WorkflowEventAction;
export const WORKFLOW_EVENT_ACTIONS = ["markOverdue", "remind", "escalate"] as const;
export type WorkflowEventAction = (typeof WORKFLOW_EVENT_ACTIONS)[number];
export const HISTORY_ACTIONS: readonly HistoryAction[] = [...LETTER_ACTIONS, "register", ...WORKFLOW_EVENT_ACTIONS];

export interface Sender {
  name: string;
  organisation?: string;
  reference?: string;
  /** The date on the letter, `YYYY-MM-DD`. */
  date?: string;
}

export interface Letter {
  id: string;
  agencyId: string;
  reference: string;
  direction: Direction;
  subject: string;
  summary: string | null;
  sender: Sender | null;
  classification: Classification;
  priority: Priority;
  status: LetterStatus;
  assigneeId: string;
  /** Who must approve, while the letter awaits approval. */
  approverId: string | null;
  /** The department that owns the letter (its file's, else its first assignee's). */
  departmentId: string | null;
  fileId: string | null;
  folio: number | null;
  dueAt: string;
  overdue: boolean;
  requiresApproval: boolean;
  /** The movement chain: everyone who registered, held or approved the letter, in order of first appearance. */
  chain: string[];
  registeredBy: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  version: number;
  /**
   * When the letter reached whoever must act on it now (its assignee; its approver while it awaits
   * approval): the start of their time to handle it. Absent on letters stored before it was kept;
   * `heldSinceOf` falls back to the registration time.
   */
  heldSince?: string;
}

export interface HistoryEvent {
  /** The letter version this event produced; unique per letter. */
  version: number;
  at: string;
  actorId: string;
  action: HistoryAction;
  fromStatus: LetterStatus | null;
  toStatus: LetterStatus;
  assigneeId: string;
  previousAssigneeId?: string;
  reason?: string;
  note?: string;
  dueAt?: string;
  /** On `escalate`: the supervisor to tell. */
  supervisorId?: string;
}

export interface Minute {
  version: number;
  at: string;
  authorId: string;
  text: string;
}

export type Actor = Pick<Principal, "userId" | "roles" | "departmentId">;

/** The body of each action (DESIGN.md section 6), after validation. */
export type ActionInput =
  | { action: "accept" }
  | { action: "minute"; text: string }
  | { action: "forward"; to: string }
  | { action: "reassign"; to: string; reason: string }
  | { action: "submit" }
  | { action: "approve" }
  | { action: "reject"; note: string }
  | { action: "complete" }
  | { action: "extend"; dueAt: string };

/** Facts about the people involved, read from the directory by the caller of `transition`. */
export interface TransitionContext {
  now: Date;
  /** The current assignee's supervisor in the directory (approver on submit; may reassign). */
  assigneeSupervisorId: string | null;
  /** The version the caller saw (the request's optional `version`); another one is a CONFLICT. */
  expectedVersion?: number;
}

export type OpenCounter = "forAction" | "inProgress" | "overdue" | "awaitingApproval";
export const OPEN_COUNTERS: readonly OpenCounter[] = ["forAction", "inProgress", "overdue", "awaitingApproval"];

export interface OpenDelta {
  userId: string;
  counter: OpenCounter;
  by: number;
}

/** A handled action (DESIGN.md section 4) with what the reports need of it. */
export interface HandledDelta {
  userId: string;
  at: string;
  /** Seconds from the letter reaching the actor (`heldSince`) to this action. */
  heldSeconds: number;
  /** Taken after the letter's due date. */
  late: boolean;
}

export interface CounterDeltas {
  open: OpenDelta[];
  /** Handled actions: one per entry, counted on the day of `at` in the agency's time zone. */
  handled: HandledDelta[];
  /** Letters that became overdue in an officer's hands (the workflow's mark), on the day of `at`. */
  markedOverdue: { userId: string; at: string }[];
}

export interface TransitionResult {
  letter: Letter;
  event: HistoryEvent;
  minute?: Minute;
  /** The actor, when the action counts as handled by them (DESIGN.md section 4). */
  handledBy?: string;
  deltas: CounterDeltas;
}

/** How an actor stands to a letter; one actor may stand in several ways. */
export type Relation = "assignee" | "approver" | "chain" | "assigneeSupervisor" | "departmentSupervisor" | "registry" | "admin";

export function relationsTo(letter: Letter, actor: Actor, assigneeSupervisorId: string | null): Set<Relation> {
  const rel = new Set<Relation>();
  if (actor.userId === letter.assigneeId) rel.add("assignee");
  // Before submission the would-be approver is the assignee's supervisor (so they get 409, not 403).
  const approver = letter.status === "AWAITING_APPROVAL" ? letter.approverId : assigneeSupervisorId;
  if (approver !== null && actor.userId === approver) rel.add("approver");
  if (letter.chain.includes(actor.userId)) rel.add("chain");
  if (assigneeSupervisorId !== null && actor.userId === assigneeSupervisorId) rel.add("assigneeSupervisor");
  if (actor.roles.includes("supervisor") && letter.departmentId !== null && actor.departmentId === letter.departmentId) {
    rel.add("departmentSupervisor");
  }
  if (actor.roles.includes("registry")) rel.add("registry");
  if (actor.roles.includes("admin")) rel.add("admin");
  return rel;
}

interface Rule {
  /** Who may take the action (DESIGN.md section 4, column "who"). */
  who: readonly Relation[];
  from: readonly LetterStatus[];
  /** Counts as handled by the actor. */
  handled: boolean;
}

/** The table of DESIGN.md section 4. "supervisor" there means a supervisor of the letter: its department's, or the assignee's. */
export const TRANSITION_RULES: Readonly<Record<LetterAction, Rule>> = {
  accept: { who: ["assignee"], from: ["FOR_ACTION"], handled: false },
  minute: { who: ["assignee", "chain", "assigneeSupervisor", "departmentSupervisor"], from: OPEN_STATUSES, handled: false },
  forward: { who: ["assignee"], from: ["FOR_ACTION", "IN_PROGRESS"], handled: true },
  reassign: { who: ["assignee", "registry", "assigneeSupervisor", "admin"], from: ["FOR_ACTION", "IN_PROGRESS"], handled: false },
  submit: { who: ["assignee"], from: ["IN_PROGRESS"], handled: true },
  approve: { who: ["approver"], from: ["AWAITING_APPROVAL"], handled: true },
  reject: { who: ["approver"], from: ["AWAITING_APPROVAL"], handled: true },
  complete: { who: ["assignee"], from: ["IN_PROGRESS"], handled: true },
  extend: { who: ["assigneeSupervisor", "departmentSupervisor", "registry"], from: OPEN_STATUSES, handled: false },
};

/**
 * The actions `actor` may take on `letter` now: exactly those `transition` would accept (apart from
 * the action's own input), so the letter page offers no button that would be refused.
 */
export function allowedActions(letter: Letter, actor: Actor, assigneeSupervisorId: string | null): LetterAction[] {
  const relations = relationsTo(letter, actor, assigneeSupervisorId);
  return LETTER_ACTIONS.filter((action) => {
    const rule = TRANSITION_RULES[action];
    if (!rule.who.some((r) => relations.has(r)) || !rule.from.includes(letter.status)) return false;
    if (action === "complete") return !letter.requiresApproval;
    if (action === "submit") return assigneeSupervisorId !== null && assigneeSupervisorId !== letter.assigneeId;
    return true;
  });
}

export function isOpen(letter: Pick<Letter, "status">): boolean {
  return letter.status !== "CLOSED";
}

/** The dashboard counts a letter contributes to (DESIGN.md section 4, "Dashboard numbers"). */
export function openCounts(letter: Letter): OpenDelta[] {
  const counts: OpenDelta[] = [];
  if (letter.status === "FOR_ACTION") counts.push({ userId: letter.assigneeId, counter: "forAction", by: 1 });
  if (letter.status === "IN_PROGRESS") counts.push({ userId: letter.assigneeId, counter: "inProgress", by: 1 });
  if (letter.status === "AWAITING_APPROVAL" && letter.approverId) {
    counts.push({ userId: letter.approverId, counter: "awaitingApproval", by: 1 });
  }
  if (isOpen(letter) && letter.overdue) counts.push({ userId: letter.assigneeId, counter: "overdue", by: 1 });
  return counts;
}

/** `after - before`, merged per officer and counter, zeros dropped. */
export function countDeltas(before: Letter | null, after: Letter): OpenDelta[] {
  const sums = new Map<string, OpenDelta>();
  const add = (d: OpenDelta, sign: number) => {
    const key = `${d.userId}\u0000${d.counter}`;
    const current = sums.get(key) ?? { userId: d.userId, counter: d.counter, by: 0 };
    current.by += sign * d.by;
    sums.set(key, current);
  };
  if (before) for (const d of openCounts(before)) add(d, -1);
  for (const d of openCounts(after)) add(d, 1);
  return [...sums.values()].filter((d) => d.by !== 0);
}

/** When the letter reached its current holder (see `Letter.heldSince`). */
export function heldSinceOf(letter: Pick<Letter, "heldSince" | "createdAt">): string {
  return letter.heldSince ?? letter.createdAt;
}

/**
 * The facts of a handled action at `at` on a letter held since `heldSince` and due at `dueAt`:
 * the time to handle in whole seconds (never negative) and whether it came after the due date.
 * The transitions and the recount (`core/recount`) both use this, so they agree to the second.
 */
export function handledFacts(heldSince: string, dueAt: string, at: string): { heldSeconds: number; late: boolean } {
  const held = Date.parse(at) - Date.parse(heldSince);
  return { heldSeconds: Number.isFinite(held) ? Math.max(0, Math.round(held / 1000)) : 0, late: Date.parse(at) > Date.parse(dueAt) };
}

function withChain(chain: readonly string[], ...userIds: (string | null)[]): string[] {
  const next = [...chain];
  for (const id of userIds) if (id !== null && !next.includes(id)) next.push(id);
  return next;
}

/**
 * Applies a user's action to a letter. Checks, in this order: a stale `expectedVersion` (CONFLICT),
 * the actor (FORBIDDEN), the state (INVALID_TRANSITION), then the action's own input rules.
 */
export function transition(letter: Letter, actor: Actor, input: ActionInput, context: TransitionContext): TransitionResult {
  if (context.expectedVersion !== undefined && context.expectedVersion !== letter.version) {
    throw new RuleError("CONFLICT", `The letter has changed (version ${letter.version}, not ${context.expectedVersion}); reload it and try again`);
  }
  const rule = TRANSITION_RULES[input.action];
  const relations = relationsTo(letter, actor, context.assigneeSupervisorId);
  if (!rule.who.some((r) => relations.has(r))) {
    throw new RuleError("FORBIDDEN", `You may not ${input.action} this letter`);
  }
  if (!rule.from.includes(letter.status)) {
    throw new RuleError("INVALID_TRANSITION", `A letter in state ${letter.status} cannot be ${pastTense(input.action)}`);
  }

  const now = context.now.toISOString();
  const next: Letter = { ...letter, version: letter.version + 1, updatedAt: now };
  const event: HistoryEvent = {
    version: next.version,
    at: now,
    actorId: actor.userId,
    action: input.action,
    fromStatus: letter.status,
    toStatus: letter.status,
    assigneeId: letter.assigneeId,
  };
  let minute: Minute | undefined;

  switch (input.action) {
    case "accept":
      next.status = "IN_PROGRESS";
      break;
    case "minute":
      minute = { version: next.version, at: now, authorId: actor.userId, text: input.text };
      next.chain = withChain(letter.chain, actor.userId);
      break;
    case "forward":
    case "reassign": {
      if (input.to === letter.assigneeId) {
        throw new RuleError("VALIDATION_FAILED", "The letter is assigned to this user already", "to");
      }
      next.status = "FOR_ACTION";
      next.assigneeId = input.to;
      next.heldSince = now;
      next.chain = withChain(letter.chain, actor.userId, input.to);
      event.previousAssigneeId = letter.assigneeId;
      if (input.action === "reassign") event.reason = input.reason;
      break;
    }
    case "submit": {
      const approver = context.assigneeSupervisorId;
      if (approver === null || approver === letter.assigneeId) {
        throw new RuleError("INVALID_TRANSITION", "The assignee has no supervisor to approve this letter; ask the administrator to set one");
      }
      next.status = "AWAITING_APPROVAL";
      next.approverId = approver;
      // The approver's time to handle starts now.
      next.heldSince = now;
      next.chain = withChain(letter.chain, approver);
      break;
    }
    case "approve":
      next.status = "CLOSED";
      next.approverId = null;
      next.closedAt = now;
      next.overdue = false;
      break;
    case "reject":
      next.status = "IN_PROGRESS";
      next.approverId = null;
      next.heldSince = now;
      event.note = input.note;
      break;
    case "complete":
      if (letter.requiresApproval) {
        throw new RuleError("INVALID_TRANSITION", "This letter requires approval; submit it instead of completing it");
      }
      next.status = "CLOSED";
      next.closedAt = now;
      next.overdue = false;
      break;
    case "extend": {
      if (Date.parse(input.dueAt) <= context.now.getTime()) {
        throw new RuleError("VALIDATION_FAILED", "The new due date must be in the future", "dueAt");
      }
      next.dueAt = new Date(input.dueAt).toISOString();
      next.overdue = false;
      event.dueAt = next.dueAt;
      break;
    }
  }
  event.toStatus = next.status;
  event.assigneeId = next.assigneeId;

  const result: TransitionResult = {
    letter: next,
    event,
    deltas: {
      open: countDeltas(letter, next),
      // The one who handles is always the letter's holder (assignee, or approver), held since `heldSince`.
      handled: rule.handled ? [{ userId: actor.userId, at: now, ...handledFacts(heldSinceOf(letter), letter.dueAt, now) }] : [],
      markedOverdue: [],
    },
  };
  if (minute) result.minute = minute;
  if (rule.handled) result.handledBy = actor.userId;
  return result;
}

/**
 * The workflow timer's mark (issue 5 calls this through the store): an open letter past its due
 * date becomes overdue. Returns null when there is nothing to mark (closed, already overdue, or
 * not yet due, e.g. after an extension).
 */
export function markOverdue(letter: Letter, now: Date): TransitionResult | null {
  if (!isOpen(letter) || letter.overdue || Date.parse(letter.dueAt) > now.getTime()) return null;
  const at = now.toISOString();
  const next: Letter = { ...letter, overdue: true, version: letter.version + 1, updatedAt: at };
  return {
    letter: next,
    event: {
      version: next.version,
      at,
      actorId: "system",
      action: "markOverdue",
      fromStatus: letter.status,
      toStatus: letter.status,
      assigneeId: letter.assigneeId,
    },
    deltas: { open: countDeltas(letter, next), handled: [], markedOverdue: [{ userId: letter.assigneeId, at }] },
  };
}

export interface NewLetter {
  id: string;
  agencyId: string;
  reference: string;
  direction: Direction;
  subject: string;
  summary?: string | null;
  sender?: Sender | null;
  classification: Classification;
  priority: Priority;
  assigneeId: string;
  departmentId: string | null;
  fileId?: string | null;
  folio?: number | null;
  dueAt: string;
  requiresApproval: boolean;
}

/** Who may register a letter of a direction: the registry any; officers and supervisors outgoing and internal ones. */
export function mayRegister(actor: Pick<Actor, "roles">, direction: Direction): boolean {
  if (actor.roles.includes("registry")) return true;
  return direction !== "INCOMING" && (actor.roles.includes("officer") || actor.roles.includes("supervisor"));
}

/** A newly registered letter: `FOR_ACTION`, version 1, its registration event and counts. */
export function registerLetter(input: NewLetter, actor: Actor, now: Date): TransitionResult {
  if (!mayRegister(actor, input.direction)) {
    throw new RuleError("FORBIDDEN", `You may not register ${input.direction.toLowerCase()} letters`);
  }
  if (Date.parse(input.dueAt) <= now.getTime()) {
    throw new RuleError("VALIDATION_FAILED", "The due date must be in the future", "dueAt");
  }
  const at = now.toISOString();
  const letter: Letter = {
    id: input.id,
    agencyId: input.agencyId,
    reference: input.reference,
    direction: input.direction,
    subject: input.subject,
    summary: input.summary ?? null,
    sender: input.sender ?? null,
    classification: input.classification,
    priority: input.priority,
    status: "FOR_ACTION",
    assigneeId: input.assigneeId,
    approverId: null,
    departmentId: input.departmentId,
    fileId: input.fileId ?? null,
    folio: input.folio ?? null,
    dueAt: new Date(input.dueAt).toISOString(),
    overdue: false,
    requiresApproval: input.requiresApproval,
    chain: withChain([], actor.userId, input.assigneeId),
    registeredBy: actor.userId,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    version: 1,
    heldSince: at,
  };
  return {
    letter,
    event: {
      version: 1,
      at,
      actorId: actor.userId,
      action: "register",
      fromStatus: null,
      toStatus: "FOR_ACTION",
      assigneeId: input.assigneeId,
      // The first due date, so that a recount from the history knows which actions came late.
      dueAt: letter.dueAt,
    },
    deltas: { open: countDeltas(null, letter), handled: [], markedOverdue: [] },
  };
}

export const BOXES = ["for-action", "in-progress", "overdue", "awaiting-approval", "handled"] as const;
export type Box = (typeof BOXES)[number];

/** The state box a letter sits in and whose box it is (overdue and handled are kept separately). */
export function stateBox(letter: Letter): { box: Extract<Box, "for-action" | "in-progress" | "awaiting-approval">; userId: string } | null {
  switch (letter.status) {
    case "FOR_ACTION":
      return { box: "for-action", userId: letter.assigneeId };
    case "IN_PROGRESS":
      return { box: "in-progress", userId: letter.assigneeId };
    case "AWAITING_APPROVAL":
      return letter.approverId ? { box: "awaiting-approval", userId: letter.approverId } : null;
    case "CLOSED":
      return null;
  }
}

/** The assignee whose overdue box holds the letter, if it is there. */
export function overdueBox(letter: Letter): string | null {
  return isOpen(letter) && letter.overdue ? letter.assigneeId : null;
}

/**
 * Sort key of the boxes: most urgent first, i.e. by priority, then by due date, then by id (so the
 * order is total and pagination stable). Sorts as a string.
 */
export function urgencyKey(letter: Pick<Letter, "priority" | "dueAt" | "id">): string {
  return `${PRIORITIES.indexOf(letter.priority)}#${letter.dueAt}#${letter.id}`;
}

/** Compares letters by urgency (the order `urgencyKey` sorts in). */
export function byUrgency(a: Pick<Letter, "priority" | "dueAt" | "id">, b: Pick<Letter, "priority" | "dueAt" | "id">): number {
  const ka = urgencyKey(a);
  const kb = urgencyKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function pastTense(action: LetterAction): string {
  const words: Record<LetterAction, string> = {
    accept: "accepted",
    minute: "minuted",
    forward: "forwarded",
    reassign: "reassigned",
    submit: "submitted",
    approve: "approved",
    reject: "rejected",
    complete: "completed",
    extend: "extended",
  };
  return words[action];
}
