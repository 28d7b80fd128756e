import { planNextWait, type WaitPlan } from "../core/letter-timers";
import { logger } from "../platform/logger";
import { directory, letters } from "./deps";
import { parseTaskInput, PermanentTaskError, TimedLetterRef } from "./input";

/**
 * `PlanNextWait`: reads the letter (the source of truth) and the agency's settings and says how
 * long `WaitForDecision` waits: until the due date, or the next reminder or escalation once the
 * letter is overdue; or that the letter is closed and the workflow ends.
 */
export const handler = async (event: unknown): Promise<WaitPlan> => {
  const { agencyId, letterId, now } = parseTaskInput(TimedLetterRef, event);
  const [page, settings] = await Promise.all([letters.page(agencyId, letterId), directory.getSettings(agencyId)]);
  if (!page) throw new PermanentTaskError("LetterMissing", `Letter ${letterId} of agency ${agencyId} does not exist`);
  const plan = planNextWait(page.letter, page.history, settings, now);
  logger.info("workflow wait planned", { agencyId, letterId, ...plan });
  return plan;
};
