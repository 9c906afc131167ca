import type { App } from "sst/constructs";
import { Function as SstFunction } from "sst/constructs";
import { Stack } from "aws-cdk-lib";
import type { IConstruct } from "constructs";
import { StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { NagSuppressions, type NagPackSuppression } from "cdk-nag";

/**
 * Findings of the cdk-nag AwsSolutions pack that Karta accepts, each with its reason. The stack
 * tests run the pack over the production app and fail on any finding not suppressed here or
 * next to the resource it concerns (stacks/Workflow.ts, stacks/Api.ts).
 */
const basicExecutionRole: NagPackSuppression = {
  id: "AwsSolutions-IAM4",
  reason:
    "AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch logs (CreateLogGroup, CreateLogStream, PutLogEvents); CDK attaches it to every Lambda role.",
  appliesTo: ["Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
};

const pinnedRuntime: NagPackSuppression = {
  id: "AwsSolutions-L1",
  reason:
    "nodejs22.x is the runtime Karta is built and tested for (DESIGN.md, issue 9); moving to a newer runtime is a tested change of its own, not an automatic one.",
};

export const suppressions = {
  basicExecutionRole,
  pinnedRuntime,
  xray: {
    id: "AwsSolutions-IAM5",
    reason:
      "X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) and, in the e-mailing functions, ses:GetAccount (the send quota they pace to) accept no resource narrower than '*'. They are the only '*' resources in the policy; the stack tests check that.",
    appliesTo: ["Resource::*"],
  },
  functionVersions: {
    id: "AwsSolutions-IAM5",
    reason:
      "CDK grants lambda:InvokeFunction on the function and its versions/aliases (<function arn>:*); the grant is limited to one named function.",
    appliesTo: [{ regex: "/^Resource::<[A-Za-z0-9]+\\.Arn>:\\*$/g" }],
  },
  batchFiles: {
    id: "AwsSolutions-IAM5",
    reason:
      "Object actions on the payment files under batches/ of the one files bucket: object keys hold the batch id and file name, made at run time (functions/adapters/keys.ts objectKeys).",
    appliesTo: [{ regex: "/^Resource::<Files[0-9A-F]+\\.Arn>\\/batches\\/\\*$/g" }],
  },
  pages: {
    id: "AwsSolutions-IAM5",
    reason:
      "Object actions on the working parts of a batch's files under pages/ of the one files bucket: keys hold the batch id, page and part, made at run time (functions/adapters/keys.ts objectKeys).",
    appliesTo: [{ regex: "/^Resource::<Files[0-9A-F]+\\.Arn>\\/pages\\/\\*$/g" }],
  },
  distributedMap: {
    id: "AwsSolutions-IAM5",
    reason:
      "The Distributed Map of the monthly cycle starts and stops its own child executions (execution names are made by Step Functions) and reads its item plan, whose key (pages/<programme>/<month>/<batch>/plan.json) is made at run time.",
    appliesTo: [
      { regex: "/^Resource::arn:<AWS::Partition>:states:.*:execution:.*MonthlyCycle.*:\\*$/g" },
      { regex: "/^Resource::arn:<AWS::Partition>:s3:::<Files[0-9A-F]+>\\/\\*$/g" },
    ],
  },
  archive: {
    id: "AwsSolutions-IAM5",
    reason:
      "Object actions on the monthly audit packs under archive/ of the one files bucket: keys hold the programme, month and chain position, made at run time (functions/adapters/keys.ts objectKeys).",
    appliesTo: [{ regex: "/^Resource::<Files[0-9A-F]+\\.Arn>\\/archive\\/\\*$/g" }],
  },
} satisfies Record<string, NagPackSuppression>;

export function suppressAcceptedFindings(app: App): void {
  for (const construct of app.node.findAll()) {
    if (construct instanceof SstFunction) {
      NagSuppressions.addResourceSuppressions(construct, [pinnedRuntime, basicExecutionRole, suppressions.xray], true);
    } else if (construct instanceof StateMachine) {
      NagSuppressions.addResourceSuppressions(
        construct,
        [
          {
            id: "AwsSolutions-SF1",
            reason:
              "Executions carry reports with personal data (DOMAIN.md, data protection): the log level is ERROR without execution data, on purpose; X-Ray traces show the path.",
          },
          {
            id: "AwsSolutions-IAM5",
            reason:
              "'*' resources are X-Ray (PutTraceSegments, GetSamplingRules…) and CloudWatch Logs delivery (CreateLogDelivery, DescribeLogGroups…), which accept no narrower resource.",
            appliesTo: ["Resource::*"],
          },
          suppressions.functionVersions,
        ],
        true,
      );
    }
  }
  for (const stack of app.node.children.filter((c): c is Stack => c instanceof Stack)) {
    const platform = (construct: IConstruct | undefined, list: NagPackSuppression[]) => {
      if (construct) NagSuppressions.addResourceSuppressions(construct, list, true);
    };
    // SST's per-stack custom-resource handler (secrets, binding parameters) is SST's own code.
    platform((stack as unknown as { customResourceHandler?: IConstruct }).customResourceHandler, [
      { ...pinnedRuntime, reason: "SST's own custom-resource handler; its runtime is chosen by SST 2.49.8, which we pin." },
      basicExecutionRole,
    ]);
    // CDK's log-retention helper sets the retention of each function's log group.
    for (const child of stack.node.children.filter((c) => c.node.id.startsWith("LogRetention"))) {
      platform(child, [
        basicExecutionRole,
        {
          id: "AwsSolutions-IAM5",
          reason: "CDK's log-retention helper calls logs:PutRetentionPolicy/DeleteRetentionPolicy on log groups created later by Lambda, so it cannot name them.",
          appliesTo: ["Resource::*"],
        },
      ]);
    }
  }
}
