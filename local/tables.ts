import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type AttributeDefinition,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
} from "@aws-sdk/client-dynamodb";
import { TABLES, type TableKey, type TableSpec } from "../functions/store/tables";

/** Physical table names used by the embedded runtime: `<prefix><LogicalName>`. */
export function localTableNames(prefix: string): Record<TableKey, string> {
  const names = {} as Record<TableKey, string>;
  for (const spec of Object.values(TABLES)) names[spec.key] = `${prefix}${spec.name}`;
  return names;
}

/** Environment variables that carry the table names to the functions. */
export function tableEnv(prefix: string): Record<string, string> {
  const env: Record<string, string> = {};
  const names = localTableNames(prefix);
  for (const spec of Object.values(TABLES)) env[spec.envVar] = names[spec.key];
  return env;
}

/** A table with a `pk`/`sk` key, generic `gsiN` indexes and optionally a stream, created if missing. */
export async function ensureTable(
  client: DynamoDBClient,
  name: string,
  options: { indexes?: readonly string[]; stream?: boolean; ttlAttribute?: string } = {},
): Promise<void> {
  const indexes = options.indexes ?? [];
  const attributes: AttributeDefinition[] = [
    { AttributeName: "pk", AttributeType: "S" },
    { AttributeName: "sk", AttributeType: "S" },
  ];
  const gsis: GlobalSecondaryIndex[] = [];
  for (const index of indexes) {
    attributes.push({ AttributeName: `${index}pk`, AttributeType: "S" }, { AttributeName: `${index}sk`, AttributeType: "S" });
    gsis.push({
      IndexName: index,
      KeySchema: [
        { AttributeName: `${index}pk`, KeyType: "HASH" },
        { AttributeName: `${index}sk`, KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "ALL" },
    });
  }
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: attributes,
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: gsis.length > 0 ? gsis : undefined,
        StreamSpecification: options.stream ? { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" } : undefined,
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: name });
    if (options.ttlAttribute) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: name,
          TimeToLiveSpecification: { AttributeName: options.ttlAttribute, Enabled: true },
        }),
      );
    }
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

/** Creates the application tables of DESIGN.md section 3 that are missing. */
export async function ensureAppTables(client: DynamoDBClient, prefix: string): Promise<Record<TableKey, string>> {
  const names = localTableNames(prefix);
  await Promise.all(
    Object.values(TABLES).map((spec: TableSpec) =>
      ensureTable(client, names[spec.key], {
        indexes: spec.indexes,
        stream: spec.stream,
        ttlAttribute: spec.ttlAttribute,
      }),
    ),
  );
  return names;
}

/** The ARN of a table's latest stream, if it has one. */
export async function latestStreamArn(client: DynamoDBClient, name: string): Promise<string | undefined> {
  const out = await client.send(new DescribeTableCommand({ TableName: name }));
  return out.Table?.LatestStreamArn;
}
