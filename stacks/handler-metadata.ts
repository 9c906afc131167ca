import type { App } from "sst/constructs";
import { Function as SstFunction } from "sst/constructs";
import { CfnFunction } from "aws-cdk-lib/aws-lambda";

/**
 * Records each function's source handler (e.g. "functions/api/health.handler") as template
 * metadata. AWS ignores it; the embedded local stack reads it to run the same source.
 */
export function tagHandlers(app: App): void {
  for (const construct of app.node.findAll()) {
    if (!(construct instanceof SstFunction)) continue;
    const handler = (construct as unknown as { props: { handler?: string } }).props.handler;
    const cfn = construct.node.defaultChild;
    if (handler && cfn instanceof CfnFunction) cfn.addMetadata("karta:handler", handler);
  }
}
