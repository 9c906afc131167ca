import { Stack } from "aws-cdk-lib";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { objectPrefixes } from "../functions/adapters/keys.js";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { tableSchema } from "../functions/adapters/table-schema.js";
import type { StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import type { IConstruct } from "constructs";

/**
 * What each function may do, declared once. The stacks grant exactly this and the stack tests
 * compare every function's IAM policy with it, so a wider grant (or `dynamodb:*`, which an SST
 * `bind` of the table would give) fails CI.
 */
export interface Access {
  table: "none" | "read" | "read-write";
  /** SES SendEmail from the configured identity, through the configuration set (and GetAccount: the send rate it paces to). */
  sendEmail?: boolean;
  /** Reads the link-signing secret (SST Config.Secret LINK_SECRET). */
  linkSecret?: boolean;
  approval?: StateMachineAction[];
  cycle?: StateMachineAction[];
  /** Payment files in the files bucket (objects under batches/ only). */
  files?: FileAction[];
  /** Monthly audit packs in the files bucket (objects under archive/ only). */
  archive?: FileAction[];
  /** Working parts of a batch's files, page by page (objects under pages/ only; kept days, not years). */
  pages?: FileAction[];
}

export type FileAction = "put" | "get";

/** S3 actions of each file capability, and what SSE-KMS asks of the caller's key permissions for it. */
export const fileActions: Record<FileAction, { s3: string[]; kms: string[] }> = {
  // A file is written with its own retain-until date (Object Lock), which is a separate action.
  // A file streamed in parts (multipart upload) may have to abandon them.
  // (S3 decrypts the data key of an SSE-KMS multipart upload to complete it: kms:Decrypt.)
  put: { s3: ["s3:PutObject", "s3:PutObjectRetention", "s3:AbortMultipartUpload"], kms: ["kms:GenerateDataKey", "kms:Decrypt"] },
  // Presigned URLs are signed with the function's role: the reader needs what the URL does.
  get: { s3: ["s3:GetObject", "s3:GetObjectVersion"], kms: ["kms:Decrypt"] },
};

export type StateMachineAction = "start" | "succeed-task" | "fail-task" | "describe";

export const tableActions = {
  read: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable"],
  write: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"],
} as const;

/** What DynamoDB asks of the caller's key permissions (no wildcards: each action named). */
export const keyActions = {
  read: ["kms:Decrypt", "kms:DescribeKey"],
  write: ["kms:Encrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext"],
} as const;

/** IAM actions of each state-machine capability (task responses are authorised on the machine). */
export const stateMachineActions: Record<StateMachineAction, string[]> = {
  start: ["states:StartExecution"],
  "succeed-task": ["states:SendTaskSuccess"],
  "fail-task": ["states:SendTaskFailure"],
  describe: ["states:DescribeExecution"],
};

/** Workflow task functions, keyed by handler file in functions/workflow/. */
export const workflowAccess: Record<string, Access> = {
  // Completes its own task at once when the decision was recorded while it was not waiting.
  "ask-approver": { table: "read-write", sendEmail: true, linkSecret: true, approval: ["succeed-task"] },
  "remind-approver": { table: "read-write", sendEmail: true, linkSecret: true },
  "finish-approval": { table: "read-write", sendEmail: true },
  "plan-month": { table: "read-write" },
  "remind-assistants": { table: "read-write", sendEmail: true },
  "close-intake": { table: "read-write", sendEmail: true },
  // Signs the per-approval links of the approvers' daily digest (shared with remind-approver).
  "check-decisions": { table: "read-write", sendEmail: true, linkSecret: true },
  // Plans the batch's pages (pages/…/plan.json, read by the Distributed Map).
  "build-batch": { table: "read-write", sendEmail: true, pages: ["put"] },
  // One page of the batch's files: its parts and their index.
  "write-batch-page": { table: "read", pages: ["put"] },
  // Joins the pages' parts into the three files and records them on the batch.
  "assemble-batch": { table: "read-write", pages: ["get"], files: ["put"] },
  // Attaches the stored files (or links to them).
  "send-batch": { table: "read-write", sendEmail: true, files: ["get"] },
  "notify-assistants": { table: "read-write", sendEmail: true },
  // Reads the month's stored payment files into the audit pack and stores the pack once.
  "archive-month": { table: "read-write", files: ["get"], archive: ["put"] },
  // Names the execution cycle-<programme>-<YYYY-MM>; a duplicate start answers ExecutionAlreadyExists.
  // Reads the table's programmes: the monthly schedule starts every programme's month.
  "start-cycle": { table: "read", cycle: ["start"] },
  // Removes drafts past retention and anonymises old outbox records; never touches the files bucket.
  "retention-clean-up": { table: "read-write" },
  // Not a state: SNS invokes it with SES's bounces and complaints (stacks/Email.ts); marks people and outbox records.
  "mail-events": { table: "read-write" },
};

/**
 * API handlers, keyed by handler file in functions/api/ (see functions/api/lib/routes.ts). A route not
 * listed gets `defaultApiAccess`: table read-write and nothing else. A handler that sends
 * e-mail, signs links or starts or answers an execution must be listed; the stack tests compare
 * what each bundle calls with what is declared here.
 */
export const apiAccess: Record<string, Access> = {
  health: { table: "none" },
  // 405/404 for what no route takes: reads only the route table bundled with it
  "not-routed": { table: "none" },
  "auth-link": { table: "read-write", sendEmail: true },
  // The link's page only reads whether the link is usable; the POST (auth-callback) uses it.
  "auth-callback-page": { table: "read" },
  me: { table: "read" },
  "list-my-orders": { table: "read" },
  "list-my-reports": { table: "read" },
  "get-report": { table: "read" },
  "report-versions": { table: "read" },
  "report-audit": { table: "read" },
  "pending-approvals": { table: "read" },
  "submit-report": { table: "read-write", approval: ["start"] },
  "decide-approval": { table: "read-write", approval: ["succeed-task"] },
  "approval-link-page": { table: "read-write", linkSecret: true },
  "approval-link-decide": { table: "read-write", linkSecret: true, approval: ["succeed-task"] },
  openapi: { table: "none" },
  "list-programmes": { table: "read" },
  "get-programme": { table: "read" },
  "list-people": { table: "read" },
  // Reads the person's data and appends the record of the export (a conditional create).
  "person-data-export": { table: "read-write" },
  "programme-versions": { table: "read" },
  "list-contracts": { table: "read" },
  "contract-versions": { table: "read" },
  "programme-contract-ends": { table: "read" },
  // A programme created mid-month has its month's cycle started at once (the schedule runs on the 1st).
  "create-programme": { table: "read-write", cycle: ["start"] },
  "list-beneficiaries": { table: "read" },
  "list-orders": { table: "read" },
  "programme-reports": { table: "read" },
  "cycle-status": { table: "read", cycle: ["describe"] },
  "import-orders": { table: "read-write" },
  "programme-overview": { table: "read" },
  "list-batches": { table: "read" },
  "batch-file": { table: "read-write", files: ["get"] },
  "payment-summary": { table: "read" },
  "list-centre-people": { table: "read" },
  "remove-person-role": { table: "read-write" },
  // writes the audit event of the file it generates
  "payment-file": { table: "read-write" },
};

export const defaultApiAccess: Access = { table: "read-write" };

export function apiAccessFor(file: string): Access {
  return apiAccess[file] ?? defaultApiAccess;
}

/** Explicit table actions on the table and its indexes, and the key use DynamoDB needs for them. */
export function tableStatements(access: Access["table"], table: ITable, key: IKey): PolicyStatement[] {
  if (access === "none") return [];
  const write = access === "read-write";
  const region = Stack.of(table).region;
  return [
    new PolicyStatement({
      actions: [...tableActions.read, ...(write ? tableActions.write : [])],
      resources: [table.tableArn, ...tableSchema.indexes.map((index) => `${table.tableArn}/index/${index.name}`)],
    }),
    new PolicyStatement({
      actions: [...keyActions.read, ...(write ? keyActions.write : [])],
      resources: [key.keyArn],
      // The key is usable only through DynamoDB, never directly.
      conditions: { StringEquals: { "kms:ViaService": `dynamodb.${region}.amazonaws.com` } },
    }),
  ];
}

/** A state machine as IAM sees it; `name` may be a plain string so that no reference cycle arises. */
export interface MachineRef {
  arn: string;
  name: string;
}

export function machineRef(machine: StateMachine): MachineRef {
  return { arn: machine.stateMachineArn, name: machine.stateMachineName };
}

export function stateMachineStatements(actions: StateMachineAction[] | undefined, machine: MachineRef, scope: IConstruct): PolicyStatement[] {
  if (!actions?.length) return [];
  const statements: PolicyStatement[] = [];
  const onMachine = actions.filter((a) => a !== "describe").flatMap((a) => stateMachineActions[a]);
  if (onMachine.length) statements.push(new PolicyStatement({ actions: onMachine, resources: [machine.arn] }));
  if (actions.includes("describe")) {
    // Executions have their own ARNs: …:execution:<machine name>:<execution name>.
    const stack = Stack.of(scope);
    statements.push(
      new PolicyStatement({
        actions: stateMachineActions.describe,
        resources: [`arn:${stack.partition}:states:${stack.region}:${stack.account}:execution:${machine.name}:*`],
      }),
    );
  }
  return statements;
}

/**
 * Every API function of a stage with custom domains reads the origin-verify secret, the value
 * CloudFront sends in its origin header (functions/adapters/origin-verify.ts): only that action
 * on that one secret.
 */
export function originVerifyStatements(secretArn: string): PolicyStatement[] {
  return [new PolicyStatement({ actions: ["secretsmanager:GetSecretValue"], resources: [secretArn] })];
}

/** Explicit object actions on the objects under one prefix (not the whole bucket), and the key use S3 needs for them. */
export function fileStatements(actions: FileAction[] | undefined, bucket: IBucket, key: IKey, prefix: string = objectPrefixes.batchFiles): PolicyStatement[] {
  if (!actions?.length) return [];
  const region = Stack.of(bucket).region;
  return [
    new PolicyStatement({ actions: actions.flatMap((a) => fileActions[a].s3), resources: [bucket.arnForObjects(`${prefix}*`)] }),
    new PolicyStatement({
      actions: actions.flatMap((a) => fileActions[a].kms),
      resources: [key.keyArn],
      // The key is usable only through S3, never directly.
      conditions: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
    }),
  ];
}
