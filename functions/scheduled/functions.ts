import { createHash } from "node:crypto";

/**
 * The scheduled jobs (DESIGN.md section 2, `scheduled/`). Pure data, read by the CDK app (the
 * digest function, its schedule group, role, dead-letter queue and alarms), by the stream consumer
 * that keeps one EventBridge Scheduler schedule per agency (`streams/digest-schedules.ts`) and by
 * the embedded runtime's scheduler, so the three cannot drift.
 */

export const OVERDUE_DIGEST_ENTRY = "functions/scheduled/overdue-digest.ts";

/** Agency ids used as they are in schedule names: UUIDs and the like (no `.` or `_`, which Scheduler would accept too). */
const PLAIN_ID = /^[0-9A-Za-z-]*$/;

/**
 * Id of an agency's daily digest job: the name of its EventBridge Scheduler schedule in the cloud
 * (letters, digits, `.`, `-`, `_`; at most 64) and of its job in the embedded runtime's scheduler.
 * Deterministic, so an agency has one schedule that each change of its settings updates. Every id
 * starts with `digestScheduleId("")`, which the runtime uses to pick out digest jobs.
 */
export function digestScheduleId(agencyId: string): string {
  const name = `digest-${agencyId}`;
  if (PLAIN_ID.test(agencyId) && name.length <= 64) return name;
  // Any other id still gets one valid name of its own; `_` never appears in a plain one, so no clash.
  return `digest-_${createHash("sha256").update(agencyId).digest("hex").slice(0, 56)}`;
}

/** The schedule expression of a daily digest at `HH:MM`; the schedule's timezone says whose clock. */
export function digestScheduleExpression(digestTime: string): string {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(digestTime);
  if (!match) throw new Error(`Not a digest time (HH:MM on a 24-hour clock): ${digestTime}`);
  return `cron(${Number(match[2])} ${Number(match[1])} * * ? *)`;
}

/** What the digest function receives from an agency's schedule. */
export function digestScheduleInput(agencyId: string): string {
  return JSON.stringify({ agencyId });
}

/**
 * How EventBridge Scheduler retries an invocation it could not deliver before it dead-letters it
 * (a run that fails inside the function is retried by Lambda's asynchronous invocation instead).
 */
export const DIGEST_SCHEDULE_RETRY = { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3600 } as const;

/**
 * Environment variables that tell the digest-schedules consumer where the schedules go and what
 * they invoke (set by the CDK app, read by `platform/config.ts`).
 */
export const DIGEST_SCHEDULE_ENV = {
  groupName: "DIGEST_SCHEDULE_GROUP",
  functionArn: "DIGEST_FUNCTION_ARN",
  roleArn: "DIGEST_SCHEDULER_ROLE_ARN",
  deadLetterArn: "DIGEST_DEAD_LETTER_ARN",
} as const;
