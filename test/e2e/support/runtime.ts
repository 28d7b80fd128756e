import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalRuntime } from "../../../local/runtime";

// The runtime builds the web app itself (for production) when `dist/web` is missing or stale.

export interface E2eRuntime {
  /** Base URL of the gateway, e.g. http://localhost:PORT (no trailing slash). */
  url: string;
  stop(): Promise<void>;
}

/** Starts the real local runtime on a free port with a fresh data directory that `stop()` removes. */
export async function startRuntime(): Promise<E2eRuntime> {
  const dataDir = mkdtempSync(join(tmpdir(), "ofisi-e2e-"));
  try {
    const runtime = await startLocalRuntime({ port: 0, dataDir, quiet: true });
    return {
      url: runtime.url.replace(/\/$/, ""),
      async stop() {
        try {
          await runtime.stop();
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
