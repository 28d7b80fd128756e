import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../../local/engines/ports";
import { apiToken } from "../../e2e/support/session";
import { until } from "./harness";

/**
 * `npm start` restarted while letters wait in the workflow: the engine keeps its executions and
 * timers in the data folder, so a timer that came due while it was down fires after the restart,
 * and a waiting execution still takes the next signal.
 */

const dataDir = mkdtempSync(join(tmpdir(), "ofisi-wf-restart-"));
const running = new Set<ChildProcess>();

afterAll(async () => {
  for (const child of running) await stop(child);
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(args: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn("npm", ["start", "--", ...args], {
    env: { ...process.env, PORT: String(port), OFISI_DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  running.add(child);
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  await until("npm start to report ready", async () => {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    return output.includes("Press Ctrl-C to stop");
  }, 120_000);
  return { child, url: `http://127.0.0.1:${port}` };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    running.delete(child);
    return;
  }
  const exited = new Promise((resolve) => child.once("exit", resolve));
  // Like Ctrl-C: the whole process group (npm, tsx, DynamoDB Local's Java) stops.
  if (child.pid) process.kill(-child.pid, "SIGINT");
  await exited;
  running.delete(child);
}

interface Letter {
  id: string;
  dueAt: string;
  reference: string;
  overdue: boolean;
  history: { action: string }[];
}

async function call<T>(url: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

describe("restarting npm start while letters wait", () => {
  it("loses no timer and no waiting execution", async () => {
    const first = await start(["--fresh"]);
    const registry = await apiToken(first.url, "registry@demo.go.tz");
    const officer = await apiToken(first.url, "officer.a@demo.go.tz");
    const me = await call<{ id: string }>(first.url, officer, "GET", "/api/me");
    const register = async (subject: string, dueAt: string) => {
      const res = await call<Letter>(first.url, registry, "POST", "/api/letters", { subject, direction: "INCOMING", assigneeId: me.body.id, dueAt });
      expect(res.status).toBe(201);
      return res.body;
    };
    const dueSoon = await register("Barua itakayochelewa", new Date(Date.now() + 5_000).toISOString());
    const waiting = await register("Barua inayosubiri", new Date(Date.now() + 10 * 86_400_000).toISOString());
    // Let the workflow plan both letters (start, plan, token) before stopping.
    await new Promise((r) => setTimeout(r, 1_500));
    await stop(first.child);
    // Stay down past the first letter's due date.
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(dueSoon.dueAt) + 500 - Date.now())));

    const second = await start();
    const letter = (url: string, id: string) => call<Letter>(url, registry, "GET", `/api/letters/${id}`);
    // The due timer came due while nothing ran: it fires after the restart.
    const late = await until("the overdue mark after the restart", async () => {
      const res = await letter(second.url, dueSoon.id);
      return res.body.overdue ? res.body : undefined;
    });
    expect(late.history.map((e) => e.action)).toEqual(["register", "markOverdue"]);

    // The waiting execution still answers: the new due date is signalled and its timer fires.
    const extended = await call<Letter>(second.url, registry, "POST", `/api/letters/${waiting.id}/extend`, { dueAt: new Date(Date.now() + 2_000).toISOString() });
    expect(extended.status).toBe(200);
    const marked = await until("the extended letter's overdue mark", async () => {
      const res = await letter(second.url, waiting.id);
      return res.body.overdue ? res.body : undefined;
    });
    expect(marked.history.map((e) => e.action)).toEqual(["register", "extend", "markOverdue"]);
    await stop(second.child);
  }, 300_000);
});
