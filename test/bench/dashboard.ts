import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { monthOf, type DayCounts } from "../../functions/core/dashboard";
import { stateBox, overdueBox, urgencyKey, type HistoryEvent, type Letter, type LetterStatus } from "../../functions/core/letters";
import { CounterTally } from "../../functions/core/recount";
import { LocalTokenKeys } from "../../functions/platform/auth";
import { DirectoryStore } from "../../functions/store/directory";
import { LetterStore } from "../../functions/store/letters";
import { StatsStore } from "../../functions/store/stats";
import { startDynamoDbLocal } from "../../local/engines/dynamodb";
import { LOCAL_CREDENTIALS } from "../../local/engines/s3";
import { startGateway } from "../../local/gateway";
import { REGION } from "../../local/runtime";
import { ensureAppTables, tableEnv } from "../../local/tables";

/**
 * Dashboard latency with 100, 10,000 and 100,000 letters for one officer (DESIGN.md section 4),
 * and the DynamoDB requests each call makes. Goals: flat (the largest within 1.5x of the
 * smallest) and at most 2 requests per call.
 *
 * The letters are written straight into DynamoDB Local (in memory) with BatchWriteItem (registering 100,000
 * through the API would take hours on two cores): each letter item with its box index keys and its
 * history events, as the store writes them. The counters those letters imply are computed by the
 * recount's tally (`core/recount`) and written once, so the Stats table holds what the
 * transitions would have left. The dashboard is then called through the local gateway with a
 * signed token, exactly as the web app calls it, in process.
 */

const DEFAULT_SIZES = [100, 10_000, 100_000];
const CALLS = 200;
const WARMUP = 100;
const WRITE_CONCURRENCY = 8;
const DAY_MS = 86_400_000;

function envSizes(): number[] | undefined {
  const sizes = process.env.DASHBOARD_BENCH_SIZES?.split(",").map(Number).filter((n) => Number.isInteger(n) && n > 0);
  return sizes && sizes.length > 0 ? sizes : undefined;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** A letter of the officer in a plausible state, with the history that led there. */
function makeLetter(agencyId: string, officerId: string, registryId: string, departmentId: string, n: number, now: number): { letter: Letter; events: HistoryEvent[] } {
  const createdAt = now - ((n * 7919) % (90 * DAY_MS)) - DAY_MS; // spread over the last 90 days
  const roll = n % 20;
  const status: LetterStatus = roll < 12 ? "CLOSED" : roll < 16 ? "FOR_ACTION" : "IN_PROGRESS";
  const dueAt = createdAt + 7 * DAY_MS;
  const iso = (t: number) => new Date(t).toISOString();
  const events: HistoryEvent[] = [
    { version: 1, at: iso(createdAt), actorId: registryId, action: "register", fromStatus: null, toStatus: "FOR_ACTION", assigneeId: officerId, dueAt: iso(dueAt) },
  ];
  if (status !== "FOR_ACTION") {
    events.push({ version: 2, at: iso(createdAt + 3_600_000), actorId: officerId, action: "accept", fromStatus: "FOR_ACTION", toStatus: "IN_PROGRESS", assigneeId: officerId });
  }
  if (status === "CLOSED") {
    const at = Math.min(now - 60_000, createdAt + ((n * 104_729) % (10 * DAY_MS)));
    events.push({ version: 3, at: iso(Math.max(at, createdAt + 2 * 3_600_000)), actorId: officerId, action: "complete", fromStatus: "IN_PROGRESS", toStatus: "CLOSED", assigneeId: officerId });
  }
  const last = events[events.length - 1] as HistoryEvent;
  const overdue = status !== "CLOSED" && dueAt < now;
  const letter: Letter = {
    id: randomUUID(),
    agencyId,
    reference: `DEMO/IN/2026/${String(n + 1).padStart(6, "0")}`,
    direction: "INCOMING",
    subject: `Barua ya majaribio ${n + 1}`,
    summary: null,
    sender: { name: "Mwananchi" },
    classification: "RESTRICTED",
    priority: "NORMAL",
    status,
    assigneeId: officerId,
    approverId: null,
    departmentId,
    fileId: null,
    folio: null,
    dueAt: iso(dueAt),
    overdue,
    requiresApproval: false,
    chain: [registryId, officerId],
    registeredBy: registryId,
    createdAt: iso(createdAt),
    updatedAt: last.at,
    closedAt: status === "CLOSED" ? last.at : null,
    version: events.length,
    heldSince: iso(createdAt),
  };
  if (overdue) {
    // The workflow's mark, the day after the due date.
    events.push({ version: events.length + 1, at: iso(dueAt + 60_000), actorId: "system", action: "markOverdue", fromStatus: status, toStatus: status, assigneeId: officerId });
    letter.version = events.length;
  }
  return { letter, events };
}

function letterItems(letter: Letter, events: HistoryEvent[]): Record<string, unknown>[] {
  const pk = LetterStore.letterPk(letter.agencyId, letter.id);
  const item: Record<string, unknown> = { pk, sk: "LETTER", type: "letter", ...letter, auditSeq: 0, auditHash: "bench" };
  const state = stateBox(letter);
  if (state) Object.assign(item, { gsi1pk: LetterStore.boxPartition(letter.agencyId, state.userId, state.box), gsi1sk: urgencyKey(letter) });
  const overdueOf = overdueBox(letter);
  if (overdueOf) Object.assign(item, { gsi2pk: LetterStore.boxPartition(letter.agencyId, overdueOf, "overdue"), gsi2sk: urgencyKey(letter) });
  return [item, ...events.map((e) => ({ pk, sk: `EVENT#${String(e.version).padStart(6, "0")}`, type: "event", letterId: letter.id, ...e }))];
}

async function writeAll(doc: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  await Promise.all(
    Array.from({ length: WRITE_CONCURRENCY }, async () => {
      while (next < batches.length) {
        let pending = (batches[next++] ?? []).map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) {
          const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
          pending = (out.UnprocessedItems?.[table] ?? []) as typeof pending;
        }
      }
    }),
  );
}

/** `sizes` (or `DASHBOARD_BENCH_SIZES`, e.g. `100,1000`) measures other sizes, smallest first. */
export async function benchDashboard(sizes: number[] = envSizes() ?? DEFAULT_SIZES) {
  const SIZES = [...sizes].sort((a, b) => a - b);
  const dataDir = mkdtempSync(join(tmpdir(), "ofisi-bench-dashboard-"));
  // In memory: the bench measures reads, and writing 250,000 seed items to disk takes far longer.
  const engine = await startDynamoDbLocal();
  const client = new DynamoDBClient({ region: REGION, endpoint: engine.endpoint, credentials: LOCAL_CREDENTIALS });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
  try {
    // The environment the handlers read at load, as the embedded runtime sets it.
    Object.assign(process.env, {
      OFISI_RUNTIME: "local",
      OFISI_DATA_DIR: dataDir,
      AUTH_PROVIDER: "local",
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: engine.endpoint,
      AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9",
      AWS_ENDPOINT_URL_SESV2: "http://127.0.0.1:9",
      ATTACHMENTS_BUCKET: "bench-attachments",
      STATE_MACHINE_ARN: "arn:aws:states:af-south-1:000000000000:stateMachine:unused",
      MAIL_FROM: "Ofisi Mtandao <no-reply@ofisi.go.tz>",
      APP_URL: "http://localhost",
      LOG_LEVEL: "ERROR",
      POWERTOOLS_LOG_LEVEL: "ERROR",
      ...tableEnv(""),
    });
    const tables = await ensureAppTables(client, "");
    const directory = new DirectoryStore(doc, tables.directory);
    const agency = await directory.createAgency({ code: "BENCH", name: "Bench agency", emailDomains: ["bench.go.tz"] });
    const department = await directory.createDepartment(agency.id, { code: "ADM", name: "Utawala" });
    const officer = await directory.createUser(agency.id, { email: "afisa@bench.go.tz", name: "Afisa", roles: ["officer"], departmentId: department.id });
    const registry = await directory.createUser(agency.id, { email: "masjala@bench.go.tz", name: "Masjala", roles: ["registry"], departmentId: department.id });
    const { token } = await new LocalTokenKeys(dataDir).sign({ email: officer.email, userId: officer.id, agencyId: agency.id });

    const { handler } = await import("../../functions/http/dashboard");
    const { clients } = await import("../../functions/http/deps");
    let requests = 0;
    clients.doc.middlewareStack.add(
      (next) => async (args) => {
        requests += 1;
        return next(args);
      },
      { step: "initialize", name: "bench-count-requests" },
    );
    gateway = await startGateway({ port: 0, handlers: { dashboard: handler } });
    const url = `http://127.0.0.1:${gateway.port}/api/dashboard`;
    const call = async () => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`GET /api/dashboard answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as { forAction: number; inProgress: number; handled: { month: number } };
    };

    const tally = new CounterTally("Africa/Dar_es_Salaam");
    const now = Date.now();
    let seeded = 0;
    const results: { size: number; p50: number; p95: number; perCall: number; seedSeconds: number }[] = [];
    for (const size of SIZES) {
      const started = performance.now();
      for (let from = seeded; from < size; from += 5_000) {
        const items: Record<string, unknown>[] = [];
        for (let n = from; n < Math.min(size, from + 5_000); n++) {
          const { letter, events } = makeLetter(agency.id, officer.id, registry.id, department.id, n, now);
          tally.add(letter, events);
          items.push(...letterItems(letter, events));
        }
        await writeAll(doc, tables.letters, items);
        process.stdout.write(`\r  dashboard bench: ${Math.min(size, from + 5_000)} letters seeded ...`);
      }
      seeded = size;
      // The counters these letters imply, as the transitions would have left them.
      const counters = tally.officers.get(officer.id);
      if (counters) {
        await doc.send(new PutCommand({ TableName: tables.stats, Item: { ...StatsStore.openKey(agency.id, officer.id), ...counters.open } }));
        const months = new Map<string, Record<string, DayCounts>>();
        for (const [date, day] of Object.entries(counters.days)) months.set(monthOf(date), { ...months.get(monthOf(date)), [date]: day });
        for (const [month, days] of months) {
          await doc.send(new PutCommand({ TableName: tables.stats, Item: { ...StatsStore.monthKey(agency.id, officer.id, month), ...StatsStore.monthAttributes(days) } }));
        }
      }
      const seedSeconds = (performance.now() - started) / 1000;

      for (let i = 0; i < WARMUP; i++) await call();
      const check = await call();
      if (check.forAction + check.inProgress === 0) throw new Error("the dashboard shows no letters");
      requests = 0;
      const times: number[] = [];
      for (let i = 0; i < CALLS; i++) {
        const t0 = performance.now();
        await call();
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      results.push({ size, p50: percentile(times, 50), p95: percentile(times, 95), perCall: requests / CALLS, seedSeconds });
    }
    process.stdout.write("\n");

    const smallest = results[0]?.p50 ?? NaN;
    const largest = results[results.length - 1]?.p50 ?? NaN;
    const maxRequests = Math.max(...results.map((r) => r.perCall));
    return [
      ...results.map((r) => ({
        benchmark: "dashboard",
        measure: `GET /api/dashboard, one officer with ${r.size.toLocaleString("en")} letters (p95 ${r.p95.toFixed(1)} ms; seeded in ${r.seedSeconds.toFixed(0)} s)`,
        value: `p50 ${r.p50.toFixed(1)} ms, ${r.perCall.toFixed(2)} DynamoDB requests/call`,
        goal: "flat; <= 2 requests",
        met: r.perCall <= 2 ? "yes" : "no",
      })),
      {
        benchmark: "dashboard",
        measure: `latency at ${SIZES[SIZES.length - 1]?.toLocaleString("en")} vs ${SIZES[0]} letters (p50)`,
        value: `${(largest / smallest).toFixed(2)}x`,
        goal: "<= 1.5x",
        met: largest / smallest <= 1.5 && maxRequests <= 2 ? "yes" : "no",
      },
    ];
  } finally {
    await gateway?.stop();
    client.destroy();
    await engine.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
