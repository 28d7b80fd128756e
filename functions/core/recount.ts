/**
 * The dashboard counters recounted from the letters themselves (`npm run recount`, and the
 * consistency tests), pure. Open counts come from each letter as it is now (`openCounts`); the
 * per-day counts come from replaying its history, with the same rules the transitions apply, so a
 * recount equals the counters the transitions kept unless something drifted.
 */
import { type DayCounts, type OfficerCounters, emptyOpenCounts } from "./dashboard";
import { handledFacts, openCounts, TRANSITION_RULES, LETTER_ACTIONS, type HistoryEvent, type Letter, type LetterAction } from "./letters";
import { localDate } from "./records";

function isLetterAction(action: string): action is LetterAction {
  return (LETTER_ACTIONS as readonly string[]).includes(action);
}

/** Actions after which someone else holds the letter, so their time to handle starts. */
const HAND_OVERS: readonly HistoryEvent["action"][] = ["register", "forward", "reassign", "submit", "reject"];

/** Counters per officer, built up letter by letter. */
export class CounterTally {
  readonly officers = new Map<string, OfficerCounters>();

  constructor(private readonly timezone: string) {}

  private officer(userId: string): OfficerCounters {
    let counters = this.officers.get(userId);
    if (!counters) {
      counters = { open: emptyOpenCounts(), days: {} };
      this.officers.set(userId, counters);
    }
    return counters;
  }

  private day(userId: string, at: string): DayCounts {
    const days = this.officer(userId).days;
    const date = localDate(new Date(at), this.timezone);
    days[date] ??= { handled: 0, heldSeconds: 0, late: 0, markedOverdue: 0 };
    return days[date];
  }

  /** Adds one letter: its open counts now, and the handled actions and overdue marks of its history. */
  add(letter: Letter, history: readonly HistoryEvent[]): void {
    for (const d of openCounts(letter)) this.officer(d.userId).open[d.counter] += d.by;

    const events = [...history].sort((a, b) => a.version - b.version);
    let dueAt = letter.dueAt;
    let heldSince = letter.createdAt;
    for (const event of events) {
      // Letters registered before the register event kept the first due date: their current one.
      if (event.action === "register") dueAt = event.dueAt ?? letter.dueAt;
      if (isLetterAction(event.action) && TRANSITION_RULES[event.action].handled) {
        const facts = handledFacts(heldSince, dueAt, event.at);
        const day = this.day(event.actorId, event.at);
        day.handled += 1;
        day.heldSeconds += facts.heldSeconds;
        if (facts.late) day.late += 1;
      }
      if (event.action === "markOverdue") this.day(event.assigneeId, event.at).markedOverdue += 1;
      if (event.action === "extend" && event.dueAt) dueAt = event.dueAt;
      if (HAND_OVERS.includes(event.action)) heldSince = event.at;
    }
  }
}
