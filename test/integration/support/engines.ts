import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { inject } from "vitest";

/** Credentials (s3rver's account) and region for the local engines; nothing here ever reaches AWS. */
export const LOCAL_AWS = { region: "af-south-1", credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } };

export function dynamoEndpoint(): string {
  return inject("dynamoEndpoint");
}

export function s3Endpoint(): string {
  return inject("s3Endpoint");
}

export function dynamoClient(): DynamoDBClient {
  return new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamoEndpoint() });
}

/** A table-name prefix unique to one test file, so files never see each other's data. */
export function uniquePrefix(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}-`;
}
