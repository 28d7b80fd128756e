import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import type { Config } from "./config";

/**
 * AWS clients, created once per module load and passed to the stores, so tests can pass their own.
 * Endpoints come from the SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variables (set by the embedded
 * runtime), so the same code runs against AWS and against the local engines.
 *
 * One factory per service: a handler that creates only the clients it uses bundles only those
 * (each SDK client is 20-100 KB minified). Module-level singletons that not every handler of a
 * shared module needs are created with `/* @__PURE__ *\/`, so esbuild drops them where unused.
 */
export interface DynamoClients {
  dynamo: DynamoDBClient;
  doc: DynamoDBDocumentClient;
}

export interface Clients extends DynamoClients {
  s3: S3Client;
  sfn: SFNClient;
  ses: SESv2Client;
}

export function createDynamoClients(config: Pick<Config, "region">): DynamoClients {
  const dynamo = new DynamoDBClient({ region: config.region });
  return {
    dynamo,
    doc: DynamoDBDocumentClient.from(dynamo, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    }),
  };
}

export function createS3Client(config: Pick<Config, "region" | "s3ForcePathStyle">): S3Client {
  // Presigning needs checksums only when required (DESIGN.md section 9).
  return new S3Client({
    region: config.region,
    forcePathStyle: config.s3ForcePathStyle,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/**
 * A slow workflow engine or mail service must not hold up a request: the letter is already saved
 * when the workflow is told, and the stream consumers catch up later. So these calls give up fast
 * (the SDK's default would wait on a silent socket for many minutes).
 */
export const QUICK_CALL_TIMEOUTS = { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true } as const;

export function createSfnClient(config: Pick<Config, "region">): SFNClient {
  return new SFNClient({ region: config.region, maxAttempts: 2, requestHandler: QUICK_CALL_TIMEOUTS });
}

export function createSesClient(config: Pick<Config, "region">): SESv2Client {
  return new SESv2Client({ region: config.region, maxAttempts: 2, requestHandler: QUICK_CALL_TIMEOUTS });
}

/** EventBridge Scheduler, for the consumer that keeps the digest schedules; a failed call is retried from the stream. */
export function createSchedulerClient(config: Pick<Config, "region">): SchedulerClient {
  return new SchedulerClient({ region: config.region, maxAttempts: 2, requestHandler: QUICK_CALL_TIMEOUTS });
}

/** Every client, for the one handler that talks to all services (health). */
export function createClients(config: Config): Clients {
  return {
    ...createDynamoClients(config),
    s3: createS3Client(config),
    sfn: createSfnClient(config),
    ses: createSesClient(config),
  };
}
