import { Api as SstApi, StackContext, use, type FunctionProps } from "sst/constructs";
import { Storage } from "./Storage.js";
import { Email } from "./Email.js";
import { Workflow } from "./Workflow.js";
import { apiRoutes } from "./api-routes.js";
import { NagSuppressions } from "cdk-nag";
import { suppressions } from "./nag.js";
import { apiAccessFor, fileStatements, machineRef, stateMachineStatements, tableStatements } from "./permissions.js";

/** Routes that need more than the defaults (none today: a batch file is handed out as a presigned URL, never built in a request). */
const routeFunction: Record<string, Pick<FunctionProps, "timeout" | "memorySize" | "copyFiles">> = {};

export function Api({ stack }: StackContext) {
  const { table, key, files, filesKey } = use(Storage);
  const email = use(Email);
  const workflow = use(Workflow);

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
      throttle: { rate: 200, burst: 400 },
    },
    // SST's default access-log fields (no bodies, no headers), kept six months like every log group.
    accessLog: { retention: "six_months" },
    routes: Object.fromEntries(
      Object.entries(apiRoutes).map(([route, file]) => [route, { function: { handler: `functions/api/${file}.handler`, ...routeFunction[file] } }]),
    ),
  });
  // Each route's function gets exactly the access stacks/permissions.ts declares for its handler.
  for (const [route, file] of Object.entries(apiRoutes)) {
    const fn = api.getFunction(route)!;
    const access = apiAccessFor(file);
    fn.attachPermissions([
      ...tableStatements(access.table, table.cdk.table, key),
      ...(access.sendEmail ? [email.sendEmail()] : []),
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
  stack.addOutputs({ ApiUrl: api.url });
  return { api };
}
