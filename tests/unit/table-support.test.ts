import { describe, expect, it } from "vitest";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { localClient } from "../../local/dynamo.js";
import { startTestTable } from "../support/table.js";

describe("test table on dynalite", () => {
  it("creates the table with the three secondary indexes", async () => {
    const table = await startTestTable();
    const client = localClient(table.endpoint);
    const described = await client.send(new DescribeTableCommand({ TableName: table.tableName }));
    expect(described.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(["gsi1", "gsi2", "gsi3"]);
    client.destroy();
    await table.stop();
  });
});
