import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../local/engines/ports";

const GOAL_SECONDS = 15;

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) return false;
    const body = (await res.json()) as { status?: string };
    return body.status === "ok";
  } catch {
    return false;
  }
}

/** Runs `npm start -- --fresh` in a temporary data folder and times it until `/api/health` says ok. */
async function once(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), "ofisi-bench-"));
  const port = await freePort();
  const started = performance.now();
  const child = spawn("npm", ["start", "--", "--fresh"], {
    env: { ...process.env, PORT: String(port), OFISI_DATA_DIR: dataDir },
    stdio: "ignore",
    detached: true,
  });
  try {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (await healthy(`http://127.0.0.1:${port}/api/health`)) return (performance.now() - started) / 1000;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("npm start did not become healthy within 120 s");
  } finally {
    // SIGTERM to the whole group: npm, tsx and the runtime, which stops its engines.
    if (child.pid) process.kill(-child.pid, "SIGTERM");
    await new Promise((r) => child.once("exit", r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchStartup() {
  const runs = 3;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(runs / 2)] ?? NaN;
  return [
    {
      benchmark: "startup",
      measure: `npm start to healthy /api/health (median of ${runs}: ${times.map((t) => t.toFixed(1)).join(", ")} s)`,
      value: `${median.toFixed(1)} s`,
      goal: `< ${GOAL_SECONDS} s`,
      met: median < GOAL_SECONDS ? "yes" : "no",
    },
  ];
}
