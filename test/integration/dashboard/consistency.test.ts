import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { DeleteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StatsStore } from "../../../functions/store/stats";
import { TABLES } from "../../../functions/store/tables";
import { dynamoEndpoint, LOCAL_AWS } from "../support/engines";
import { DEMO, inDays, type LetterBody, type Person } from "../letters/harness";
import { startDashboardHarness, type DashboardHarness } from "./harness";

/**
 * The counters stay exact under concurrency and across every transition: random journeys (many
 * letters moving at once, through the API and the workflow's overdue mark) end with counters
 * equal to a recount from the letters; and `npm run recount` finds and corrects drift.
 */

let h: DashboardHarness;
let people: Record<"registry" | "officerA" | "officerB" | "supervisor", Person>;
const TZ = "Africa/Dar_es_Salaam";

beforeAll(async () => {
  h = await startDashboardHarness("dash-consistency");
  people = {
    registry: await h.person(DEMO.registry),
    officerA: await h.person(DEMO.officerA),
    officerB: await h.person(DEMO.officerB),
    supervisor: await h.person(DEMO.supervisor),
  };
});
afterAll(async () => {
  await h?.stop();
});

/** A small deterministic generator (mulberry32), so a failing run can be replayed by its seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function register(assignee: Person, requiresApproval: boolean, dueAt?: string): Promise<LetterBody> {
  const res = await h.call<LetterBody>("POST", "/api/letters", {
    token: people.registry.token,
    body: { subject: "Safari ya barua", direction: "INCOMING", assigneeId: assignee.id, requiresApproval, ...(dueAt ? { dueAt } : {}) },
  });
  expect(res.status, res.text).toBe(201);
  return res.body;
}

async function expectNoDrift(): Promise<void> {
  const report = await h.recount(false);
  expect(report.drift).toEqual([]);
  // The dashboards show what the letters say.
  for (const person of Object.values(people)) {
    const d = await h.dashboard(person.token);
    expect({ forAction: d.forAction, inProgress: d.inProgress, overdue: d.overdue, awaitingApproval: d.awaitingApproval }).toEqual(await h.openCounts(person.id));
  }
}

describe("counters under concurrency", () => {
  it("stay exact when accept, overdue marks, extensions, minutes and reassignments race on the same letters", async () => {
    const letters = await Promise.all(Array.from({ length: 8 }, (_, i) => register(i % 2 ? people.officerA : people.officerB, false)));
    const calls: Promise<{ status: number }>[] = [];
    const marks: Promise<unknown>[] = [];
    for (const letter of letters) {
      const holder = letter.assigneeId === people.officerA.id ? people.officerA : people.officerB;
      const other = holder === people.officerA ? people.officerB : people.officerA;
      calls.push(h.call("POST", `/api/letters/${letter.id}/accept`, { token: holder.token, body: {} }));
      marks.push(h.letters.markOverdue(h.demo.agencyId, letter.id, { now: new Date(Date.parse(letter.dueAt) + 1000), timezone: TZ }));
      calls.push(h.call("POST", `/api/letters/${letter.id}/extend`, { token: people.supervisor.token, body: { dueAt: inDays(30) } }));
      calls.push(h.call("POST", `/api/letters/${letter.id}/minute`, { token: holder.token, body: { text: "Naendelea" } }));
      calls.push(h.call("POST", `/api/letters/${letter.id}/reassign`, { token: people.registry.token, body: { to: other.id, reason: "Marekebisho" } }));
    }
    const [statuses, marked] = await Promise.all([Promise.all(calls).then((rs) => rs.map((r) => r.status)), Promise.all(marks)]);
    // Each call either applied or was refused cleanly (the letter had moved on, or to someone else); none failed.
    for (const status of statuses) expect([200, 403, 409]).toContain(status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(8);
    expect(marked.filter((m) => m !== null).length).toBeGreaterThan(0);
    await expectNoDrift();
  });

  it("count one handled action when the same submit is sent twice at once", async () => {
    const letter = await register(people.officerA, true);
    await h.call("POST", `/api/letters/${letter.id}/accept`, { token: people.officerA.token, body: {} });
    const before = await h.dashboard(people.officerA.token);
    const both = await Promise.all([1, 2].map(() => h.call("POST", `/api/letters/${letter.id}/submit`, { token: people.officerA.token, body: {} })));
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const after = await h.dashboard(people.officerA.token);
    expect(after.handled.today).toBe(before.handled.today + 1);
    await expectNoDrift();
  });
});

describe("random journeys", () => {
  const ACTIONS = ["accept", "minute", "forward", "reassign", "submit", "approve", "reject", "complete", "extend", "markOverdue"] as const;

  for (const seed of [11, 29]) {
    it(`seed ${seed}: 10 letters move at once through random steps; the counters equal the recount`, async () => {
      const r = random(seed);
      const officers = [people.officerA, people.officerB];
      const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
      // Half the letters fall due in a moment, so that their marks and handled actions come late.
      const soon = new Date(Date.now() + 1500).toISOString();
      const letters = await Promise.all(Array.from({ length: 10 }, () => register(pick(officers), r() < 0.6, r() < 0.5 ? soon : undefined)));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(soon) - Date.now() + 50)));

      await Promise.all(
        letters.map(async (start) => {
          let letter = start;
          for (let step = 0; step < 10 && letter.status !== "CLOSED"; step++) {
            const action = pick(ACTIONS);
            if (action === "markOverdue") {
              await h.letters.markOverdue(h.demo.agencyId, letter.id, { now: new Date(Date.parse(letter.dueAt) + 1000), timezone: TZ });
            } else {
              const holder = [...Object.values(people)].find((p) => p.id === (letter.status === "AWAITING_APPROVAL" ? letter.approverId : letter.assigneeId));
              // Mostly the holder; the supervisor and registry for extensions and corrections.
              const who = action === "extend" ? people.supervisor : action === "reassign" && r() < 0.5 ? people.registry : (holder ?? people.officerA);
              const other = letter.assigneeId === people.officerA.id ? people.officerB : people.officerA;
              const body: Record<string, unknown> = {
                minute: { text: "Maoni" },
                forward: { to: other.id },
                reassign: { to: other.id, reason: "Si yake" },
                reject: { note: "Rekebisha" },
                extend: { dueAt: inDays(5 + r() * 10) },
              }[action as string] as Record<string, unknown> | undefined ?? {};
              const res = await h.call<LetterBody>("POST", `/api/letters/${letter.id}/${action}`, { token: who.token, body });
              expect([200, 403, 409], res.text).toContain(res.status);
            }
            const page = await h.call<LetterBody>("GET", `/api/letters/${letter.id}`, { token: people.registry.token });
            letter = page.body;
          }
        }),
      );
      await expectNoDrift();
    });
  }
});

describe("npm run recount", () => {
  it("reports and corrects drift, and then finds none", async () => {
    // Prepare: damage the counters as a lost or doubled update would.
    const officer = StatsStore.officerPk(h.demo.agencyId, people.officerA.id);
    await h.doc.send(
      new UpdateCommand({ TableName: h.tables.stats, Key: { pk: officer, sk: "OPEN" }, UpdateExpression: "ADD forAction :n", ExpressionAttributeValues: { ":n": 3 } }),
    );
    const months = (await h.recount(false)).drift.length;
    expect(months).toBe(1);
    const truth = (await h.dashboard(people.officerA.token)).forAction - 3;
    const handledBefore = await h.dashboard(people.supervisor.token);
    await h.doc.send(
      new DeleteCommand({
        TableName: h.tables.stats,
        Key: { pk: StatsStore.officerPk(h.demo.agencyId, people.supervisor.id), sk: `HANDLED#${handledBefore.daily.at(-1)?.date.slice(0, 7)}` },
      }),
    );

    // Act: the command itself, on this test's tables.
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/recount.ts"], {
      env: {
        ...process.env,
        AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint(),
        AWS_REGION: LOCAL_AWS.region,
        AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
        [TABLES.letters.envVar]: h.tables.letters,
        [TABLES.stats.envVar]: h.tables.stats,
        [TABLES.directory.envVar]: h.tables.directory,
      },
      timeout: 60_000,
    });

    // Assess: the drift is named and gone.
    expect(stdout).toContain(`${officer} OPEN forAction: ${truth + 3} -> ${truth}`);
    expect(stdout).toMatch(/drifted counters corrected/);
    expect((await h.dashboard(people.officerA.token)).forAction).toBe(truth);
    expect((await h.dashboard(people.supervisor.token)).handled).toEqual(handledBefore.handled);
    await expectNoDrift();
  });
});
