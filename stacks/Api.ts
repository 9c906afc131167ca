import { Api as SstApi, StackContext, use, type FunctionProps } from "sst/constructs";
import { Storage } from "./Storage.js";
import { Email } from "./Email.js";
import { Workflow } from "./Workflow.js";
import { apiRoutes } from "../functions/api/lib/routes.js";
import { NagSuppressions } from "cdk-nag";
import { suppressions } from "./nag.js";
import { CfnRoute, CfnStage } from "aws-cdk-lib/aws-apigatewayv2";
import { HostedZone } from "aws-cdk-lib/aws-route53";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { stageConfig } from "./config.js";
import { ORIGIN_VERIFY_HEADER } from "../functions/core/origin-verify.js";
import { apiAccessFor, fileStatements, machineRef, originVerifyStatements, stateMachineStatements, tableStatements } from "./permissions.js";

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
  // An HTTP API cannot have a WAF web ACL and its custom domain stays public: CloudFront sends
  // this secret in its origin header (stacks/Web.ts) and every function refuses a request
  // without it (functions/adapters/origin-verify.ts). Trial stages without domains have none.
  // Encrypted with Secrets Manager's AWS-managed key: no other secret of the app uses a
  // customer-managed one (LINK_SECRET is an SST Config.Secret in SSM), and CloudFront holds the
  // value in its distribution config anyway.
  const originVerify = domains
    ? new Secret(stack, "OriginVerify", {
        description: `Karta ${app.stage}: the value CloudFront sends to the API in ${ORIGIN_VERIFY_HEADER} (docs/operations.md)`,
        generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      })
    : undefined;
  if (originVerify)
    NagSuppressions.addResourceSuppressions(originVerify, [
      {
        id: "AwsSolutions-SMG4",
        reason: "Rotated by hand (docs/operations.md, \"Rotating the origin-verify secret\"): CloudFront reads the value only when the distribution is updated, so a rotation is a new version plus a deploy naming it (KARTA_ORIGIN_VERIFY_VERSION); the functions accept AWSCURRENT and AWSPREVIOUS meanwhile.",
      },
    ]);

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
      ...(originVerify ? originVerifyStatements(originVerify.secretArn) : []),
    ]);
    if (originVerify) fn.addEnvironment("ORIGIN_VERIFY_SECRET_ARN", originVerify.secretArn);
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
  return { api, originVerify };
}
