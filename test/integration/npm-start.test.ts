import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../local/engines/ports";

/**
 * `npm start` as a user runs it: a real child process tree (npm, the runtime's node, DynamoDB
 * Local's Java), checked from the outside through HTTP and the process table.
 */

const dataDir = mkdtempSync(join(tmpdir(), "ofisi-start-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  port: number;
  base: string;
  output: () => string;
}

const startedGroups = new Set<number>();

// Whatever a failing test left behind is killed here, so no stray Java outlives the run.
afterEach(() => {
  for (const group of startedGroups) {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // The group is already gone.
    }
  }
  startedGroups.clear();
});

function spawnNpmStart(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn("npm", ["start", "--", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, as in a terminal: Ctrl-C reaches the group, and cleanup can kill it whole.
    detached: true,
  });
  if (child.pid) startedGroups.add(child.pid);
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

async function start(args: string[] = []): Promise<Started> {
  const port = await freePort();
  const { child, output } = spawnNpmStart(args, { PORT: String(port), OFISI_DATA_DIR: dataDir });
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (output().includes("Press Ctrl-C to stop")) return { child, port, base: `http://127.0.0.1:${port}`, output };
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`npm start did not report ready:\n${output()}`);
}

/** Waits (up to 20 s) until `done` holds: the runtime stops its engines after npm has returned. */
async function settle(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}

/** Resolves once `done` holds, checked every 200 ms. */
async function settleOn(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 200));
}

async function stopWithCtrlC(started: Started): Promise<void> {
  const exited = new Promise((r) => started.child.once("exit", r));
  // Like Ctrl-C in a terminal: the signal goes to the whole foreground process group.
  if (started.child.pid) process.kill(-started.child.pid, "SIGINT");
  await exited;
  await settle(() => processesUsing(dataDir).length === 0 && started.output().includes("Stopped."));
}

interface ProcessLine {
  pid: number;
  ppid: number;
  args: string;
}

function processTable(): ProcessLine[] {
  const ps = spawnSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" });
  return ps.stdout.split("\n").flatMap((line) => {
    const match = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    return match ? [{ pid: Number(match[1]), ppid: Number(match[2]), args: match[3] ?? "" }] : [];
  });
}

/** Every process below `pid` in the process tree. */
function descendantsOf(pid: number): ProcessLine[] {
  const table = processTable();
  const found: ProcessLine[] = [];
  let parents = new Set([pid]);
  while (parents.size > 0) {
    const children = table.filter((p) => parents.has(p.ppid));
    found.push(...children);
    parents = new Set(children.map((p) => p.pid));
  }
  return found;
}

/** Those of `processes` still running (same pid and command line, so a reused pid does not count). */
function stillRunning(processes: ProcessLine[]): string[] {
  const table = processTable();
  return processes.filter((p) => table.some((q) => q.pid === p.pid && q.args === p.args)).map((p) => `${p.pid} ${p.args}`);
}

/** Processes of this machine whose command line mentions the data folder (DynamoDB Local's Java does). */
function processesUsing(dir: string): string[] {
  return processTable()
    .filter((p) => p.args.includes(dir) && !p.args.startsWith("ps "))
    .map((p) => `${p.pid} ${p.args}`);
}

async function answers(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
    () => true,
    () => false,
  );
}

async function api<T>(base: string, method: string, path: string, options: { token?: string; body?: unknown } = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Signs in with the one-time code from the local mailbox, as a user of the demo does. */
async function signIn(base: string, email: string): Promise<string> {
  const requested = await api(base, "POST", "/api/auth/otp", { body: { email } });
  expect(requested.status).toBe(202);
  const box = await api<{ items: { text: string }[] }>(base, "GET", `/api/dev/mailbox?to=${encodeURIComponent(email)}`);
  const code = /(\d{6})/.exec(box.body.items[0]?.text ?? "")?.[1];
  const token = await api<{ token: string }>(base, "POST", "/api/auth/token", { body: { email, code } });
  expect(token.status).toBe(200);
  return token.body.token;
}

describe("npm start", () => {
  it("serves a healthy API and the web app, keeps data across restarts, --fresh wipes it, and stops every child on Ctrl-C or SIGTERM", async () => {
    // First start: --fresh on an empty folder seeds the demo data.
    const first = await start(["--fresh"]);
    let clerkId: string;
    try {
      expect(first.output()).toContain(`http://localhost:${first.port}/api`);
      expect(first.output()).toContain("registry@demo.go.tz");
      expect(first.output()).toContain("Demo data was seeded");
      const health = await fetch(`${first.base}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({
        status: "ok",
        components: { database: "ok", storage: "ok", workflow: "ok", mail: "ok", search: "ok" },
      });
      const page = await fetch(`${first.base}/some/client/route`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root"');

      // Malformed requests get a 400 with the error shape from the real handlers, never a 500.
      const badPath = await api(first.base, "GET", "/api/users/%E0%A4");
      expect(badPath).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED" } } });
      const badJson = await fetch(`${first.base}/api/auth/otp`, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
      expect(badJson.status).toBe(400);
      expect(await badJson.json()).toMatchObject({ error: { code: "VALIDATION_FAILED", message: "The request body is not valid JSON" } });

      // Data a user creates: a new officer of the demo agency.
      const admin = await signIn(first.base, "admin@demo.go.tz");
      const departments = await api<{ items: { id: string }[] }>(first.base, "GET", "/api/departments", { token: admin });
      const created = await api<{ id: string }>(first.base, "POST", "/api/users", {
        token: admin,
        body: { email: "clerk.z@demo.go.tz", name: "Zawadi Clerk", departmentId: departments.body.items[0]?.id, roles: ["officer"] },
      });
      expect(created.status).toBe(201);
      clerkId = created.body.id;
    } finally {
      await stopWithCtrlC(first);
    }
    expect(first.output()).toContain("Stopped.");
    expect(processesUsing(dataDir)).toEqual([]);

    // A restart keeps the data: nothing is seeded again and the new officer is still there.
    const second = await start();
    const tree = descendantsOf(second.child.pid ?? -1);
    try {
      expect(second.output()).not.toContain("Demo data was seeded");
      const admin = await signIn(second.base, "admin@demo.go.tz");
      expect(await api(second.base, "GET", `/api/users/${clerkId}`, { token: admin })).toMatchObject({
        status: 200,
        body: { email: "clerk.z@demo.go.tz" },
      });
    } finally {
      // SIGTERM to npm alone (as `kill <pid>` or a process manager sends it), not to its group.
      const exited = new Promise((r) => second.child.once("exit", r));
      if (second.child.pid) process.kill(second.child.pid, "SIGTERM");
      await exited;
    }
    // Every process npm started, Java included, is gone, and nothing answers on the port.
    expect(tree.some((p) => /\bjava\b/.test(p.args))).toBe(true);
    await settle(() => stillRunning(tree).length === 0);
    expect(stillRunning(tree)).toEqual([]);
    expect(await answers(`${second.base}/api/health`)).toBe(false);
    expect(second.output()).toContain("Terminated: stopping every component");
    expect(second.output()).toContain("Stopped.");

    // --fresh on that folder (the runtime's own) wipes the officer and seeds the demo data again.
    const third = await start(["--fresh"]);
    try {
      expect(third.output()).toContain("Demo data was seeded");
      const admin = await signIn(third.base, "admin@demo.go.tz");
      expect((await api(third.base, "GET", `/api/users/${clerkId}`, { token: admin })).status).toBe(404);
      const officers = await api<{ items: { email: string }[] }>(third.base, "GET", "/api/users", { token: admin });
      expect(officers.body.items.map((u) => u.email)).toContain("officer.a@demo.go.tz");
      expect(officers.body.items.map((u) => u.email)).not.toContain("clerk.z@demo.go.tz");
    } finally {
      await stopWithCtrlC(third);
    }
    expect(processesUsing(dataDir)).toEqual([]);
  }, 300_000);

  it("refuses --fresh on a folder that is not its own, naming it and deleting nothing", async () => {
    const foreign = mkdtempSync(join(tmpdir(), "ofisi-not-data-"));
    try {
      mkdirSync(join(foreign, "Documents"));
      writeFileSync(join(foreign, "notes.txt"), "keep me");
      const port = await freePort();
      const { child, output } = spawnNpmStart(["--fresh"], { PORT: String(port), OFISI_DATA_DIR: foreign });
      const exited = new Promise<number | null>((r) => child.once("exit", r));
      // Starting instead of refusing shows as the ready line; it is not waited out.
      const outcome = await Promise.race([exited, settleOn(() => output().includes("Press Ctrl-C to stop") || child.exitCode !== null).then(() => (child.exitCode === null ? "started" : child.exitCode))]);

      expect(outcome).not.toBe("started");
      expect(outcome).not.toBe(0);
      expect(output()).toContain(`Refusing to wipe ${foreign} for --fresh`);
      expect(readFileSync(join(foreign, "notes.txt"), "utf8")).toBe("keep me");
      expect(existsSync(join(foreign, "Documents"))).toBe(true);
      expect(await answers(`http://127.0.0.1:${port}/api/health`)).toBe(false);
      expect(processesUsing(foreign)).toEqual([]);
    } finally {
      rmSync(foreign, { recursive: true, force: true });
    }
  }, 60_000);
});
