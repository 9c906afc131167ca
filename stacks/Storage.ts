import { StackContext, Table } from "sst/constructs";
import { RemovalPolicy } from "aws-cdk-lib";
import { Key } from "aws-cdk-lib/aws-kms";
import { TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import { tableSchema } from "./table-schema.js";
import { stageConfig } from "./config.js";

export function Storage({ stack, app }: StackContext) {
  const config = stageConfig(app.stage);
  const key = new Key(stack, "TableKey", {
    description: "Karta table encryption (personal data of assistants and beneficiaries)",
    enableKeyRotation: true,
    removalPolicy: config.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  const fields = Object.fromEntries(
    [tableSchema.partitionKey, tableSchema.sortKey, ...tableSchema.indexes.flatMap((i) => [i.partitionKey, i.sortKey])].map(
      (name) => [name, "string" as const],
    ),
  );
  const table = new Table(stack, "Data", {
    fields,
    primaryIndex: { partitionKey: tableSchema.partitionKey, sortKey: tableSchema.sortKey },
    globalIndexes: Object.fromEntries(
      tableSchema.indexes.map((i) => [i.name, { partitionKey: i.partitionKey, sortKey: i.sortKey }]),
    ),
    cdk: {
      table: {
        pointInTimeRecovery: true,
        deletionProtection: config.protect,
        removalPolicy: config.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        encryption: TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: key,
      },
    },
  });
  stack.addOutputs({ TableName: table.tableName, TableKeyArn: key.keyArn });
  return { table, key };
}
