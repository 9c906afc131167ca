import { Api as SstApi, StackContext, use } from "sst/constructs";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { Storage } from "./Storage.js";
import { Workflow } from "./Workflow.js";
import { apiRoutes } from "./api-routes.js";

export function Api({ stack }: StackContext) {
  const { table } = use(Storage);
  const workflow = use(Workflow);

  const api = new SstApi(stack, "Http", {
    defaults: {
      function: {
        environment: {
          ...workflow.environment,
          APPROVAL_STATE_MACHINE_ARN: workflow.approval.stateMachineArn,
          CYCLE_STATE_MACHINE_ARN: workflow.cycle.stateMachineArn,
        },
        bind: [table, workflow.linkSecret],
        permissions: [
          new PolicyStatement({ actions: ["ses:SendEmail", "ses:SendRawEmail"], resources: ["*"] }),
        ],
        timeout: 15,
        memorySize: 512,
      },
      throttle: { rate: 200, burst: 400 },
    },
    routes: Object.fromEntries(
      Object.entries(apiRoutes).map(([route, file]) => [route, `functions/api/${file}.handler`]),
    ),
  });
  for (const fn of api.routes.map((route) => api.getFunction(route)!)) {
    workflow.approval.grantStartExecution(fn);
    workflow.approval.grantTaskResponse(fn);
    workflow.cycle.grantStartExecution(fn);
    workflow.cycle.grantRead(fn);
  }
  stack.addOutputs({ ApiUrl: api.url });
  return { api };
}
