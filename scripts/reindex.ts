import { resolve, join } from "node:path";
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { TABLES } from "../functions/store/tables";
import { reindexAll } from "../functions/streams/search-indexing";
import { startDynamoDbLocal, type DynamoDbLocal } from "../local/engines/dynamodb";
import { LOCAL_CREDENTIALS } from "../local/engines/s3";
import { REGION } from "../local/runtime";
import { ensureAppTables, localTableNames } from "../local/tables";

/**
 * `npm run reindex [-- --clear]`: rebuilds the search index from the Letters and Files tables
 * (an admin maintenance command: it Scans them). By default it works on the embedded runtime's
 * data in `OFISI_DATA_DIR` (default `.data`) with its own DynamoDB Local, so stop `npm start`
 * first. With `AWS_ENDPOINT_URL_DYNAMODB` set it uses that endpoint instead, and with
 * `FILES_TABLE`, `LETTERS_TABLE` and `SEARCH_TABLE` set, those tables (e.g. a cell's, in the cloud,
 * with the deploying credentials). `--clear` empties the SearchIndex table first.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { clear: { type: "boolean", default: false } }, strict: true });
  const local = localTableNames("");
  const tables = {
    letters: process.env[TABLES.letters.envVar] || local.letters,
    files: process.env[TABLES.files.envVar] || local.files,
    search: process.env[TABLES.search.envVar] || local.search,
  };
  let engine: DynamoDbLocal | undefined;
  let client: DynamoDBClient;
  if (process.env.AWS_ENDPOINT_URL_DYNAMODB || process.env[TABLES.search.envVar]) {
    client = new DynamoDBClient({ region: process.env.AWS_REGION ?? REGION });
  } else {
    const dataDir = resolve(process.env.OFISI_DATA_DIR ?? ".data");
    console.log(`Reindexing the data in ${dataDir} (stop \`npm start\` first) ...`);
    engine = await startDynamoDbLocal({ dataDir: join(dataDir, "dynamodb") });
    client = new DynamoDBClient({ region: REGION, endpoint: engine.endpoint, credentials: LOCAL_CREDENTIALS });
    await ensureAppTables(client, "");
  }
  try {
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const started = Date.now();
    const report = await reindexAll({
      doc,
      tables,
      clear: values.clear,
      onProgress: (done) => console.log(`  ${done} documents ...`),
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (values.clear) console.log(`Cleared ${report.cleared} index items.`);
    console.log(
      `Reindexed ${report.letters} letters and ${report.files} files in ${seconds} s ` +
        `(${report.outcomes.indexed} updated, ${report.outcomes.unchanged} already up to date, ${report.outcomes.stale} newer in the index).`,
    );
  } finally {
    client.destroy();
    await engine?.stop();
  }
}

main().catch((error: unknown) => {
  console.error("Reindex failed:", error instanceof Error ? error.message : error);
  process.exit(1);
});
