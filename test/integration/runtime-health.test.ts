import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalRuntime, type LocalRuntime } from "../../local/runtime";

/** The embedded runtime in process: each component's health is reported on its own. */
const dataDir = mkdtempSync(join(tmpdir(), "ofisi-health-"));
let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, dataDir, quiet: true, webDir: join(dataDir, "no-web") });
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function health(): Promise<{ status: string; components: Record<string, string> }> {
  const res = await fetch(`${runtime.url}/api/health`);
  expect(res.status).toBe(200);
  return (await res.json()) as { status: string; components: Record<string, string> };
}

describe("GET /api/health on the embedded runtime", () => {
  it("reports every component ok when all run", async () => {
    expect(await health()).toEqual({
      status: "ok",
      components: { database: "ok", storage: "ok", workflow: "ok", mail: "ok", search: "ok" },
    });
  });

  it("shows a failing mail service as down and the system as degraded, the rest still ok", async () => {
    runtime.mailbox.setFailing(true);
    try {
      expect(await health()).toEqual({
        status: "degraded",
        components: { database: "ok", storage: "ok", workflow: "ok", mail: "down", search: "ok" },
      });
    } finally {
      runtime.mailbox.setFailing(false);
    }
    expect((await health()).status).toBe("ok");
  });

  it("seeds the demo data once", () => {
    expect(runtime.seeded).toBe(true);
  });
});
