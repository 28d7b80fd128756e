import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { recountCounters } from "../functions/store/recount";
import { TABLES } from "../functions/store/tables";
import { startDynamoDbLocal, type DynamoDbLocal } from "../local/engines/dynamodb";
import { LOCAL_CREDENTIALS } from "../local/engines/s3";
import { REGION } from "../local/runtime";
import { ensureAppTables, localTableNames } from "../local/tables";

/**
 * `npm run recount [-- --dry-run] [-- --agency <id>]`: rebuilds the dashboard counters (Stats) from
 * the letters and their histories, and prints every drift it corrected (an admin maintenance
 * command: it Scans the Letters and Stats tables). By default it works on the embedded runtime's
 * data in `OFISI_DATA_DIR` (default `.data`) with its own DynamoDB Local, so stop `npm start`
 * first. With `AWS_ENDPOINT_URL_DYNAMODB` set it uses that endpoint instead (e.g. a running
 * `npm start`), and with `LETTERS_TABLE`, `STATS_TABLE` and `DIRECTORY_TABLE` set, those tables.
 * It is safe while letters move: an item that moved during the run is reported, not overwritten.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { "dry-run": { type: "boolean", default: false }, agency: { type: "string" } },
    strict: true,
  });
  const local = localTableNames("");
  const tables = {
    letters: process.env[TABLES.letters.envVar] || local.letters,
    stats: process.env[TABLES.stats.envVar] || local.stats,
    directory: process.env[TABLES.directory.envVar] || local.directory,
  };
  let engine: DynamoDbLocal | undefined;
  let client: DynamoDBClient;
  if (process.env.AWS_ENDPOINT_URL_DYNAMODB || process.env[TABLES.stats.envVar]) {
    client = new DynamoDBClient({ region: process.env.AWS_REGION ?? REGION });
  } else {
    const dataDir = resolve(process.env.OFISI_DATA_DIR ?? ".data");
    console.log(`Recounting the data in ${dataDir} (stop \`npm start\` first) ...`);
    engine = await startDynamoDbLocal({ dataDir: join(dataDir, "dynamodb") });
    client = new DynamoDBClient({ region: REGION, endpoint: engine.endpoint, credentials: LOCAL_CREDENTIALS });
    await ensureAppTables(client, "");
  }
  try {
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const started = Date.now();
    const report = await recountCounters({ doc, tables, fix: !values["dry-run"], agencyId: values.agency });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    for (const d of report.drift) console.log(`  ${d.pk} ${d.sk} ${d.attribute}: ${d.was} -> ${d.now}`);
    for (const item of report.changedDuringRun) console.log(`  ${item}: moved during the recount, left as it is; run again`);
    const what = values["dry-run"] ? "found (dry run, nothing written)" : `corrected in ${report.corrected} items`;
    console.log(
      report.drift.length === 0
        ? `Recounted ${report.letters} letters in ${seconds} s: all ${report.items} counter items were exact.`
        : `Recounted ${report.letters} letters in ${seconds} s: ${report.drift.length} drifted counters ${what}.`,
    );
  } finally {
    client.destroy();
    await engine?.stop();
  }
}

main().catch((error: unknown) => {
  console.error("Recount failed:", error instanceof Error ? error.message : error);
  process.exit(1);
});
