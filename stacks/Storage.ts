import { StackContext, Table } from "sst/constructs";
import { Duration, RemovalPolicy, type Stack } from "aws-cdk-lib";
import { Key } from "aws-cdk-lib/aws-kms";
import { TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import { objectPrefixes } from "../functions/adapters/keys.js";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { NagSuppressions } from "cdk-nag";
import { BackupPlan, BackupPlanRule, BackupResource, BackupSelection, BackupVault } from "aws-cdk-lib/aws-backup";
import { Schedule } from "aws-cdk-lib/aws-events";
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { tableSchema } from "../functions/adapters/table-schema.js";
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
  // Protected stages only: a locked vault cannot be removed with a trial stage.
  const backup = config.protect ? backups(stack, removalPolicy, table.cdk.table.tableArn, files.bucketArn, [key, filesKey]) : undefined;
  stack.addOutputs({
    TableName: table.tableName,
    TableKeyArn: key.keyArn,
    FilesBucketName: files.bucketName,
    ...(backup ? { BackupVaultName: backup.vault.backupVaultName, BackupRoleArn: backup.role.roleArn } : {}),
  });
  return { table, key, files, filesKey, retentionYears: config.retentionYears };
}

/** How long each kind of recovery point is kept (docs/operations.md, "Restoring from AWS Backup"). */
export const backupRetention = { dailyDays: 35, weeklyDays: 13 * 7, monthlyDays: 13 * 31 } as const;

/**
 * AWS Backup beyond point-in-time recovery's 35 days: the table and the files bucket (versioned,
 * as S3 backups need), daily, weekly and monthly, into a vault encrypted with its own key and
 * locked so that no recovery point can be deleted (or its retention shortened) before
 * `dailyDays`. The lock is in governance mode: a principal allowed
 * backup:DeleteBackupVaultLockConfiguration can lift it; compliance mode (irreversible after its
 * grace time) is a decision for the centre, not a default.
 */
function backups(stack: Stack, removalPolicy: RemovalPolicy, tableArn: string, bucketArn: string, dataKeys: Key[]) {
  const vaultKey = new Key(stack, "BackupKey", {
    description: "Karta backup vault (recovery points of the table and the payment files)",
    enableKeyRotation: true,
    removalPolicy,
  });
  const vault = new BackupVault(stack, "BackupVault", {
    encryptionKey: vaultKey,
    lockConfiguration: { minRetention: Duration.days(backupRetention.dailyDays) },
    removalPolicy,
  });
  // Times in UTC, away from the monthly cycle's start (00:05 Warsaw on the 1st) and office hours.
  const rule = (ruleName: string, schedule: Schedule, days: number) =>
    new BackupPlanRule({ ruleName, backupVault: vault, scheduleExpression: schedule, deleteAfter: Duration.days(days), startWindow: Duration.hours(1), completionWindow: Duration.hours(8) });
  const plan = new BackupPlan(stack, "BackupPlan", {
    backupPlanRules: [
      rule("Daily", Schedule.cron({ hour: "1", minute: "30" }), backupRetention.dailyDays),
      rule("Weekly", Schedule.cron({ weekDay: "SUN", hour: "2", minute: "30" }), backupRetention.weeklyDays),
      rule("Monthly", Schedule.cron({ day: "2", hour: "3", minute: "30" }), backupRetention.monthlyDays),
    ],
  });
  const role = new Role(stack, "BackupRole", {
    assumedBy: new ServicePrincipal("backup.amazonaws.com"),
    managedPolicies: [
      "service-role/AWSBackupServiceRolePolicyForBackup",
      "service-role/AWSBackupServiceRolePolicyForRestores",
      "AWSBackupServiceRolePolicyForS3Backup",
      "AWSBackupServiceRolePolicyForS3Restore",
    ].map((name) => ManagedPolicy.fromAwsManagedPolicyName(name)),
  });
  // Backing up KMS-encrypted items and objects (and restoring them) uses their keys.
  role.addToPolicy(
    new PolicyStatement({ actions: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"], resources: dataKeys.map((dataKey) => dataKey.keyArn) }),
  );
  new BackupSelection(stack, "BackupSelection", {
    backupPlan: plan,
    role,
    resources: [BackupResource.fromArn(tableArn), BackupResource.fromArn(bucketArn)],
  });
  NagSuppressions.addResourceSuppressions(
    role,
    [
      {
        id: "AwsSolutions-IAM4",
        reason:
          "AWS Backup's own service-role policies (backup, restore, and their S3 variants) are what AWS documents for a backup selection; they act only where a backup plan points them.",
        appliesTo: [{ regex: "/^Policy::arn:<AWS::Partition>:iam::aws:policy\\/(service-role\\/)?AWSBackupServiceRolePolicyFor(Backup|Restores|S3Backup|S3Restore)$/g" }],
      },
    ],
    true,
  );
  return { vault, plan, role };
}
