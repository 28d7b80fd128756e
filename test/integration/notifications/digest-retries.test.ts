import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { digestScheduleId } from "../../../functions/scheduled/functions";
import { AuditStore } from "../../../functions/store/audit";
import { DirectoryStore } from "../../../functions/store/directory";
import { FileStore } from "../../../functions/store/files";
import { LetterStore } from "../../../functions/store/letters";
import { StatsStore } from "../../../functions/store/stats";
import { LOCAL_CREDENTIALS } from "../../../local/engines/s3";
import { REGION, startLocalRuntime, type LocalRuntime } from "../../../local/runtime";
import { localTableNames } from "../../../local/tables";
import { waitUntil } from "./harness";

/**
 * The embedded runtime's daily digest with the mail service down: the scheduler retries the run
 * with backoff (1, 2 and 4 minutes, skipped here through the injected wait) and, after the last
 * attempt, the run is in the failed-mail list, as the cloud's retries end in the dead-letter queue.
 */

const dataDir = mkdtempSync(join(tmpdir(), "ofisi-digest-retries-"));
let runtime: LocalRuntime;
let dynamo: DynamoDBClient;
let agencyId: string;
/** The scheduler's waits before each retry, in ms. */
let waits: number[] = [];
/** Called at each wait, after it is recorded; a test uses it to bring the mail service back. */
let onWait: () => void = () => undefined;

interface FailedMail {
  items: { source: string; failedAt: string; error: string; agencyId?: string; attempts?: number }[];
}

async function api<T = unknown>(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${runtime.url}${path}`, {
    method,
    headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(options.body ? { "content-type": "application/json" } : {}) },
    body: options.body ? JSON.stringify(options.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function signIn(email: string): Promise<string> {
  await api("POST", "/api/auth/otp", { body: { email } });
  const code = /(\d{6})/.exec(runtime.mailbox.list({ to: email })[0]?.text ?? "")?.[1];
  return (await api<{ token: string }>("POST", "/api/auth/token", { body: { email, code } })).body.token;
}

const OFFICER = "officer.b@demo.go.tz";
const digestsTo = (email: string) => runtime.mailbox.list({ to: email }).filter((m) => m.subject.startsWith("Barua zilizochelewa"));

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    dataDir,
    quiet: true,
    webDir: join(dataDir, "no-web"),
    // The default delays; only the waiting is skipped.
    schedulerRetry: {
      sleep: async (ms) => {
        waits.push(ms);
        onWait();
      },
    },
  });
  dynamo = new DynamoDBClient({ region: REGION, endpoint: runtime.endpoints.dynamodb, credentials: LOCAL_CREDENTIALS });
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const tables = localTableNames("");
  const directory = new DirectoryStore(doc, tables.directory);
  const audit = new AuditStore(doc, tables.audit);
  const letters = new LetterStore(doc, tables.letters, { audit, stats: new StatsStore(doc, tables.stats), files: new FileStore(doc, tables.files, audit) });

  // An overdue letter for officer B, so the digest has something to send.
  const officer = await directory.findUserByEmail(OFFICER);
  if (!officer) throw new Error("The demo seed has no officer B");
  agencyId = officer.agencyId;
  const registry = await signIn("registry@demo.go.tz");
  const created = await api<{ id: string; reference: string }>("POST", "/api/letters", {
    token: registry,
    body: { subject: "Ripoti ya ukaguzi", direction: "INCOMING", assigneeId: officer.id, dueInDays: 1 },
  });
  if (created.status !== 201) throw new Error(`register answered ${created.status}`);
  await letters.markOverdue(agencyId, created.body.id, { now: new Date(Date.now() + 2 * 86_400_000), timezone: "Africa/Dar_es_Salaam" });
  // Its notices (new letter, overdue) are sent before the mail service goes down, so only the digest fails.
  const ref = created.body.reference;
  await waitUntil(() => runtime.mailbox.list({ to: OFFICER }).filter((m) => m.subject.endsWith(ref)).length >= 2, 30_000);
}, 180_000);

afterEach(() => {
  runtime.mailbox.setFailing(false);
  waits = [];
  onWait = () => undefined;
});

afterAll(async () => {
  dynamo?.destroy();
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the daily digest in the embedded runtime, with the mail service down", () => {
  it("retries the run after 1, 2 and 4 minutes and, after the last attempt, lists it in the failed mail", async () => {
    expect((await api<FailedMail>("GET", "/api/dev/failed-mail")).body.items).toEqual([]);
    runtime.mailbox.setFailing(true);

    // As the daily timer runs it; resolves after the last attempt.
    expect(await runtime.scheduler.trigger(digestScheduleId(agencyId))).toBe(true);

    expect(waits).toEqual([60_000, 120_000, 240_000]);
    expect(digestsTo(OFFICER)).toEqual([]);
    const failed = await api<FailedMail>("GET", "/api/dev/failed-mail");
    expect(failed.status).toBe(200);
    expect(failed.body.items).toEqual([
      { source: "digest", agencyId, attempts: 4, failedAt: expect.any(String), error: expect.stringMatching(/digest\(s\) could not be sent/) },
    ]);
  });

  it("sends the digest once the service is back during the retries, and lists nothing more", async () => {
    const listedBefore = (await api<FailedMail>("GET", "/api/dev/failed-mail")).body.items.length;
    runtime.mailbox.setFailing(true);
    onWait = () => {
      if (waits.length === 2) runtime.mailbox.setFailing(false);
    };

    expect(await runtime.scheduler.trigger(digestScheduleId(agencyId))).toBe(true);

    // Two failed attempts, then the third went through.
    expect(waits).toEqual([60_000, 120_000]);
    const digests = digestsTo(OFFICER);
    expect(digests).toHaveLength(1);
    expect(digests[0]?.text).toContain("Ripoti ya ukaguzi");
    expect((await api<FailedMail>("GET", "/api/dev/failed-mail")).body.items).toHaveLength(listedBefore);
  });
});
