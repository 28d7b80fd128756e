import { dueTimerEvent, timerNotice } from "../core/letter-timers";
import type { WorkflowEventAction } from "../core/letters";
import { logger } from "../platform/logger";
import { directory, letters } from "./deps";
import { parseTaskInput, PermanentTaskError, TimedLetterRef } from "./input";

/**
 * `HandleTimer`, after `WaitForDecision` timed out: records what is due now, each as a history
 * event in the letter's own transaction: the overdue mark (with its dashboard counters), the
 * escalation to the assignee's supervisor, a reminder to the assignee. The notifications consumer
 * turns those events into emails, so a failing mail service never holds up the workflow.
 */
const MAX_EVENTS = 4;

/** The letter changed between reading it and writing the notice: read it again. */
class MovedMeanwhile extends Error {}

export const handler = async (event: unknown): Promise<{ recorded: WorkflowEventAction[] }> => {
  const { agencyId, letterId, now } = parseTaskInput(TimedLetterRef, event);
  const settings = await directory.getSettings(agencyId);
  const recorded: WorkflowEventAction[] = [];
  for (let round = 0; round < MAX_EVENTS; round++) {
    const page = await letters.page(agencyId, letterId);
    if (!page) throw new PermanentTaskError("LetterMissing", `Letter ${letterId} of agency ${agencyId} does not exist`);
    const action = dueTimerEvent(page.letter, page.history, settings, now);
    if (!action) break;
    if (action === "markOverdue") {
      if (await letters.markOverdue(agencyId, letterId, { now, timezone: settings.timezone })) recorded.push(action);
      continue;
    }
    const supervisorId = action === "escalate" ? ((await directory.getUser(agencyId, page.letter.assigneeId))?.supervisorId ?? null) : null;
    try {
      await letters.apply(agencyId, letterId, {
        actorId: "system",
        timezone: settings.timezone,
        decide: (current) => {
          // The decision was made on the history read above; a newer letter needs a new decision.
          if (current.version !== page.letter.version) throw new MovedMeanwhile();
          return timerNotice(current, action, now, supervisorId);
        },
      });
      recorded.push(action);
      if (action === "escalate" && supervisorId === null) {
        logger.warn("overdue letter escalated, but its assignee has no supervisor to tell", { agencyId, letterId });
      }
    } catch (error) {
      if (!(error instanceof MovedMeanwhile)) throw error;
    }
  }
  logger.info("workflow timer handled", { agencyId, letterId, now: now.toISOString(), recorded });
  return { recorded };
};
