import type { SynthResult, Template } from "../../local/synth.js";
import { apiAccessFor, workflowAccess, type Access } from "../../stacks/permissions.js";
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
