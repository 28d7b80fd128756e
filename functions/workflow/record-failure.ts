import * as z from "zod";
import { logger } from "../platform/logger";
import { workflowStore } from "./deps";
import { LetterRef, parseTaskInput } from "./input";

/**
 * `RecordFailure`: a task failed beyond its retries. The failure is kept on the letter's workflow
 * item and logged as an error (the failed execution raises the state machine's alarm); the letter
 * itself stays as users left it.
 */
const Input = LetterRef.extend({
  error: z.string().default("Unknown"),
  cause: z.string().default(""),
});

export const handler = async (event: unknown): Promise<{ recorded: true }> => {
  const { agencyId, letterId, error, cause } = parseTaskInput(Input, event);
  await workflowStore.recordFailure(agencyId, letterId, { error, cause }, new Date());
  logger.error("letter workflow failed", { agencyId, letterId, error });
  return { recorded: true };
};
