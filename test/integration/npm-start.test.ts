import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../local/engines/ports";

/**
 * `npm start` as a user runs it: a real child process tree (npm, tsx, the runtime, DynamoDB Local's
 * Java), checked from the outside through HTTP and the process table.
 */

const dataDir = mkdtempSync(join(tmpdir(), "ofisi-start-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
}

async function start(args: string[] = []): Promise<Started> {
  const port = await freePort();
  const child = spawn("npm", ["start", "--", ...args], {
    env: { ...process.env, PORT: String(port), OFISI_DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (output.includes("Press Ctrl-C to stop")) return { child, port, output: () => output };
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`npm start did not report ready:\n${output}`);
}

async function stop(started: Started): Promise<void> {
  const exited = new Promise((r) => started.child.once("exit", r));
  // Like Ctrl-C in a terminal: the signal goes to the whole foreground process group.
  if (started.child.pid) process.kill(-started.child.pid, "SIGINT");
  await exited;
  // npm may return before the runtime has finished stopping its engines; give them a moment.
  const deadline = Date.now() + 15_000;
  const done = () => processesUsing(dataDir).length === 0 && started.output().includes("Stopped.");
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}

/** Processes of this machine whose command line mentions the data folder (DynamoDB Local's Java does). */
function processesUsing(dir: string): string[] {
  const ps = spawnSync("ps", ["-eo", "pid,args"], { encoding: "utf8" });
  return ps.stdout.split("\n").filter((line) => line.includes(dir) && !line.includes("ps -eo"));
}

describe("npm start", () => {
  it("serves a healthy API and the web app, prints URLs and demo logins, keeps data, and stops every child on Ctrl-C", async () => {
    const first = await start(["--fresh"]);
    try {
      expect(first.output()).toContain(`http://localhost:${first.port}/api`);
      expect(first.output()).toContain("registry@demo.go.tz");
      expect(first.output()).toContain("Demo data was seeded");
      const health = await fetch(`http://127.0.0.1:${first.port}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({
        status: "ok",
        components: { database: "ok", storage: "ok", workflow: "ok", mail: "ok", search: "ok" },
      });
      const page = await fetch(`http://127.0.0.1:${first.port}/some/client/route`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root"');
    } finally {
      await stop(first);
    }
    expect(first.output()).toContain("Stopped.");
    expect(processesUsing(dataDir)).toEqual([]);

    // A restart keeps the data: nothing is seeded again.
    const second = await start();
    try {
      expect(second.output()).not.toContain("Demo data was seeded");
      const health = await fetch(`http://127.0.0.1:${second.port}/api/health`);
      expect(((await health.json()) as { status: string }).status).toBe("ok");
    } finally {
      await stop(second);
    }
    expect(processesUsing(dataDir)).toEqual([]);
  }, 240_000);
});
