import { StackContext, Table } from "sst/constructs";
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { Key } from "aws-cdk-lib/aws-kms";
import { TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import { objectPrefixes } from "../functions/adapters/keys.js";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { NagSuppressions } from "cdk-nag";
import { tableSchema } from "./table-schema.js";
import { stageConfig } from "./config.js";

export function Storage({ stack, app }: StackContext) {
  const config = stageConfig(app.stage);
  const removalPolicy = config.protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
  const key = new Key(stack, "TableKey", {
    description: "Karta table encryption (personal data of assistants and beneficiaries)",
    enableKeyRotation: true,
    removalPolicy,
  });
  const fields = Object.fromEntries(
    [tableSchema.partitionKey, tableSchema.sortKey, ...tableSchema.indexes.flatMap((i) => [i.partitionKey, i.sortKey])].map(
      (name) => [name, "string" as const],
    ),
  );
  const table = new Table(stack, "Data", {
    fields,
    primaryIndex: { partitionKey: tableSchema.partitionKey, sortKey: tableSchema.sortKey },
    // Sessions and sign-in links carry their expiry in epoch seconds: DynamoDB deletes them
    // (within days; the code checks expiry itself). The local stack does the same from the template.
    timeToLiveAttribute: tableSchema.timeToLiveAttribute,
    globalIndexes: Object.fromEntries(
      tableSchema.indexes.map((i) => [i.name, { partitionKey: i.partitionKey, sortKey: i.sortKey }]),
    ),
    cdk: {
      table: {
        pointInTimeRecovery: true,
        deletionProtection: config.protect,
        removalPolicy,
        encryption: TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: key,
      },
    },
  });

  // Payment files and the monthly archive: written once by the workflow, read only through
  // presigned URLs the API hands out after the session and role check (DESIGN.md, second round).
  const filesKey = new Key(stack, "FilesKey", {
    description: "Karta payment files (names, bank accounts and amounts of assistants)",
    enableKeyRotation: true,
    removalPolicy,
  });
  const files = new Bucket(stack, "Files", {
    versioned: true,
    encryption: BucketEncryption.KMS,
    encryptionKey: filesKey,
    bucketKeyEnabled: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    // Accounting proofs are kept 5 years from the end of the settled year: each file carries its
    // own retain-until date (send-batch); the default is the floor for anything written otherwise.
    objectLockEnabled: true,
    objectLockDefaultRetention: ObjectLockRetention.governance(Duration.days(365 * config.retentionYears)),
    lifecycleRules: [
      // The parts a batch's pages write (pages/…) are working copies, locked only for days.
      { id: "batch-pages", prefix: objectPrefixes.pages, expiration: Duration.days(14), noncurrentVersionExpiration: Duration.days(1) },
      // A multipart upload cut short (a step that timed out) leaves no invisible parts behind.
      { id: "abandoned-uploads", abortIncompleteMultipartUploadAfter: Duration.days(2) },
    ],
    removalPolicy,
  });
  NagSuppressions.addResourceSuppressions(files, [
    {
      id: "AwsSolutions-S1",
      reason:
        "Nobody reads the bucket except through a presigned URL the batch-file route hands out after the session and role check, and that route writes an audit event (who, when, which file, which SHA-256) for each; S3 access logs would need a second bucket under the same retention for less.",
    },
  ]);
  stack.addOutputs({ TableName: table.tableName, TableKeyArn: key.keyArn, FilesBucketName: files.bucketName });
  return { table, key, files, filesKey, retentionYears: config.retentionYears };
}
