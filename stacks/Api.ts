import { Api as SstApi, StackContext, use, type FunctionProps } from "sst/constructs";
import { Storage } from "./Storage.js";
import { Email } from "./Email.js";
import { Workflow } from "./Workflow.js";
import { apiRoutes } from "./api-routes.js";
import { NagSuppressions } from "cdk-nag";
import { suppressions } from "./nag.js";
import { CfnRoute, CfnStage } from "aws-cdk-lib/aws-apigatewayv2";
import { HostedZone } from "aws-cdk-lib/aws-route53";
import { stageConfig } from "./config.js";
import { apiAccessFor, fileStatements, machineRef, stateMachineStatements, tableStatements } from "./permissions.js";

/** Requests per second (and bursts) of the whole stage; the WAF limits each client IP on top (stacks/Edge.ts). */
export const defaultThrottle = { rate: 200, burst: 400 } as const;

/**
 * Stricter limits (for all callers together) on the routes anyone may call without a session,
 * each of which sends an e-mail or spends a link: a flood of them is refused (429) here before
 * it reaches a function. The WAF's per-IP rule keeps one client from using them all up.
 */
export const routeThrottles: Record<string, { rate: number; burst: number }> = {
  "POST /api/auth/link": { rate: 10, burst: 20 },
  "POST /api/auth/callback": { rate: 20, burst: 40 },
  "POST /approve/{approvalId}": { rate: 20, burst: 40 },
};

/** Routes that need more than the defaults (none today: a batch file is handed out as a presigned URL, never built in a request). */
const routeFunction: Record<string, Pick<FunctionProps, "timeout" | "memorySize" | "copyFiles">> = {};

export function Api({ stack, app }: StackContext) {
  const { table, key, files, filesKey } = use(Storage);
  const email = use(Email);
  const workflow = use(Workflow);
  // With custom domains the API answers only on its own domain, CloudFront's origin for /api/*
  // and /approve/* (stacks/Web.ts): the execute-api address, which would bypass the WAF, is off.
  const { domains } = stageConfig(app.stage);

  const api = new SstApi(stack, "Http", {
    defaults: {
      function: {
        environment: {
          ...workflow.environment,
          APPROVAL_STATE_MACHINE_ARN: workflow.approval.stateMachineArn,
          CYCLE_STATE_MACHINE_ARN: workflow.cycle.stateMachineArn,
        },
        timeout: 15,
        memorySize: 512,
      },
      throttle: defaultThrottle,
    },
    ...(domains
      ? {
          customDomain: {
            domainName: domains.api,
            cdk: { hostedZone: HostedZone.fromHostedZoneAttributes(stack, "Zone", { hostedZoneId: domains.hostedZoneId, zoneName: domains.hostedZoneName }) },
          },
        }
      : {}),
    cdk: { httpApi: { disableExecuteApiEndpoint: domains !== undefined } },
    // SST's default access-log fields (no bodies, no headers), kept six months like every log group.
    accessLog: { retention: "six_months" },
    routes: Object.fromEntries(
      Object.entries(apiRoutes).map(([route, file]) => [route, { function: { handler: `functions/api/${file}.handler`, ...routeFunction[file] } }]),
    ),
  });
  // Per-route limits; the stage waits for those routes (API Gateway refuses settings of unknown routes).
  const cfnStage = api.cdk.httpApi.defaultStage!.node.defaultChild as CfnStage;
  cfnStage.routeSettings = Object.fromEntries(
    Object.entries(routeThrottles).map(([route, { rate, burst }]) => [route, { ThrottlingRateLimit: rate, ThrottlingBurstLimit: burst }]),
  );
  for (const route of api.node.findAll().filter((c): c is CfnRoute => c instanceof CfnRoute)) {
    if (typeof route.routeKey === "string" && route.routeKey in routeThrottles) cfnStage.addDependency(route);
  }
  // Each route's function gets exactly the access stacks/permissions.ts declares for its handler.
  for (const [route, file] of Object.entries(apiRoutes)) {
    const fn = api.getFunction(route)!;
    const access = apiAccessFor(file);
    fn.attachPermissions([
      ...tableStatements(access.table, table.cdk.table, key),
      ...(access.sendEmail ? email.sendEmail() : []),
      ...stateMachineStatements(access.approval, machineRef(workflow.approval), stack),
      ...stateMachineStatements(access.cycle, machineRef(workflow.cycle), stack),
      ...fileStatements(access.files, files, filesKey),
    ]);
    if (access.files) {
      fn.addEnvironment("FILES_BUCKET_NAME", files.bucketName);
      NagSuppressions.addResourceSuppressions(fn, [suppressions.batchFiles], true);
    }
    if (access.linkSecret) fn.bind([workflow.linkSecret]);
    for (const state of ["approval", "cycle"] as const) {
      if (access[state]?.includes("describe")) {
        NagSuppressions.addResourceSuppressions(
          fn,
          [
            {
              id: "AwsSolutions-IAM5",
              reason: `states:DescribeExecution on executions of the ${state} machine only; execution names are made at run time.`,
              appliesTo: [{ regex: "/^Resource::arn:<AWS::Partition>:states:.*:execution:.*\\.Name>:\\*$/g" }],
            },
          ],
          true,
        );
      }
    }
  }
  // Who may call a route is decided in the handler: signed, single-use approval links and
  // session cookies from sign-in links (issue 4); API Gateway authorizers cannot check either.
  NagSuppressions.addResourceSuppressions(
    api,
    [{ id: "AwsSolutions-APIG4", reason: "Every handler authorises the caller itself: a session cookie from a single-use sign-in link, or a signed single-use approval link (DESIGN.md, Approval links)." }],
    true,
  );
  stack.addOutputs({ ApiUrl: api.customDomainUrl ?? api.url });
  return { api };
}
