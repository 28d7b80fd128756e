import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startLocalRuntime } from "../../../local/runtime";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const webSources = join(root, "web");
const webIndex = join(root, "dist", "web", "index.html");

function newestMtime(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds the web app once, when `dist/web` is missing or older than any file under `web/`. */
export async function ensureWebBuild(): Promise<void> {
  if (existsSync(webIndex) && statSync(webIndex).mtimeMs >= newestMtime(webSources)) return;
  const { build } = await import("vite");
  // Vitest sets NODE_ENV=test, which would make Vite emit React's development build (StrictMode's double
  // effects, dev JSX); the browser tests must see what users get, so build for production and restore.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ configFile: join(webSources, "vite.config.ts"), mode: "production", logLevel: "error" });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

export interface E2eRuntime {
  /** Base URL of the gateway, e.g. http://localhost:PORT (no trailing slash). */
  url: string;
  stop(): Promise<void>;
}

/** Starts the real local runtime on a free port with a fresh data directory that `stop()` removes. */
export async function startRuntime(): Promise<E2eRuntime> {
  await ensureWebBuild();
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
