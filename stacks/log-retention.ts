import { Aspects, CfnResource, RemovalPolicy, Stack, type IAspect } from "aws-cdk-lib";
import { CfnLogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { IConstruct } from "constructs";
import type { App } from "sst/constructs";
import { Function as SstFunction } from "sst/constructs";

/** Every log group of a deployed stage is kept this long (DOMAIN.md, data protection; docs/operations.md). */
export const logRetentionDays = RetentionDays.SIX_MONTHS;

/**
 * Karta's own functions get their retention from SST (`logRetention` in sst.config.ts, a
 * Custom::LogRetention each). The helpers CDK and SST add — SST's custom-resource handler
 * (the site uploader among its jobs), CDK's log-retention function, custom-resource providers
 * such as S3 auto-delete — have no such setting: Lambda would create /aws/lambda/<name> on
 * first use and keep it forever. This aspect gives each of them its own log group with the
 * retention and points the function at it (LoggingConfig.LogGroup), so the group exists before
 * the function first runs.
 */
class HelperLogGroups implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof CfnResource) || node.cfnResourceType !== "AWS::Lambda::Function") return;
    if (node.node.scope instanceof SstFunction) return; // retention through Custom::LogRetention
    if (node.node.tryFindChild("LogGroup")) return;
    const scope = node.node.scope!;
    const id = `${node.node.id}LogGroup`;
    if (scope.node.tryFindChild(id)) return;
    // No fixed name (a redeployed stage never collides with an old group); removed with its stack.
    const group = new CfnLogGroup(scope, id, { retentionInDays: logRetentionDays });
    group.applyRemovalPolicy(RemovalPolicy.DESTROY);
    node.addPropertyOverride("LoggingConfig.LogGroup", group.ref);
  }
}

export function boundHelperLogs(app: App): void {
  for (const stack of app.node.children.filter((c): c is Stack => c instanceof Stack)) Aspects.of(stack).add(new HelperLogGroups());
}
