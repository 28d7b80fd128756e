import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Server } from "node:http";
import { ensureTable } from "../tables";
import { freePort } from "../engines/ports";
import { loadDefinition } from "./definition";
import { ACCOUNT_ID, Engine, type EngineLogger, type StateMachine } from "./engine";
import { startHttpServer } from "./http";
import type { LambdaResolver } from "./lambda";
import { EngineStore } from "./store";

export { loadDefinition, substitute, type ValidatedDefinition, type State, type ChoiceRule } from "./definition";
export { UnsupportedConstructError, DefinitionError, StatesError } from "./errors";
export type { LambdaHandler, LambdaResolver } from "./lambda";
export type { EngineLogger } from "./engine";

export interface LocalStepFunctionsOptions {
  dynamo: DynamoDBClient;
  /** The engine's own table (created if missing). */
  tableName: string;
  /** Default "af-south-1". */
  region?: string;
  stateMachines: { name: string; definition: string | object; substitutions?: Record<string, string> }[];
  resolveLambda: LambdaResolver;
  /** Default: a free loopback port. */
  port?: number;
  /** Injectable clock (epoch ms) for timers and timestamps. */
  now?: () => number;
  logger?: EngineLogger;
}

export interface LocalStepFunctions {
  /** `http://127.0.0.1:<port>`, for `new SFNClient({ endpoint })` or `AWS_ENDPOINT_URL_SFN`. */
  endpoint: string;
  port: number;
  stateMachineArn(name: string): string;
  /** Fires the timers that are due by the engine's clock now (useful with an injected clock). */
  runDueTimers(): Promise<void>;
  /** Stops timers and new work, awaits in-flight work, then closes the HTTP server. */
  stop(): Promise<void>;
}

const silentLogger: EngineLogger = { info: () => undefined, error: () => undefined };

export function stateMachineArnFor(region: string, name: string): string {
  return `arn:aws:states:${region}:${ACCOUNT_ID}:stateMachine:${name}`;
}

/**
 * Starts the embedded Step Functions engine: validates every definition (throwing on anything
 * outside the supported subset), resumes persisted executions and timers, and serves the API.
 */
export async function startLocalStepFunctions(opts: LocalStepFunctionsOptions): Promise<LocalStepFunctions> {
  const region = opts.region ?? "af-south-1";
  const now = opts.now ?? Date.now;
  const logger = opts.logger ?? silentLogger;
  const machines: StateMachine[] = opts.stateMachines.map((m) => ({
    name: m.name,
    arn: stateMachineArnFor(region, m.name),
    definition: loadDefinition(m.definition, m.substitutions),
    createdAt: now(),
  }));
  await ensureTable(opts.dynamo, opts.tableName);
  const engine = new Engine({ store: new EngineStore(opts.dynamo, opts.tableName), machines, resolveLambda: opts.resolveLambda, region, now, logger });
  const port = opts.port ?? (await freePort());
  const server: Server = await startHttpServer(engine, port, (error) =>
    logger.error("Step Functions API request failed", { error: error instanceof Error ? error.message : String(error) }),
  );
  try {
    await engine.resume();
  } catch (error) {
    await engine.stop();
    await closeServer(server);
    throw error;
  }
  logger.info("Local Step Functions listening", { port, stateMachines: machines.map((m) => m.name) });
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stateMachineArn: (name) => stateMachineArnFor(region, name),
    runDueTimers: () => engine.runDueTimers(),
    stop: () => {
      stopped ??= (async () => {
        await engine.stop();
        await closeServer(server);
      })();
      return stopped;
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
