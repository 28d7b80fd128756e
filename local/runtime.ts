import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { HANDLER_GROUPS, type HandlerGroup } from "../functions/http/routes";
import {
  LETTER_WORKFLOW_DEFINITION,
  LETTER_WORKFLOW_NAME,
  WORKFLOW_FUNCTIONS,
} from "../functions/workflow/functions";
import { digestScheduleId } from "../functions/scheduled/functions";
import { DirectoryStore } from "../functions/store/directory";
import { prepareDataDir } from "./data-dir";
import { createDevHandler } from "./dev-routes";
import { startDynamoDbLocal, type DynamoDbLocal } from "./engines/dynamodb";
import { freePort } from "./engines/ports";
import { LOCAL_CREDENTIALS, startS3Local, type S3Local } from "./engines/s3";
import { startGateway, type ProxyHandler } from "./gateway";
import { startLocalMailbox } from "./mail";
import { FailedRunStore, startLocalScheduler, type DailySchedule, type LocalScheduler, type RetrySleep } from "./scheduler";
import { seedDemoData } from "./seed";
import { startLocalStepFunctions, type LambdaHandler, type LocalStepFunctions } from "./sfn";
import {
  NOTIFICATIONS_CONSUMER,
  NOTIFICATIONS_ENTRY,
  SEARCH_INDEXER_ENTRY,
  STREAM_CONSUMERS,
  WORKFLOW_SIGNALS_ENTRY,
} from "../functions/streams/consumers";
import { listFailedBatches, startStreamPoller, type StreamConsumer, type StreamHandler } from "./streams/poller";
import { ensureAppTables, tableEnv } from "./tables";

/**
 * The embedded runtime behind `npm start` (DESIGN.md section 8): DynamoDB Local, s3rver, the local
 * mailbox (an SES v2 endpoint), the local Step Functions engine, the stream poller and the
 * scheduler, each on a free loopback port, and the gateway serving the API and the web app.
 * The handlers are the very modules the CDK app deploys; they find the engines through the SDK's
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, so they run unchanged. One runtime per process: the
 * handlers read their configuration from the environment when they load.
 */

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REGION = "af-south-1";
export const ATTACHMENTS_BUCKET = "ofisi-attachments";
const WORKFLOW_TABLE = "LocalWorkflow";
const CHECKPOINT_TABLE = "LocalStreamCheckpoints";

export interface LocalRuntimeOptions {
  /** Port of the gateway; 0 picks a free one. */
  port: number;
  /** Where all data lives (DynamoDB files, objects, mail, keys). */
  dataDir: string;
  /** Start from empty data; refused (UnsafeDataDirError) for a folder that is not the runtime's own. */
  fresh?: boolean;
  /** Log nothing but errors. */
  quiet?: boolean;
  /** Folder of the built web app; defaults to `dist/web`, built first if missing or stale. */
  webDir?: string;
  /** The workflow engine's clock (epoch ms); tests move it forward to fire timers. Default `Date.now`. */
  clock?: () => number;
  /** How the scheduler retries a failed run (default after 1, 2 and 4 minutes); tests skip the waits. */
  schedulerRetry?: { delaysMs?: readonly number[]; sleep?: RetrySleep };
}

/** The embedded Step Functions engine, for tests of the workflow's fault tolerance. */
export interface LocalWorkflowControl {
  stateMachineArn: string;
  /** Stops the engine: its API refuses connections; executions and timers stay in the data folder. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data: it resumes executions and fires timers that came due. */
  start(): Promise<void>;
  /** Fires the timers due by the engine's clock now. */
  runDueTimers(): Promise<void>;
}

export interface LocalRuntime {
  url: string;
  port: number;
  dataDir: string;
  seeded: boolean;
  endpoints: { dynamodb: string; s3: string; sfn: string; mail: string };
  mailbox: Awaited<ReturnType<typeof startLocalMailbox>>;
  workflow: LocalWorkflowControl;
  /** The daily jobs (the overdue digest of each agency). */
  scheduler: LocalScheduler;
  stop(): Promise<void>;
}

/** HTTP route groups, loaded lazily so that they read the environment this runtime sets. */
const HTTP_HANDLERS: Record<HandlerGroup, () => Promise<{ handler: ProxyHandler }>> = {
  health: () => import("../functions/http/health"),
  auth: () => import("../functions/http/auth"),
  me: () => import("../functions/http/me"),
  agencies: () => import("../functions/http/agencies"),
  departments: () => import("../functions/http/departments"),
  users: () => import("../functions/http/users"),
  settings: () => import("../functions/http/settings"),
  files: () => import("../functions/http/files"),
  letters: () => import("../functions/http/letters"),
  attachments: () => import("../functions/http/attachments"),
  audit: () => import("../functions/http/audit"),
  search: () => import("../functions/http/search"),
  dashboard: () => import("../functions/http/dashboard"),
};

/** Stream consumers by entry; see functions/streams/consumers.ts. */
const STREAM_HANDLERS: Record<string, () => Promise<{ handler: StreamHandler }>> = {
  [SEARCH_INDEXER_ENTRY]: () => import("../functions/streams/search-indexer"),
  [WORKFLOW_SIGNALS_ENTRY]: () => import("../functions/streams/workflow-signals"),
  [NOTIFICATIONS_ENTRY]: () => import("../functions/streams/notifications"),
};

/** Workflow tasks by their definition placeholder; see functions/workflow/functions.ts. */
const WORKFLOW_HANDLERS: Record<string, () => Promise<{ handler: LambdaHandler }>> = {
  PlanNextWaitFunctionArn: () => import("../functions/workflow/plan-next-wait"),
  StoreTaskTokenFunctionArn: () => import("../functions/workflow/store-task-token"),
  HandleTimerFunctionArn: () => import("../functions/workflow/handle-timer"),
  RecordFailureFunctionArn: () => import("../functions/workflow/record-failure"),
};

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the web app with Vite when `dist/web` is missing or older than its sources. */
export async function ensureWebBuild(quiet: boolean): Promise<string> {
  const outDir = join(ROOT, "dist", "web");
  const index = join(outDir, "index.html");
  const sources = join(ROOT, "web");
  if (!existsSync(join(sources, "index.html"))) return outDir;
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(sources)) return outDir;
  const { build } = await import("vite");
  // Vite keeps an existing NODE_ENV (vitest sets "test"), which would ship React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ configFile: join(sources, "vite.config.ts"), mode: "production", logLevel: quiet ? "error" : "warn" });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return outDir;
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const log = (message: string) => {
    if (!options.quiet) console.log(message);
  };
  const dataDir = resolve(options.dataDir);
  // Wipes the folder for `fresh` only when it is the runtime's own (see data-dir.ts).
  prepareDataDir(dataDir, { fresh: options.fresh });

  const stops: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        console.error(`Error while stopping: ${(error as Error).message}`);
      }
    }
    stops.length = 0;
  };

  try {
    const webBuild = options.webDir ? Promise.resolve(options.webDir) : ensureWebBuild(Boolean(options.quiet));
    const [dynamo, s3, mailbox, sfnPort, gatewayPort] = await Promise.all([
      startDynamoDbLocal({ dataDir: join(dataDir, "dynamodb") }).then((d: DynamoDbLocal) => {
        stops.push(() => d.stop());
        return d;
      }),
      startS3Local({ dataDir: join(dataDir, "s3"), buckets: [ATTACHMENTS_BUCKET] }).then((s: S3Local) => {
        stops.push(() => s.stop());
        return s;
      }),
      startLocalMailbox({ dataDir: join(dataDir, "mail") }).then((m) => {
        stops.push(() => m.stop());
        return m;
      }),
      freePort(),
      options.port === 0 ? freePort() : Promise.resolve(options.port),
    ]);
    const url = `http://localhost:${gatewayPort}`;
    const sfnEndpoint = `http://127.0.0.1:${sfnPort}`;
    const stateMachineArn = `arn:aws:states:${REGION}:000000000000:stateMachine:${LETTER_WORKFLOW_NAME}`;

    Object.assign(process.env, {
      OFISI_RUNTIME: "local",
      OFISI_DATA_DIR: dataDir,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SFN: sfnEndpoint,
      AWS_ENDPOINT_URL_SESV2: mailbox.endpoint,
      S3_FORCE_PATH_STYLE: "true",
      ATTACHMENTS_BUCKET,
      STATE_MACHINE_ARN: stateMachineArn,
      MAIL_FROM: "Ofisi Mtandao <no-reply@ofisi.go.tz>",
      APP_URL: url,
      ...tableEnv(""),
    });

    const credentials = LOCAL_CREDENTIALS;
    const dynamoClient = new DynamoDBClient({ region: REGION, endpoint: dynamo.endpoint, credentials });
    stops.push(() => dynamoClient.destroy());
    const doc = DynamoDBDocumentClient.from(dynamoClient, { marshallOptions: { removeUndefinedValues: true } });
    const tables = await ensureAppTables(dynamoClient, "");
    const seeded = await seedDemoData(doc, tables.directory);

    const workflowHandlers = new Map<string, LambdaHandler>();
    await Promise.all(
      WORKFLOW_FUNCTIONS.map(async (spec) => {
        const load = WORKFLOW_HANDLERS[spec.placeholder];
        if (!load) throw new Error(`No local handler for workflow function ${spec.placeholder} (${spec.entry})`);
        workflowHandlers.set(`local-${spec.placeholder}`, (await load()).handler);
      }),
    );
    const definition = readFileSync(join(ROOT, LETTER_WORKFLOW_DEFINITION), "utf8");
    let sfn: LocalStepFunctions | undefined;
    const workflow: LocalWorkflowControl = {
      stateMachineArn,
      start: async () => {
        sfn ??= await startLocalStepFunctions({
          dynamo: dynamoClient,
          tableName: WORKFLOW_TABLE,
          region: REGION,
          port: sfnPort,
          stateMachines: [
            {
              name: LETTER_WORKFLOW_NAME,
              definition,
              substitutions: Object.fromEntries(WORKFLOW_FUNCTIONS.map((f) => [f.placeholder, `local-${f.placeholder}`])),
            },
          ],
          resolveLambda: (name) => workflowHandlers.get(name),
          now: options.clock,
        });
      },
      stop: async () => {
        const running = sfn;
        sfn = undefined;
        await running?.stop();
      },
      runDueTimers: async () => {
        await sfn?.runDueTimers();
      },
    };
    await workflow.start();
    stops.push(() => workflow.stop());

    const streamsClient = new DynamoDBStreamsClient({ region: REGION, endpoint: dynamo.endpoint, credentials });
    stops.push(() => streamsClient.destroy());
    const poller = await startStreamPoller({
      dynamo: dynamoClient,
      streams: streamsClient,
      checkpointTable: CHECKPOINT_TABLE,
      // As the cloud's event source mappings (lib/constructs/stream-consumer.ts): a batch is retried
      // for many minutes, so a consumer whose service is down (the workflow engine) catches up after.
      maxAttempts: 50,
      consumers: await Promise.all(
        STREAM_CONSUMERS.map(async (spec): Promise<StreamConsumer> => {
          const load = STREAM_HANDLERS[spec.entry];
          if (!load) throw new Error(`No local handler for stream consumer ${spec.name} (${spec.entry})`);
          return { name: spec.name, tableName: tables[spec.table], handler: (await load()).handler, batchSize: spec.batchSize };
        }),
      ),
    });
    stops.push(() => poller.stop());

    // The overdue digest: one daily job per agency at its digest time, in its timezone. A run with
    // unsent digests throws, is retried with backoff and, after the last attempt, is kept in the
    // failed-mail list, as the cloud's retries end in the dead-letter queue.
    const digest = await import("../functions/scheduled/overdue-digest");
    const directory = new DirectoryStore(doc, tables.directory);
    const failedRuns = new FailedRunStore(dynamoClient, CHECKPOINT_TABLE);
    await failedRuns.ensure();
    const digestPrefix = digestScheduleId("");
    const scheduler = startLocalScheduler({
      retryDelaysMs: options.schedulerRetry?.delaysMs,
      sleep: options.schedulerRetry?.sleep,
      onFailure: (run) => failedRuns.save(run),
      schedules: async () =>
        Promise.all(
          (await directory.listAgencies()).map(async (agency): Promise<DailySchedule> => {
            const settings = await directory.getSettings(agency.id);
            return {
              id: digestScheduleId(agency.id),
              time: settings.digestTime,
              timezone: settings.timezone,
              run: async () => {
                await digest.handler({ agencyId: agency.id });
              },
            };
          }),
        ),
    });
    stops.push(() => scheduler.stop());

    const handlers: Record<string, ProxyHandler> = {
      dev: createDevHandler({
        listMail: (q) => mailbox.list(q),
        runDigest: () => digest.runDigest({ allAgencies: true }),
        listFailedMail: () => listFailedBatches(dynamoClient, CHECKPOINT_TABLE, NOTIFICATIONS_CONSUMER),
        listFailedDigests: async () =>
          (await failedRuns.list())
            .filter((run) => run.scheduleId.startsWith(digestPrefix))
            .map((run) => ({
              failedAt: run.failedAt.toISOString(),
              error: run.error,
              agencyId: run.scheduleId.slice(digestPrefix.length),
              attempts: run.attempts,
            })),
      }),
    };
    await Promise.all(
      HANDLER_GROUPS.map(async (group) => {
        handlers[group] = (await HTTP_HANDLERS[group]()).handler;
      }),
    );
    const webDir = await webBuild;
    const gateway = await startGateway({ port: gatewayPort, handlers, webDir });
    stops.push(() => gateway.stop());
    log(`Gateway listening on ${url}`);

    return {
      url,
      port: gateway.port,
      dataDir,
      seeded,
      endpoints: { dynamodb: dynamo.endpoint, s3: s3.endpoint, sfn: sfnEndpoint, mail: mailbox.endpoint },
      mailbox,
      workflow,
      scheduler,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
