import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { TABLES } from "../../functions/store/tables";
import { ensureAppTables } from "../../local/tables";
import { dynamoClient, uniquePrefix } from "./support/engines";

describe("local tables", () => {
  it("creates every application table with its indexes and streams, and a second run changes nothing", async () => {
    const client = dynamoClient();
    const prefix = uniquePrefix("tables");
    const names = await ensureAppTables(client, prefix);
    await ensureAppTables(client, prefix);
    for (const spec of Object.values(TABLES)) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: names[spec.key] }));
      expect(Table?.TableStatus).toBe("ACTIVE");
      expect((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName).sort()).toEqual([...spec.indexes].sort());
      expect(Boolean(Table?.StreamSpecification?.StreamEnabled)).toBe(spec.stream);
    }
  });
});
