import * as z from "zod";

/** The payload every task of the letter workflow receives (see the `Parameters` in the ASL file). */
export const LetterRef = z.object({
  agencyId: z.string().min(1),
  letterId: z.string().min(1),
});

/**
 * `now` is the state's `$$.State.EnteredTime`: the workflow's clock, not the function's, so that
 * what a timer decides matches when the engine fired it (and tests can move the engine's clock).
 */
export const TimedLetterRef = LetterRef.extend({
  now: z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
});

/**
 * Errors that no retry can cure; the definition does not retry them (`Retry` with `MaxAttempts: 0`)
 * and goes straight to `RecordFailure`. Everything else a task throws is retried with backoff.
 */
export class PermanentTaskError extends Error {
  constructor(
    override readonly name: "LetterMissing" | "InvalidTaskInput",
    message: string,
  ) {
    super(message);
  }
}

export function parseTaskInput<T extends z.ZodType>(schema: T, event: unknown): z.output<T> {
  const parsed = schema.safeParse(event);
  if (!parsed.success) throw new PermanentTaskError("InvalidTaskInput", z.prettifyError(parsed.error));
  return parsed.data;
}
