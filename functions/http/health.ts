import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { GetAccountCommand } from "@aws-sdk/client-sesv2";
import { DescribeStateMachineCommand } from "@aws-sdk/client-sfn";
import { createClients, type Clients } from "../platform/clients";
import { loadConfig, type Config } from "../platform/config";
import { httpHandler } from "../platform/http";
import { logger } from "../platform/logger";

/**
 * `GET /api/health`: each component is checked on its own, in parallel and with a short timeout,
 * so one failing part shows as `down` while the others still report `ok` (DESIGN.md section 6).
 */
const config = loadConfig();
const clients = createClients(config);

export const COMPONENTS = ["database", "storage", "workflow", "mail", "search"] as const;
export type Component = (typeof COMPONENTS)[number];
export type ComponentStatus = "ok" | "down";

const CHECK_TIMEOUT_MS = 2_000;

type Check = (signal: AbortSignal) => Promise<unknown>;

export function componentChecks(cfg: Config, c: Clients): Record<Component, Check> {
  const probeKey = { pk: { S: "HEALTH" }, sk: { S: "HEALTH" } };
  return {
    database: (abortSignal) =>
      c.dynamo.send(new GetItemCommand({ TableName: cfg.tables.directory, Key: probeKey }), { abortSignal }),
    storage: (abortSignal) => c.s3.send(new HeadBucketCommand({ Bucket: cfg.attachmentsBucket }), { abortSignal }),
    workflow: (abortSignal) =>
      c.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: cfg.stateMachineArn }), { abortSignal }),
    mail: (abortSignal) => c.ses.send(new GetAccountCommand({}), { abortSignal }),
    search: (abortSignal) =>
      c.dynamo.send(new GetItemCommand({ TableName: cfg.tables.search, Key: probeKey }), { abortSignal }),
  };
}

export async function checkHealth(
  checks: Record<Component, Check>,
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<{ status: "ok" | "degraded"; components: Record<Component, ComponentStatus> }> {
  const results = await Promise.all(
    COMPONENTS.map(async (name): Promise<[Component, ComponentStatus]> => {
      try {
        await checks[name](AbortSignal.timeout(timeoutMs));
        return [name, "ok"];
      } catch (error) {
        logger.warn("health check failed", { component: name, error: error instanceof Error ? error.name : "unknown" });
        return [name, "down"];
      }
    }),
  );
  const components = Object.fromEntries(results) as Record<Component, ComponentStatus>;
  const status = results.every(([, s]) => s === "ok") ? "ok" : "degraded";
  return { status, components };
}

const checks = componentChecks(config, clients);

export const handler = httpHandler({
  "GET /api/health": async () => ({ status: 200, body: await checkHealth(checks) }),
});
