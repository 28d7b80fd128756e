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
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
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

  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    // Settings are read as they are now, so an agency met again later in the batch is already done.
    const done = new Set<string>();
    for (const record of event.Records) {
      const agencyId = agencyOfRecord(record);
      if (!agencyId || done.has(agencyId)) continue;
      try {
        const outcome = await upsert(agencyId);
        done.add(agencyId);
        logger.info(`digest schedule ${outcome}`, { agencyId, schedule: digestScheduleId(agencyId) });
      } catch (error) {
        logger.warn("digest schedule not saved; the stream retries from this record", {
          agencyId,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? "" }] };
      }
    }
    return { batchItemFailures: [] };
  };
}
