import {
  ConflictException,
  CreateScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
  type SchedulerClient,
} from "@aws-sdk/client-scheduler";
import { GetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";
import * as z from "zod";
import type { AgencySettings } from "../core/directory";
import type { DigestScheduleConfig } from "../platform/config";
import { logger } from "../platform/logger";
import { DIGEST_SCHEDULE_RETRY, digestScheduleExpression, digestScheduleId, digestScheduleInput } from "../scheduled/functions";
import { DirectoryStore } from "../store/directory";

/**
 * Keeps one EventBridge Scheduler schedule per agency (DESIGN.md section 7, "Alerts"): a daily cron
 * at the agency's `digestTime`, evaluated in its timezone, that invokes the overdue digest with
 * `{agencyId}`. Fed by the Directory stream: an agency created (`POST /api/agencies`) or its
 * settings changed (`PUT /api/settings`) creates or updates that agency's schedule.
 *
 * The schedule is built from the settings as they are now (a consistent read), not from the
 * record's image: a record replayed after a later change, or an agency record processed after its
 * settings record, then cannot put back an older time. A failed call fails the record and the
 * event source mapping retries from it (partial batch response).
 *
 * A resync (`{"resync": true}`, or `{}`: see `DigestSchedulesInput`) does the same for every agency:
 * it schedules the agencies that existed before the consumer did, and points every schedule at the
 * digest function as deployed now. The CDK app runs it after each deployment that changes this
 * function (`lib/stacks/streams-stack.ts`).
 */

const Keys = z.object({
  pk: z.object({ S: z.string().regex(/^AGENCY#[^#]+$/) }),
  sk: z.object({ S: z.enum(["AGENCY", "SETTINGS"]) }),
});

/** The agency whose schedule a stream record may change, or null (other items, removals). */
export function agencyOfRecord(record: DynamoDBRecord): string | null {
  if (record.eventName !== "INSERT" && record.eventName !== "MODIFY") return null;
  const keys = Keys.safeParse(record.dynamodb?.Keys);
  return keys.success ? keys.data.pk.S.slice("AGENCY#".length) : null;
}

/**
 * What the function is invoked with: a batch of the Directory stream (the event source mapping), or
 * a resync. The deployment's trigger (`aws-cdk-lib/triggers`) cannot send a payload (aws-cdk#19822),
 * and Lambda hands an invocation without one over as `{}`; so `{}` is a resync too, the explicit
 * `{"resync": true}` being for an operator. Anything else is refused.
 */
export const DigestSchedulesInput = z.union([
  z.object({ Records: z.array(z.custom<DynamoDBRecord>((record) => typeof record === "object" && record !== null)) }),
  z.strictObject({ resync: z.literal(true) }),
  z.strictObject({}),
]);
export type DigestSchedulesInput = z.infer<typeof DigestSchedulesInput>;

/** What a resync did. */
export interface ResyncSummary {
  agencies: number;
  created: number;
  updated: number;
  failed: number;
  /** The agencies whose schedule was not saved, with why. */
  failures: { agencyId: string; error: string }[];
}

/** A resync left some agencies unscheduled: the invocation fails (and so does the deployment that ran it). */
export class ResyncIncompleteError extends Error {
  constructor(readonly summary: ResyncSummary) {
    // The first few agencies: the message ends up in a CloudFormation event, which has little room.
    const named = summary.failures.slice(0, 5).map((f) => f.agencyId);
    const more = summary.failures.length > named.length ? ", ..." : "";
    super(`${summary.failed} of ${summary.agencies} digest schedule(s) not saved: ${named.join(", ")}${more}; see the function's log`);
    this.name = "ResyncIncompleteError";
  }
}

/**
 * Schedules saved at once by a resync: a few, so hundreds of agencies fit in the function's
 * timeout while the calls stay well under Scheduler's per-second quotas.
 */
export const RESYNC_CONCURRENCY = 4;

export interface DigestSchedulerDeps {
  readonly doc: DynamoDBDocumentClient;
  readonly directoryTable: string;
  readonly scheduler: SchedulerClient;
  readonly target: DigestScheduleConfig;
}

/** The schedule an agency's settings call for, as CreateSchedule and UpdateSchedule take it. */
export function digestSchedule(agencyId: string, settings: AgencySettings, target: DigestScheduleConfig): CreateScheduleCommandInput {
  return {
    Name: digestScheduleId(agencyId),
    GroupName: target.groupName,
    Description: `Overdue digest of agency ${agencyId}, daily at ${settings.digestTime} ${settings.timezone}`,
    ScheduleExpression: digestScheduleExpression(settings.digestTime),
    ScheduleExpressionTimezone: settings.timezone,
    FlexibleTimeWindow: { Mode: "OFF" },
    State: "ENABLED",
    Target: {
      Arn: target.functionArn,
      RoleArn: target.roleArn,
      Input: digestScheduleInput(agencyId),
      RetryPolicy: {
        MaximumRetryAttempts: DIGEST_SCHEDULE_RETRY.maximumRetryAttempts,
        MaximumEventAgeInSeconds: DIGEST_SCHEDULE_RETRY.maximumEventAgeInSeconds,
      },
      DeadLetterConfig: { Arn: target.deadLetterArn },
    },
  };
}

export function createDigestScheduler(deps: DigestSchedulerDeps) {
  /** The agency's settings now; the defaults while it has none (as the digest and the local scheduler read them). */
  async function currentSettings(agencyId: string): Promise<AgencySettings> {
    const out = await deps.doc.send(
      new GetCommand({ TableName: deps.directoryTable, Key: DirectoryStore.settingsKey(agencyId), ConsistentRead: true }),
    );
    return DirectoryStore.toSettings(out.Item);
  }

  async function exists(name: string): Promise<boolean> {
    try {
      await deps.scheduler.send(new GetScheduleCommand({ Name: name, GroupName: deps.target.groupName }));
      return true;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    }
  }

  /** Creates or updates the agency's schedule; UpdateSchedule replaces every field, so both leave the same schedule. */
  async function upsert(agencyId: string): Promise<"created" | "updated"> {
    const schedule = digestSchedule(agencyId, await currentSettings(agencyId), deps.target);
    if (await exists(schedule.Name ?? "")) {
      await deps.scheduler.send(new UpdateScheduleCommand(schedule));
      return "updated";
    }
    try {
      await deps.scheduler.send(new CreateScheduleCommand(schedule));
      return "created";
    } catch (error) {
      // Created meanwhile by another invocation: update it instead.
      if (!(error instanceof ConflictException)) throw error;
      await deps.scheduler.send(new UpdateScheduleCommand(schedule));
      return "updated";
    }
  }

  async function processBatch(records: readonly DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
    // Settings are read as they are now, so an agency met again later in the batch is already done.
    const done = new Set<string>();
    for (const record of records) {
      const agencyId = agencyOfRecord(record);
      if (!agencyId || done.has(agencyId)) continue;
      try {
        const outcome = await upsert(agencyId);
        done.add(agencyId);
        logger.info(`digest schedule ${outcome}`, { agencyId, schedule: digestScheduleId(agencyId) });
      } catch (error) {
        logger.warn("digest schedule not saved; the stream retries from this record", { agencyId, error: errorText(error) });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? "" }] };
      }
    }
    return { batchItemFailures: [] };
  }

  /** Every agency's schedule, created or updated; one that fails does not stop the others. */
  async function resync(): Promise<ResyncSummary> {
    const agencies = await new DirectoryStore(deps.doc, deps.directoryTable).listAgencies();
    const summary: ResyncSummary = { agencies: agencies.length, created: 0, updated: 0, failed: 0, failures: [] };
    let next = 0;
    const worker = async () => {
      while (next < agencies.length) {
        const agency = agencies[next++];
        if (!agency) break;
        const agencyId = agency.id;
        try {
          const outcome = await upsert(agencyId);
          summary[outcome] += 1;
        } catch (error) {
          summary.failed += 1;
          summary.failures.push({ agencyId, error: errorText(error) });
          logger.warn("digest schedule not saved by the resync", { agencyId, error: errorText(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(RESYNC_CONCURRENCY, agencies.length) }, worker));
    logger.info("digest schedules resynced", { ...summary, failures: summary.failures.length });
    return summary;
  }

  /** The Lambda handler: a stream batch gets its partial batch response; a resync its summary, or fails if any agency failed. */
  return async (input: unknown): Promise<DynamoDBBatchResponse | ResyncSummary> => {
    // No payload at all is no payload too (Lambda passes `{}`, but a null event means the same).
    const parsed = DigestSchedulesInput.parse(input ?? {});
    if ("Records" in parsed) return processBatch(parsed.Records);
    const summary = await resync();
    if (summary.failed > 0) throw new ResyncIncompleteError(summary);
    return summary;
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
