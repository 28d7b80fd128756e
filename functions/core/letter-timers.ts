/**
 * The letter workflow's timer (DESIGN.md section 5), pure: from a letter, its history, the agency's
 * settings and the time, when the workflow must wake next and what it must record when it wakes.
 * Everything is derived from the letter and its history (the source of truth), so a lost signal,
 * a late timer or a restarted engine only delays a notice; it never sends a wrong one.
 *
 * An overdue spell starts with the `markOverdue` event and ends when the letter closes or its due
 * date is extended (both clear the flag). Within a spell the assignee is reminded every
 * `reminderIntervalHours` after the last notice (the mark or the last reminder), and once the
 * letter is `escalateAfterDays` past its due date the assignee's supervisor is told, once.
 */
import type { AgencySettings } from "./directory";
import { isOpen, type HistoryEvent, type Letter, type TransitionResult, type WorkflowEventAction } from "./letters";

export type TimerSettings = Pick<AgencySettings, "reminderIntervalHours" | "escalateAfterDays">;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The longest a task may wait in Step Functions (`TimeoutSeconds` maximum). */
export const MAX_WAIT_SECONDS = 99_999_999;

export type WakeReason = "closed" | "due" | "reminder" | "escalation";

export interface WaitPlan {
  closed: boolean;
  /** Seconds until the next wake-up, at least 1 (a timer that is due fires at once, not never). */
  seconds: number;
  reason: WakeReason;
  /** The letter version the plan was made for: a newer one means the letter moved on meanwhile. */
  version: number;
  /** When the workflow wakes, ISO-8601; null once closed. */
  wakeAt: string | null;
}

export interface OverdueSpell {
  /** The last notice to the assignee in this spell: the overdue mark or a reminder. */
  lastNoticeAt: string;
  escalated: boolean;
}

/** The current overdue spell of a letter, or null when it is not overdue. */
export function overdueSpell(letter: Letter, history: readonly HistoryEvent[]): OverdueSpell | null {
  if (!isOpen(letter) || !letter.overdue) return null;
  const events = [...history].sort((a, b) => a.version - b.version);
  let start = -1;
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i]?.action === "markOverdue") {
      start = i;
      break;
    }
  }
  // Flagged without a mark in the history (not written by this code): the spell began at the due date.
  const spell = start < 0 ? [] : events.slice(start);
  let lastNoticeAt = letter.dueAt;
  let escalated = false;
  for (const event of spell) {
    if ((event.action === "markOverdue" || event.action === "remind") && event.at > lastNoticeAt) lastNoticeAt = event.at;
    if (event.action === "escalate") escalated = true;
  }
  return { lastNoticeAt, escalated };
}

function nextReminderMs(spell: OverdueSpell, settings: TimerSettings): number {
  return Date.parse(spell.lastNoticeAt) + settings.reminderIntervalHours * HOUR_MS;
}

function escalationMs(letter: Letter, settings: TimerSettings): number {
  return Date.parse(letter.dueAt) + settings.escalateAfterDays * DAY_MS;
}

/** When the workflow must wake next for this letter: its due date, or the next reminder or escalation. */
export function planNextWait(letter: Letter, history: readonly HistoryEvent[], settings: TimerSettings, now: Date): WaitPlan {
  if (!isOpen(letter)) return { closed: true, seconds: 1, reason: "closed", version: letter.version, wakeAt: null };
  let at: number;
  let reason: WakeReason;
  const spell = overdueSpell(letter, history);
  if (!spell) {
    at = Date.parse(letter.dueAt);
    reason = "due";
  } else {
    at = nextReminderMs(spell, settings);
    reason = "reminder";
    const escalation = escalationMs(letter, settings);
    if (!spell.escalated && escalation < at) {
      at = escalation;
      reason = "escalation";
    }
  }
  const wakeMs = Math.min(Math.max(at, now.getTime() + 1000), now.getTime() + MAX_WAIT_SECONDS * 1000);
  const seconds = Math.ceil((wakeMs - now.getTime()) / 1000);
  return { closed: false, seconds, reason, version: letter.version, wakeAt: new Date(wakeMs).toISOString() };
}

/**
 * What the timer must record now, one event at a time (the caller applies it and asks again):
 * the overdue mark once the due date passed, the escalation once it is due, a reminder when the
 * interval since the last notice has passed. Null when nothing is due. After a long outage a
 * missed run of reminders becomes one reminder, not a burst.
 */
export function dueTimerEvent(letter: Letter, history: readonly HistoryEvent[], settings: TimerSettings, now: Date): WorkflowEventAction | null {
  if (!isOpen(letter)) return null;
  const spell = overdueSpell(letter, history);
  if (!spell) return Date.parse(letter.dueAt) <= now.getTime() ? "markOverdue" : null;
  if (!spell.escalated && escalationMs(letter, settings) <= now.getTime()) return "escalate";
  if (nextReminderMs(spell, settings) <= now.getTime()) return "remind";
  return null;
}

/**
 * A reminder or an escalation as a change of the letter: nothing about the letter changes but its
 * version (so the event has its own `EVENT#<version>` item and audit entry) and `updatedAt`; no
 * counter moves. See `HistoryAction` for the event shape the notifications rely on.
 */
export function timerNotice(letter: Letter, action: "remind" | "escalate", now: Date, supervisorId: string | null): TransitionResult {
  const at = now.toISOString();
  const next: Letter = { ...letter, version: letter.version + 1, updatedAt: at };
  const event: HistoryEvent = {
    version: next.version,
    at,
    actorId: "system",
    action,
    fromStatus: letter.status,
    toStatus: letter.status,
    assigneeId: letter.assigneeId,
    dueAt: letter.dueAt,
  };
  if (action === "escalate" && supervisorId !== null) event.supervisorId = supervisorId;
  return { letter: next, event, deltas: { open: [], handled: [], markedOverdue: [] } };
}
