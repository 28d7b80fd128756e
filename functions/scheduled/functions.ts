/**
 * The scheduled jobs (DESIGN.md section 2, `scheduled/`). Pure data, read by the CDK app (the
 * function, its EventBridge Scheduler schedule, dead-letter queues and alarms) and by the
 * embedded runtime's scheduler, so the two cannot drift.
 */

export const OVERDUE_DIGEST_ENTRY = "functions/scheduled/overdue-digest.ts";

/**
 * The cloud runs the digest as one sweep every `DIGEST_SWEEP_MINUTES` (UTC); each run sends the
 * digests of the agencies whose `digestTime`, in their own timezone, fell in the window since the
 * previous tick. Every timezone's offset is a multiple of 15 minutes, so each agency's digest goes
 * out at its digest time or at most 14 minutes after it, once a day.
 */
export const DIGEST_SWEEP_MINUTES = 15;

/** Id of an agency's daily job in the embedded runtime's scheduler. */
export function digestScheduleId(agencyId: string): string {
  return `digest#${agencyId}`;
}
