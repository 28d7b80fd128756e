import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startDynamoDbLocal, type DynamoDbLocal } from "../../local/engines/dynamodb";
import { startS3Local, type S3Local } from "../../local/engines/s3";

/**
 * Starts the embedded engines once for the integration tests, each on a free loopback port, and
 * stops them (and removes their data) at the end. Tests read the endpoints with `inject()` and
 * isolate themselves with their own table prefix and bucket.
 */
declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    s3Endpoint: string;
    s3Buckets: string[];
  }
}

const BUCKETS = ["it-attachments-1", "it-attachments-2", "it-attachments-3", "it-attachments-4"];

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), "ofisi-it-"));
  let dynamo: DynamoDbLocal | undefined;
  let s3: S3Local | undefined;
  try {
    [dynamo, s3] = await Promise.all([
      startDynamoDbLocal(),
      startS3Local({ dataDir: join(dir, "s3"), buckets: BUCKETS }),
    ]);
  } catch (error) {
    await Promise.allSettled([dynamo?.stop(), s3?.stop()]);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  project.provide("dynamoEndpoint", dynamo.endpoint);
  project.provide("s3Endpoint", s3.endpoint);
  project.provide("s3Buckets", BUCKETS);
  return async () => {
    await Promise.allSettled([dynamo?.stop(), s3?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
}
