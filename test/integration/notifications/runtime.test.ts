import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

/** The embedded runtime wires the notifications consumer, the digest's daily jobs and the dev routes. */

const dataDir = mkdtempSync(join(tmpdir(), "ofisi-notify-runtime-"));
let runtime: LocalRuntime;
let dynamo: DynamoDBClient;
let directory: DirectoryStore;
let letters: LetterStore;

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, dataDir, quiet: true, webDir: join(dataDir, "no-web") });
  dynamo = new DynamoDBClient({ region: REGION, endpoint: runtime.endpoints.dynamodb, credentials: LOCAL_CREDENTIALS });
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const tables = localTableNames("");
  directory = new DirectoryStore(doc, tables.directory);
  const audit = new AuditStore(doc, tables.audit);
  letters = new LetterStore(doc, tables.letters, { audit, stats: new StatsStore(doc, tables.stats), files: new FileStore(doc, tables.files, audit) });
}, 120_000);

afterAll(async () => {
  dynamo?.destroy();
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

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
  const res = await api<{ token: string }>("POST", "/api/auth/token", { body: { email, code } });
  return res.body.token;
}

type Mailbox = { items: { id: string; to: string[]; subject: string; text: string; html: string; sentAt: string }[] };

describe("notifications in the embedded runtime", () => {
  it("schedules each agency's digest at its digest time in its timezone", async () => {
    const demo = (await directory.listAgencies()).find((a) => a.code === "DEMO");
    expect(demo).toBeDefined();
    const run = runtime.scheduler.nextRuns().find((r) => r.id === digestScheduleId(demo!.id));
    // 07:00 in Africa/Dar_es_Salaam is 04:00 UTC.
    expect(run?.at.toISOString()).toMatch(/T04:00:00\.000Z$/);
  });

  it("mails a new letter's assignee through the stream consumer", async () => {
    const registry = await signIn("registry@demo.go.tz");
    const officer = await directory.findUserByEmail("officer.a@demo.go.tz");
    const created = await api<{ id: string; reference: string }>("POST", "/api/letters", {
      token: registry,
      body: { subject: "Mwaliko wa mkutano", direction: "INCOMING", assigneeId: officer!.id, dueInDays: 2 },
    });
    expect(created.status).toBe(201);
    await waitUntil(() => runtime.mailbox.list({ to: "officer.a@demo.go.tz" }).some((m) => m.subject.includes(created.body.reference)), 20_000);
    const mail = runtime.mailbox.list({ to: "officer.a@demo.go.tz" }).find((m) => m.subject.includes(created.body.reference));
    expect(mail?.text).toContain(`${runtime.url}/letters/${created.body.id}`);
  });

  it("runs the digest on POST /api/dev/digest, shows it in the mailbox, and lists no failed mail", async () => {
    const officer = await directory.findUserByEmail("officer.b@demo.go.tz");
    const registry = await signIn("registry@demo.go.tz");
    const created = await api<{ id: string; reference: string }>("POST", "/api/letters", {
      token: registry,
      body: { subject: "Ripoti ya ukaguzi", direction: "INCOMING", assigneeId: officer!.id, dueInDays: 1 },
    });
    await letters.markOverdue(officer!.agencyId, created.body.id, { now: new Date(Date.now() + 2 * 86_400_000), timezone: "Africa/Dar_es_Salaam" });

    const run = await api<{ agencies: { agencyCode: string; sent: number }[]; failed: number }>("POST", "/api/dev/digest");
    expect(run.status).toBe(200);
    expect(run.body.failed).toBe(0);
    expect(run.body.agencies.find((a) => a.agencyCode === "DEMO")?.sent).toBeGreaterThanOrEqual(2);
    const box = await api<Mailbox>("GET", `/api/dev/mailbox?to=${encodeURIComponent("officer.b@demo.go.tz")}`);
    const digest = box.body.items.find((m) => m.subject.startsWith("Barua zilizochelewa"));
    expect(digest?.text).toContain(created.body.reference);

    // Run again: nobody gets a second digest today.
    const again = await api<{ agencies: { agencyCode: string; sent: number }[] }>("POST", "/api/dev/digest");
    expect(again.body.agencies.find((a) => a.agencyCode === "DEMO")?.sent).toBe(0);

    expect(await api("GET", "/api/dev/failed-mail")).toEqual({ status: 200, body: { items: [] } });
  });
});
