import {
  ConflictException,
  CreateScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ThrottlingException,
  UpdateScheduleCommand,
} from "@aws-sdk/client-scheduler";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_SETTINGS } from "../../../functions/core/directory";
import { loadDigestScheduleConfig, type DigestScheduleConfig } from "../../../functions/platform/config";
import { DIGEST_SCHEDULE_ENV, digestScheduleExpression, digestScheduleId } from "../../../functions/scheduled/functions";
import { DirectoryStore } from "../../../functions/store/directory";
import { CLOUD_STREAM_CONSUMERS, DIGEST_SCHEDULES_ENTRY, STREAM_CONSUMERS } from "../../../functions/streams/consumers";
import {
  agencyOfRecord,
  createDigestScheduler,
  DigestSchedulesInput,
  RESYNC_CONCURRENCY,
  ResyncIncompleteError,
  type ResyncSummary,
} from "../../../functions/streams/digest-scheduling";

const scheduler = mockClient(SchedulerClient);
const dynamo = mockClient(DynamoDBDocumentClient);

const TABLE = "Directory";
const AGENCY = "0b6f3c1e-5a8e-4c2f-9d51-3f0f5b7a2c11";
const OTHER = "7d1e2a90-33b4-4e0b-8a6c-1c2d3e4f5a6b";
const TARGET: DigestScheduleConfig = {
  groupName: "ofisi-shared",
  functionArn: "arn:aws:lambda:af-south-1:111122223333:function:digest",
  roleArn: "arn:aws:iam::111122223333:role/digest-scheduler",
  deadLetterArn: "arn:aws:sqs:af-south-1:111122223333:digest-dead-letters",
};

let sequence = 0;
function record(eventName: DynamoDBRecord["eventName"], pk: string, sk: string): DynamoDBRecord {
  sequence += 1;
  const keys = marshall({ pk, sk }) as NonNullable<DynamoDBRecord["dynamodb"]>["Keys"];
  return { eventName, dynamodb: { Keys: keys, NewImage: keys, SequenceNumber: String(sequence) } };
}
const agencyRecord = (agencyId: string, eventName: DynamoDBRecord["eventName"] = "INSERT") => record(eventName, `AGENCY#${agencyId}`, "AGENCY");
const settingsRecord = (agencyId: string, eventName: DynamoDBRecord["eventName"] = "MODIFY") =>
  record(eventName, `AGENCY#${agencyId}`, "SETTINGS");
const batch = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

const notFound = () => new ResourceNotFoundException({ message: "Schedule not found", Message: "Schedule not found", $metadata: {} });

function settingsItem(agencyId: string, digestTime: string, timezone: string) {
  return { ...DirectoryStore.settingsKey(agencyId), type: "settings", ...DEFAULT_SETTINGS, digestTime, timezone };
}

/** An agency item as the store writes it (listed through gsi1 `AGENCIES`). */
function agencyItem(agencyId: string, code: string) {
  return {
    pk: DirectoryStore.agencyPk(agencyId),
    sk: "AGENCY",
    type: "agency",
    gsi1pk: "AGENCIES",
    gsi1sk: code,
    id: agencyId,
    code,
    name: `Agency ${code}`,
    emailDomains: [`${code.toLowerCase()}.go.tz`],
    timezone: "Africa/Dar_es_Salaam",
    cell: "shared",
    createdAt: "2026-01-05T08:00:00.000Z",
  };
}

function handlerUnderTest() {
  return createDigestScheduler({
    doc: DynamoDBDocumentClient.from(new DynamoDBClient({ region: "af-south-1" })),
    directoryTable: TABLE,
    scheduler: new SchedulerClient({ region: "af-south-1" }),
    target: TARGET,
  });
}

beforeEach(() => {
  scheduler.reset();
  dynamo.reset();
  sequence = 0;
});

describe("digest schedules consumer", () => {
  it("creates a missing schedule: a daily cron at the digest time, in the agency's timezone, invoking the digest for that agency", async () => {
    dynamo.on(GetCommand).resolves({ Item: settingsItem(AGENCY, "06:30", "Africa/Lagos") });
    scheduler.on(GetScheduleCommand).rejects(notFound());
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: "arn:aws:scheduler:af-south-1:111122223333:schedule/ofisi-shared/x" });

    const result = await handlerUnderTest()(batch(agencyRecord(AGENCY)));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: DirectoryStore.settingsKey(AGENCY),
      // The settings as they are now, not as an eventually consistent replica last saw them.
      ConsistentRead: true,
    });
    expect(scheduler.commandCalls(GetScheduleCommand)[0]?.args[0].input).toEqual({ Name: `digest-${AGENCY}`, GroupName: "ofisi-shared" });
    const created = scheduler.commandCalls(CreateScheduleCommand);
    expect(created).toHaveLength(1);
    expect(created[0]?.args[0].input).toMatchObject({
      Name: `digest-${AGENCY}`,
      GroupName: "ofisi-shared",
      ScheduleExpression: "cron(30 6 * * ? *)",
      ScheduleExpressionTimezone: "Africa/Lagos",
      FlexibleTimeWindow: { Mode: "OFF" },
      State: "ENABLED",
      Target: {
        Arn: TARGET.functionArn,
        RoleArn: TARGET.roleArn,
        Input: JSON.stringify({ agencyId: AGENCY }),
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: TARGET.deadLetterArn },
      },
    });
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
  });

  it("updates the schedule that exists when the settings change", async () => {
    dynamo.on(GetCommand).resolves({ Item: settingsItem(AGENCY, "17:05", "Europe/London") });
    scheduler.on(GetScheduleCommand).resolves({ Name: `digest-${AGENCY}`, ScheduleExpression: "cron(0 7 * * ? *)" });
    scheduler.on(UpdateScheduleCommand).resolves({});

    expect(await handlerUnderTest()(batch(settingsRecord(AGENCY)))).toEqual({ batchItemFailures: [] });

    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
    const updated = scheduler.commandCalls(UpdateScheduleCommand);
    expect(updated).toHaveLength(1);
    expect(updated[0]?.args[0].input).toMatchObject({
      Name: `digest-${AGENCY}`,
      GroupName: "ofisi-shared",
      ScheduleExpression: "cron(5 17 * * ? *)",
      ScheduleExpressionTimezone: "Europe/London",
      Target: { Arn: TARGET.functionArn, RoleArn: TARGET.roleArn, DeadLetterConfig: { Arn: TARGET.deadLetterArn } },
    });
  });

  it("schedules an agency that has no settings yet at the default digest time and timezone", async () => {
    dynamo.on(GetCommand).resolves({});
    scheduler.on(GetScheduleCommand).rejects(notFound());
    scheduler.on(CreateScheduleCommand).resolves({});

    await handlerUnderTest()(batch(agencyRecord(AGENCY)));

    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input).toMatchObject({
      ScheduleExpression: digestScheduleExpression(DEFAULT_SETTINGS.digestTime),
      ScheduleExpressionTimezone: DEFAULT_SETTINGS.timezone,
    });
    expect(digestScheduleExpression(DEFAULT_SETTINGS.digestTime)).toBe("cron(0 7 * * ? *)");
  });

  it("ignores every other record: users, departments, claims, one-time codes and removals", async () => {
    const records = [
      record("INSERT", `AGENCY#${AGENCY}`, "USER#u1"),
      record("MODIFY", `AGENCY#${AGENCY}`, "DEPT#d1"),
      record("INSERT", "DOMAIN#demo.go.tz", "DOMAIN"),
      record("INSERT", "AGENCYCODE#DEMO", "AGENCYCODE"),
      record("INSERT", "OTP#a@demo.go.tz", "OTP"),
      record("REMOVE", `AGENCY#${AGENCY}`, "SETTINGS"),
      record("INSERT", `AGENCY#${AGENCY}#LETTER#l1`, "AGENCY"),
    ];
    for (const r of records) expect(agencyOfRecord(r)).toBeNull();

    expect(await handlerUnderTest()(batch(...records))).toEqual({ batchItemFailures: [] });
    expect(dynamo.calls()).toHaveLength(0);
    expect(scheduler.calls()).toHaveLength(0);
  });

  it("reports a failed record as the batch's item failure, so the stream retries from it, and goes no further", async () => {
    dynamo.on(GetCommand).resolves({ Item: settingsItem(AGENCY, "07:00", "Africa/Dar_es_Salaam") });
    scheduler.on(GetScheduleCommand).rejects(notFound());
    scheduler
      .on(CreateScheduleCommand, { Name: `digest-${AGENCY}` })
      .resolves({})
      .on(CreateScheduleCommand, { Name: `digest-${OTHER}` })
      .rejects(new ThrottlingException({ message: "Rate exceeded", Message: "Rate exceeded", $metadata: {} }));
    const first = agencyRecord(AGENCY);
    const failing = agencyRecord(OTHER);
    const later = agencyRecord("c0ffee00-0000-4000-8000-000000000000");

    const result = await handlerUnderTest()(batch(first, failing, later));

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: failing.dynamodb?.SequenceNumber }] });
    // The record after the failure is left for the retry, which starts at the failed one.
    expect(scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input.Name)).toEqual([`digest-${AGENCY}`, `digest-${OTHER}`]);
  });

  it("fails the record when the settings cannot be read", async () => {
    dynamo.on(GetCommand).rejects(new Error("ProvisionedThroughputExceededException"));
    const r = settingsRecord(AGENCY);
    expect(await handlerUnderTest()(batch(r))).toEqual({ batchItemFailures: [{ itemIdentifier: r.dynamodb?.SequenceNumber }] });
    expect(scheduler.calls()).toHaveLength(0);
  });

  it("updates instead when the schedule was created meanwhile", async () => {
    dynamo.on(GetCommand).resolves({ Item: settingsItem(AGENCY, "08:15", "Africa/Nairobi") });
    scheduler.on(GetScheduleCommand).rejects(notFound());
    scheduler.on(CreateScheduleCommand).rejects(new ConflictException({ message: "exists", Message: "exists", $metadata: {} }));
    scheduler.on(UpdateScheduleCommand).resolves({});

    expect(await handlerUnderTest()(batch(agencyRecord(AGENCY)))).toEqual({ batchItemFailures: [] });
    expect(scheduler.commandCalls(UpdateScheduleCommand)[0]?.args[0].input).toMatchObject({ ScheduleExpression: "cron(15 8 * * ? *)" });
  });

  it("saves an agency's schedule once per batch, however many of its records the batch holds", async () => {
    // An onboarding writes the agency and its settings in one transaction: two records.
    dynamo.on(GetCommand).resolves({ Item: settingsItem(AGENCY, "07:00", "Africa/Dar_es_Salaam") });
    scheduler.on(GetScheduleCommand).rejects(notFound());
    scheduler.on(CreateScheduleCommand).resolves({});

    await handlerUnderTest()(batch(agencyRecord(AGENCY), settingsRecord(AGENCY, "INSERT")));

    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(1);
  });
});

describe("digest schedules resync", () => {
  const THIRD = "c0ffee00-0000-4000-8000-000000000000";

  /** Three agencies over two pages of the agency list: AGENCY and THIRD without a schedule yet, OTHER with one. */
  function threeAgencies() {
    const [first, second, third] = [agencyItem(AGENCY, "AAA"), agencyItem(OTHER, "BBB"), agencyItem(THIRD, "CCC")];
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [first, second], LastEvaluatedKey: { pk: second.pk, sk: second.sk, gsi1pk: second.gsi1pk, gsi1sk: second.gsi1sk } })
      .resolvesOnce({ Items: [third] });
    dynamo
      .on(GetCommand, { Key: DirectoryStore.settingsKey(AGENCY) })
      .resolves({ Item: settingsItem(AGENCY, "06:30", "Africa/Lagos") })
      .on(GetCommand, { Key: DirectoryStore.settingsKey(OTHER) })
      .resolves({ Item: settingsItem(OTHER, "17:05", "Europe/London") })
      .on(GetCommand, { Key: DirectoryStore.settingsKey(THIRD) })
      .resolves({});
    scheduler
      .on(GetScheduleCommand)
      .rejects(notFound())
      .on(GetScheduleCommand, { Name: `digest-${OTHER}` })
      .resolves({ Name: `digest-${OTHER}`, Target: { Arn: "arn:aws:lambda:af-south-1:111122223333:function:replaced-digest", RoleArn: TARGET.roleArn } });
  }

  it("lists every agency and creates or updates each one's schedule from its settings, pointing at the digest as deployed now", async () => {
    threeAgencies();
    scheduler.on(CreateScheduleCommand).resolves({}).on(UpdateScheduleCommand).resolves({});

    const summary = await handlerUnderTest()({ resync: true });

    expect(summary).toEqual({ agencies: 3, created: 2, updated: 1, failed: 0, failures: [] } satisfies ResyncSummary);
    // Both pages of the store's agency list (gsi1 `AGENCIES`), not a table scan.
    const queries = dynamo.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries).toHaveLength(2);
    for (const query of queries) {
      expect(query).toMatchObject({ TableName: TABLE, IndexName: "gsi1", ExpressionAttributeValues: { ":pk": "AGENCIES" } });
    }
    expect(queries[1]?.ExclusiveStartKey).toMatchObject({ gsi1pk: "AGENCIES", gsi1sk: "BBB" });
    // Each agency's settings as they are now.
    for (const call of dynamo.commandCalls(GetCommand)) expect(call.args[0].input.ConsistentRead).toBe(true);

    const created = scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input);
    expect(created.map((s) => s.Name).sort()).toEqual([`digest-${AGENCY}`, `digest-${THIRD}`].sort());
    expect(created.find((s) => s.Name === `digest-${AGENCY}`)).toMatchObject({
      GroupName: "ofisi-shared",
      ScheduleExpression: "cron(30 6 * * ? *)",
      ScheduleExpressionTimezone: "Africa/Lagos",
      Target: { Arn: TARGET.functionArn, RoleArn: TARGET.roleArn, Input: JSON.stringify({ agencyId: AGENCY }) },
    });
    // No settings: the defaults, as on the stream.
    expect(created.find((s) => s.Name === `digest-${THIRD}`)).toMatchObject({
      ScheduleExpression: digestScheduleExpression(DEFAULT_SETTINGS.digestTime),
      ScheduleExpressionTimezone: DEFAULT_SETTINGS.timezone,
    });
    // The schedule that aimed at a replaced digest function now aims at the current one.
    const updated = scheduler.commandCalls(UpdateScheduleCommand).map((c) => c.args[0].input);
    expect(updated).toHaveLength(1);
    expect(updated[0]).toMatchObject({
      Name: `digest-${OTHER}`,
      ScheduleExpression: "cron(5 17 * * ? *)",
      ScheduleExpressionTimezone: "Europe/London",
      Target: { Arn: TARGET.functionArn, DeadLetterConfig: { Arn: TARGET.deadLetterArn } },
    });
  });

  it("saves the very schedule the stream path saves for the same agency", async () => {
    dynamo.on(GetCommand).resolves({ Item: settingsItem(AGENCY, "08:15", "Africa/Nairobi") });
    dynamo.on(QueryCommand).resolves({ Items: [agencyItem(AGENCY, "AAA")] });
    scheduler.on(GetScheduleCommand).rejects(notFound());
    scheduler.on(CreateScheduleCommand).resolves({});

    await handlerUnderTest()(batch(agencyRecord(AGENCY)));
    await handlerUnderTest()({ resync: true });

    const [fromStream, fromResync] = scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input);
    expect(fromResync).toEqual(fromStream);
  });

  it("resyncs on an invocation without a payload, which is how the deployment's trigger invokes it", async () => {
    dynamo.on(QueryCommand).resolves({ Items: [agencyItem(AGENCY, "AAA")] });
    dynamo.on(GetCommand).resolves({});
    scheduler.on(GetScheduleCommand).resolves({ Name: `digest-${AGENCY}` });
    scheduler.on(UpdateScheduleCommand).resolves({});

    expect(await handlerUnderTest()({})).toEqual({ agencies: 1, created: 0, updated: 1, failed: 0, failures: [] });
    expect(scheduler.commandCalls(UpdateScheduleCommand)).toHaveLength(1);
  });

  it("saves every other agency when one fails, then fails the invocation naming it, with the counts", async () => {
    threeAgencies();
    scheduler
      .on(CreateScheduleCommand)
      .resolves({})
      .on(CreateScheduleCommand, { Name: `digest-${AGENCY}` })
      .rejects(new ThrottlingException({ message: "Rate exceeded", Message: "Rate exceeded", $metadata: {} }))
      .on(UpdateScheduleCommand)
      .resolves({});

    const outcome = await handlerUnderTest()({ resync: true }).then(
      () => null,
      (error: unknown) => error,
    );

    expect(outcome).toBeInstanceOf(ResyncIncompleteError);
    const error = outcome as ResyncIncompleteError;
    expect(error.summary).toEqual({
      agencies: 3,
      created: 1,
      updated: 1,
      failed: 1,
      failures: [{ agencyId: AGENCY, error: "ThrottlingException: Rate exceeded" }],
    });
    expect(error.message).toContain(AGENCY);
    expect(scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input.Name)).toContain(`digest-${THIRD}`);
    expect(scheduler.commandCalls(UpdateScheduleCommand).map((c) => c.args[0].input.Name)).toEqual([`digest-${OTHER}`]);
  });

  it("fails the invocation when the agencies cannot be listed, and saves nothing", async () => {
    dynamo.on(QueryCommand).rejects(new Error("ProvisionedThroughputExceededException"));
    await expect(handlerUnderTest()({ resync: true })).rejects.toThrow("ProvisionedThroughputExceededException");
    expect(scheduler.calls()).toHaveLength(0);
  });

  it("saves a few schedules at a time, not all at once", async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `agency-${i}`);
    dynamo.on(QueryCommand).resolves({ Items: ids.map((id, i) => agencyItem(id, `C${i}`)) });
    dynamo.on(GetCommand).resolves({});
    let running = 0;
    let most = 0;
    scheduler.on(GetScheduleCommand).callsFake(async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      throw notFound();
    });
    scheduler.on(CreateScheduleCommand).resolves({});

    expect(await handlerUnderTest()({ resync: true })).toMatchObject({ agencies: 10, created: 10, failed: 0 });
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(RESYNC_CONCURRENCY);
  });

  it("takes a stream batch, {\"resync\": true} or no payload, and refuses anything else", async () => {
    expect(DigestSchedulesInput.safeParse(batch(agencyRecord(AGENCY))).success).toBe(true);
    expect(DigestSchedulesInput.safeParse({ resync: true }).success).toBe(true);
    expect(DigestSchedulesInput.safeParse({}).success).toBe(true);
    for (const bad of [{ resync: false }, { resync: "true" }, { resync: true, agencyId: AGENCY }, { Records: "all" }, { agencyId: AGENCY }, "resync", []]) {
      expect(DigestSchedulesInput.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
      await expect(handlerUnderTest()(bad), JSON.stringify(bad)).rejects.toThrow();
    }
    expect(dynamo.calls()).toHaveLength(0);
    expect(scheduler.calls()).toHaveLength(0);
  });
});

describe("digest schedule names and expressions", () => {
  it("names an agency's schedule the same way every time, as EventBridge Scheduler accepts names", () => {
    const valid = /^[0-9A-Za-z._-]{1,64}$/;
    expect(digestScheduleId(AGENCY)).toBe(`digest-${AGENCY}`);
    for (const id of [AGENCY, "demo", "a#b/c d", "x".repeat(100), "ü"]) {
      expect(digestScheduleId(id), id).toMatch(valid);
      expect(digestScheduleId(id)).toBe(digestScheduleId(id));
    }
    expect(digestScheduleId("a#b")).not.toBe(digestScheduleId("a#c"));
    expect(digestScheduleId("a_b")).not.toBe(digestScheduleId("a.b"));
    // The embedded runtime picks out digest jobs by this prefix.
    for (const id of [AGENCY, "a#b", "x".repeat(100)]) expect(digestScheduleId(id).startsWith(digestScheduleId(""))).toBe(true);
    expect(digestScheduleId("")).toBe("digest-");
  });

  it("turns HH:MM into a daily cron and refuses anything else", () => {
    expect(digestScheduleExpression("00:00")).toBe("cron(0 0 * * ? *)");
    expect(digestScheduleExpression("23:59")).toBe("cron(59 23 * * ? *)");
    for (const bad of ["24:00", "7:00", "07:60", "07:00:00", ""]) expect(() => digestScheduleExpression(bad), bad).toThrow();
  });
});

describe("digest schedules consumer registration", () => {
  const spec = CLOUD_STREAM_CONSUMERS.find((c) => c.entry === DIGEST_SCHEDULES_ENTRY);

  it("runs in the cloud only: the embedded runtime's poller does not get it", () => {
    expect(spec).toMatchObject({ table: "directory", cloudOnly: true });
    expect(STREAM_CONSUMERS.map((c) => c.entry)).not.toContain(DIGEST_SCHEDULES_ENTRY);
    expect(STREAM_CONSUMERS.length).toBe(CLOUD_STREAM_CONSUMERS.length - 1);
  });

  it("is resynced after a deployment that changes it; no other consumer is", () => {
    expect(CLOUD_STREAM_CONSUMERS.filter((c) => c.resyncOnDeploy).map((c) => c.entry)).toEqual([DIGEST_SCHEDULES_ENTRY]);
  });

  it("filters the stream on the store's own keys of agencies and settings", () => {
    const keys = (spec?.filter?.dynamodb as { Keys: { pk: { S: { prefix: string }[] }; sk: { S: string[] } } } | undefined)?.Keys;
    expect(spec?.filter?.eventName).toEqual(["INSERT", "MODIFY"]);
    expect(DirectoryStore.agencyPk(AGENCY).startsWith(keys?.pk.S[0]?.prefix ?? "?")).toBe(true);
    expect(keys?.sk.S).toContain(DirectoryStore.settingsKey(AGENCY).sk);
    expect(keys?.sk.S).toContain("AGENCY");
  });
});

describe("digest schedules configuration", () => {
  const env = {
    [DIGEST_SCHEDULE_ENV.groupName]: TARGET.groupName,
    [DIGEST_SCHEDULE_ENV.functionArn]: TARGET.functionArn,
    [DIGEST_SCHEDULE_ENV.roleArn]: TARGET.roleArn,
    [DIGEST_SCHEDULE_ENV.deadLetterArn]: TARGET.deadLetterArn,
  };

  it("reads the group, target, role and dead-letter queue from the environment, and names what is missing", () => {
    expect(loadDigestScheduleConfig(env)).toEqual(TARGET);
    expect(() => loadDigestScheduleConfig({ ...env, [DIGEST_SCHEDULE_ENV.roleArn]: undefined })).toThrow(DIGEST_SCHEDULE_ENV.roleArn);
    expect(() => loadDigestScheduleConfig({ ...env, [DIGEST_SCHEDULE_ENV.functionArn]: "digest" })).toThrow(DIGEST_SCHEDULE_ENV.functionArn);
    expect(() => loadDigestScheduleConfig({ ...env, [DIGEST_SCHEDULE_ENV.groupName]: "a/b" })).toThrow(DIGEST_SCHEDULE_ENV.groupName);
  });

  it("wires the Lambda entry from the environment it is deployed with", async () => {
    for (const [name, value] of Object.entries({ ...env, DIRECTORY_TABLE: TABLE, FILES_TABLE: "F", LETTERS_TABLE: "L", STATS_TABLE: "S", SEARCH_TABLE: "X", AUDIT_TABLE: "A", ATTACHMENTS_BUCKET: "b", STATE_MACHINE_ARN: "arn:sm", MAIL_FROM: "m@x", APP_URL: "https://x" })) {
      vi.stubEnv(name, value);
    }
    try {
      const { handler } = await import("../../../functions/streams/digest-schedules");
      dynamo.on(GetCommand).resolves({});
      scheduler.on(GetScheduleCommand).rejects(notFound());
      scheduler.on(CreateScheduleCommand).resolves({});
      await handler(batch(agencyRecord(AGENCY)));
      expect(dynamo.commandCalls(GetCommand)[0]?.args[0].input.TableName).toBe(TABLE);
      expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input).toMatchObject({ GroupName: TARGET.groupName, Target: { Arn: TARGET.functionArn } });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
