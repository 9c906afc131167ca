import type { SynthResult, Template } from "../../local/synth.js";
import { apiAccessFor, workflowAccess, type Access, type FileAction, type StateMachineAction } from "../../stacks/permissions.js";
import { shortStackName } from "../support/templates.js";

/** A Karta function (one with a `karta:handler`) of a synthesised stage, with its role's policy. */
export interface KartaFunction {
  stack: string;
  logicalId: string;
  handler: string;
  properties: any;
  roleId: string;
  statements: Statement[];
  /** Directory of its bundle in the cloud assembly. */
  bundleDir?: string;
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

export function kartaFunctions(synth: SynthResult, stage: string): KartaFunction[] {
  const result: KartaFunction[] = [];
  for (const [stackName, template] of Object.entries(synth.templates)) {
    const stack = shortStackName(stage, stackName);
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      const handler = resource.Metadata?.["karta:handler"];
      if (resource.Type !== "AWS::Lambda::Function" || typeof handler !== "string") continue;
      const roleId = resource.Properties.Role["Fn::GetAtt"][0] as string;
      const s3Key = String(resource.Properties.Code?.S3Key ?? "");
      result.push({
        stack,
        logicalId,
        handler,
        properties: resource.Properties,
        roleId,
        statements: policiesOf(template, roleId),
        bundleDir: synth.assets[s3Key.replace(/\.zip$/, "")],
      });
    }
  }
  return result;
}

function policiesOf(template: Template, roleId: string): Statement[] {
  return Object.values(template.Resources)
    .filter((r) => r.Type === "AWS::IAM::Policy" && JSON.stringify(r.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
}

/** The access stacks/permissions.ts declares for a handler ("functions/api/health.handler"). */
export function accessOf(handler: string): Access {
  const [, kind, file] = /^functions\/(api|workflow)\/([a-z0-9-]+)\.handler$/.exec(handler)!;
  return kind === "workflow" ? workflowAccess[file] : apiAccessFor(file);
}

export const actionsOf = (statements: Statement[], prefix: string): string[] =>
  [...new Set(statements.flatMap((s) => [s.Action].flat()).filter((a) => a.startsWith(prefix)))].sort();

/**
 * What a bundle takes from the AWS SDK. The SDK is external (stacks/bundling.ts), so esbuild
 * leaves import statements with the original names of the SDK exports
 * (`import{PutCommand as a,QueryCommand as b}from"@aws-sdk/lib-dynamodb"`). esbuild keeps an
 * import specifier even when the code that used it was tree-shaken away (an adapter imports
 * every command it may send), so a name counts only when its local binding is referenced
 * somewhere else in the bundle (not as an object key). `opaque` lists SDK packages loaded in a way the names cannot be
 * read from (a namespace or default import, require(), a dynamic import).
 */
export function sdkImportsOf(code: string): { names: Record<string, string[]>; opaque: string[] } {
  const names: Record<string, string[]> = {};
  const opaque: string[] = [];
  const statements = /import\s*([^;'"]*?)\s*from\s*["'](@aws-sdk\/[^"']+)["'];?/g;
  const rest = code.replace(statements, ";");
  // A minified binding can be a short word ("by") that is also an object key (`{by:x}`, `,by:x`):
  // a key is not a reference.
  const referenced = (local: string) =>
    [...rest.matchAll(new RegExp(`(?<![\\w$.])${local.replace(/\$/g, "\\$")}(?![\\w$])`, "g"))].some(
      (m) => !(/[{,]\s*$/.test(rest.slice(Math.max(0, m.index - 8), m.index)) && /^\s*:/.test(rest.slice(m.index + local.length, m.index + local.length + 4))),
    );
  const constructed = (local: string) => new RegExp(`(?<![\\w$.])new\\s+${local.replace(/\$/g, "\\$")}\\s*\\(`).test(rest);
  for (const m of code.matchAll(statements)) {
    const [, clause, pkg] = m;
    const braces = /^\{([^}]*)\}$/.exec(clause.trim());
    if (!braces) {
      opaque.push(pkg);
      continue;
    }
    const used = braces[1]
      .split(",")
      .map((s) => s.trim().split(/\s+as\s+/))
      // A command is used by constructing it; the minifier reuses short names in nested scopes, so a
      // bare reference of a command's binding can be another variable (seen: `DescribeExecutionCommand`).
      .filter(([name, local]) => name && (name.endsWith("Command") ? constructed(local ?? name) : referenced(local ?? name)))
      .map(([name]) => name);
    names[pkg] = [...new Set([...(names[pkg] ?? []), ...used])].sort();
  }
  for (const m of code.matchAll(/(?:require|import)\s*\(\s*["'](@aws-sdk\/[^"']+)["']\s*\)/g)) opaque.push(m[1]);
  return { names, opaque: [...new Set(opaque)].sort() };
}

const dynamoWrites = /^(Put|Update|Delete|BatchWrite|TransactWrite)(Item)?Command$|^(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems)Command$/;
const sfnCommands: Record<string, StateMachineAction> = {
  StartExecutionCommand: "start",
  SendTaskSuccessCommand: "succeed-task",
  SendTaskFailureCommand: "fail-task",
  DescribeExecutionCommand: "describe",
};

const s3Commands: Record<string, FileAction> = {
  PutObjectCommand: "put",
  GetObjectCommand: "get",
  // a multipart upload (lib-storage's Upload) is writing too: s3:PutObject and s3:AbortMultipartUpload
  CreateMultipartUploadCommand: "put",
  UploadPartCommand: "put",
  CompleteMultipartUploadCommand: "put",
  AbortMultipartUploadCommand: "put",
};

/**
 * Compares what a bundle calls with what stacks/permissions.ts declares for it and returns the
 * differences (empty when they agree). A handler that calls no AWS service yet is checked one
 * way only: it may be declared more than it uses.
 */
export function accessMismatches(code: string, access: Access): string[] {
  const { names, opaque } = sdkImportsOf(code);
  const problems: string[] = opaque.map((pkg) => `loads ${pkg} without named imports: what it calls cannot be checked`);
  const dynamoCommands = [...(names["@aws-sdk/lib-dynamodb"] ?? []), ...(names["@aws-sdk/client-dynamodb"] ?? [])].filter((n) => n.endsWith("Command"));
  const sfn = (names["@aws-sdk/client-sfn"] ?? []).filter((n) => n.endsWith("Command"));
  const unknownSfn = sfn.filter((n) => !(n in sfnCommands));
  if (unknownSfn.length) problems.push(`calls states ${unknownSfn.join(", ")}, which stacks/permissions.ts cannot declare`);
  // lib-storage's Upload (from the runtime's SDK) makes the multipart upload commands itself
  const uploads = (names["@aws-sdk/lib-storage"] ?? []).includes("Upload") ? ["CreateMultipartUploadCommand", "UploadPartCommand", "CompleteMultipartUploadCommand", "AbortMultipartUploadCommand", "PutObjectCommand"] : [];
  const s3 = [...(names["@aws-sdk/client-s3"] ?? []).filter((n) => n.endsWith("Command")), ...uploads];
  const unknownS3 = s3.filter((n) => !(n in s3Commands));
  if (unknownS3.length) problems.push(`calls s3 ${unknownS3.join(", ")}, which stacks/permissions.ts cannot declare`);
  const used = {
    dynamodb: dynamoCommands.length > 0,
    write: dynamoCommands.some((n) => dynamoWrites.test(n)),
    sesv2: (names["@aws-sdk/client-sesv2"] ?? []).some((n) => n.endsWith("Command")),
    // SST's Config reads the secret's SSM parameter by name; the name is in the bundle.
    linkSecret: code.includes("LINK_SECRET"),
    sfn: [...new Set(sfn.filter((n) => n in sfnCommands).map((n) => sfnCommands[n]))].sort(),
    files: [...new Set(s3.filter((n) => n in s3Commands).map((n) => s3Commands[n]))].sort(),
  };
  const declared = {
    dynamodb: access.table !== "none",
    write: access.table === "read-write",
    sesv2: Boolean(access.sendEmail),
    linkSecret: Boolean(access.linkSecret),
    sfn: [...new Set([...(access.approval ?? []), ...(access.cycle ?? [])])].sort(),
    // one S3 client for both prefixes: the bundle shows the calls, the grants say where (tests/stacks/infra.test.ts)
    files: [...new Set([...(access.files ?? []), ...(access.archive ?? []), ...(access.pages ?? [])])].sort(),
  };
  const implemented = used.dynamodb || used.sesv2 || sfn.length > 0 || s3.length > 0;
  for (const name of ["dynamodb", "write", "sesv2", "linkSecret"] as const) {
    if (used[name] && !declared[name]) problems.push(`uses ${name} without permission`);
    if (!used[name] && declared[name] && implemented) problems.push(`allowed ${name} but never uses it`);
  }
  for (const action of used.sfn) if (!declared.sfn.includes(action)) problems.push(`calls states ${action} without permission`);
  if (implemented) for (const action of declared.sfn) if (!used.sfn.includes(action)) problems.push(`allowed states ${action} but never calls it`);
  for (const action of used.files) if (!declared.files.includes(action)) problems.push(`calls s3 ${action} without permission`);
  if (implemented) for (const action of declared.files) if (!used.files.includes(action)) problems.push(`allowed s3 ${action} but never calls it`);
  return problems;
}
