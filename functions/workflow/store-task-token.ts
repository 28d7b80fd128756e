import * as z from "zod";
import { logger } from "../platform/logger";
import { letters, signals, workflowStore } from "./deps";
import { LetterRef, parseTaskInput } from "./input";

/**
 * `WaitForDecision` (a `waitForTaskToken` task): keeps the task token with the letter so that the
 * API can signal the workflow after applying a user's action. Then it reads the letter: if the
 * letter moved on since the plan was made (an action landed while no token was stored, or while
 * the engine was down), it answers its own token at once, so the workflow plans again.
 */
const Input = LetterRef.extend({
  taskToken: z.string().min(1),
  /** The letter version `PlanNextWait` planned for, when the wait ends and why. */
  version: z.number().int().min(1),
  wakeAt: z.iso.datetime({ offset: true }),
  reason: z.string().min(1),
});

export const handler = async (event: unknown): Promise<{ stored: boolean; caughtUp: boolean }> => {
  const input = parseTaskInput(Input, event);
  const { agencyId, letterId, version } = input;
  const stored = await workflowStore.storeToken(agencyId, letterId, { token: input.taskToken, plannedVersion: version, wakeAt: input.wakeAt, reason: input.reason }, new Date());
  // Written first, read second: an action that this read misses reads the token (see store/letter-workflow.ts).
  const current = await letters.get(agencyId, letterId);
  const moved = current !== undefined && current.record.version > version;
  let caughtUp = false;
  if (moved) caughtUp = await signals.answer(input.taskToken, { action: "sync", version: current.record.version });
  logger.info("workflow task token stored", { agencyId, letterId, plannedVersion: version, stored, caughtUp });
  return { stored, caughtUp };
};
