import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { JavaMissingError } from "./engines/dynamodb";
import { startLocalRuntime, type LocalRuntime } from "./runtime";
import { DEMO_LOGINS } from "./seed";

/**
 * `npm start`: runs Ofisi Mtandao on this machine. `PORT` (default 3000) and `OFISI_DATA_DIR`
 * (default `.data`) configure it; `npm start -- --fresh` starts from empty data.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { fresh: { type: "boolean", default: false } }, strict: true });
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${process.env.PORT}"`);
  const dataDir = resolve(process.env.OFISI_DATA_DIR ?? ".data");
  const started = Date.now();
  console.log(`Starting Ofisi Mtandao (data in ${dataDir}${values.fresh ? ", starting fresh" : ""}) ...`);

  let stopping = false;
  const starting: Promise<LocalRuntime | undefined> = startLocalRuntime({ port, dataDir, fresh: values.fresh });
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${reason}: stopping every component ...`);
    // A signal during start-up waits for the engines that are starting, so none is left behind.
    const runtime = await starting.catch(() => undefined);
    await runtime?.stop();
    console.log("Stopped.");
    process.exit(code);
  };
  // Ctrl-C, `kill` (npm passes SIGTERM on) and a closed terminal all stop every engine, Java included.
  process.on("SIGINT", () => void shutdown("Interrupted", 0));
  process.on("SIGTERM", () => void shutdown("Terminated", 0));
  process.on("SIGHUP", () => void shutdown("Hung up", 0));
  process.on("uncaughtException", (error) => {
    console.error(error);
    void shutdown("Unexpected error", 1);
  });

  const runtime = await starting;
  if (stopping || !runtime) return;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    [
      "",
      `Ofisi Mtandao is running (ready in ${seconds} s).`,
      `  Web app:  ${runtime.url}/`,
      `  API:      ${runtime.url}/api`,
      `  Health:   ${runtime.url}/api/health`,
      `  Mailbox:  ${runtime.url}/api/dev/mailbox   (one-time login codes arrive here)`,
      "",
      "Demo logins (sign in with the email; the one-time code is sent to the local mailbox):",
      ...DEMO_LOGINS.map((login) => `  ${login.email.padEnd(24)} ${login.roles.join(", ")}`),
      runtime.seeded ? "\nDemo data was seeded on this first start." : "",
      "Press Ctrl-C to stop.",
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  if (error instanceof JavaMissingError) {
    console.error(`\n${error.message}`);
  } else {
    console.error("Ofisi Mtandao could not start:", error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
