import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import type { Config } from "./config";

/**
 * AWS clients, created once per module load and passed to the stores, so tests can pass their own.
 * Endpoints come from the SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variables (set by the embedded
 * runtime), so the same code runs against AWS and against the local engines.
 */
export interface Clients {
  dynamo: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  sfn: SFNClient;
  ses: SESv2Client;
}

export function createClients(config: Config): Clients {
  const dynamo = new DynamoDBClient({ region: config.region });
  return {
    dynamo,
    doc: DynamoDBDocumentClient.from(dynamo, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    }),
    // Presigning needs checksums only when required (DESIGN.md section 9).
    s3: new S3Client({
      region: config.region,
      forcePathStyle: config.s3ForcePathStyle,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    }),
    sfn: new SFNClient({ region: config.region, maxAttempts: 2 }),
    ses: new SESv2Client({ region: config.region, maxAttempts: 2 }),
  };
}
