import { randomUUID } from "node:crypto";
import { tableSchema } from "../../functions/adapters/table-schema.js";
import { ensureTable, startDynalite, type TableProperties } from "../../local/dynamo.js";

/** The table's CloudFormation shape built from the same layout the Storage stack uses. */
export function tablePropertiesFromSchema(): TableProperties {
  const names = [
    tableSchema.partitionKey,
    tableSchema.sortKey,
    ...tableSchema.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ];
  return {
    KeySchema: [
      { AttributeName: tableSchema.partitionKey, KeyType: "HASH" },
      { AttributeName: tableSchema.sortKey, KeyType: "RANGE" },
    ],
    AttributeDefinitions: names.map((name) => ({ AttributeName: name, AttributeType: "S" })),
    GlobalSecondaryIndexes: tableSchema.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: "HASH" },
        { AttributeName: index.sortKey, KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "ALL" },
    })),
  };
}

/**
 * Starts an in-memory dynalite with a fresh Karta table and points the adapters at it
 * (TABLE_NAME, AWS_ENDPOINT_URL_DYNAMODB). Each test file gets its own.
 */
export async function startTestTable(): Promise<{ endpoint: string; tableName: string; stop(): Promise<void> }> {
  const dynamo = await startDynalite();
  const tableName = `karta-test-${randomUUID().slice(0, 8)}`;
  await ensureTable(dynamo.endpoint, tableName, tablePropertiesFromSchema());
  process.env.TABLE_NAME = tableName;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
  process.env.AWS_REGION ??= "eu-central-1";
  process.env.AWS_ACCESS_KEY_ID ??= "local";
  process.env.AWS_SECRET_ACCESS_KEY ??= "local";
  return { endpoint: dynamo.endpoint, tableName, stop: dynamo.stop };
}
