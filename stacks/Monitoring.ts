import { StackContext, use } from "sst/constructs";
import { Duration } from "aws-cdk-lib";
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
  type IMetric,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { Function as LambdaFunction } from "aws-cdk-lib/aws-lambda";
import { Email } from "./Email.js";
import { Workflow } from "./Workflow.js";
import { Api } from "./Api.js";
import { stageConfig } from "./config.js";

/**
 * Alarms to the operators' topic (e-mail from stageConfig().operatorsEmail). Each alarm's
 * description names the section of docs/operations.md that says what to do.
 */
export function Monitoring({ stack, app }: StackContext) {
  const config = stageConfig(app.stage);
  const email = use(Email);
  const workflow = use(Workflow);
  const { api } = use(Api);

  const topic = new Topic(stack, "Alarms", {
    displayName: "Karta alarms",
    masterKey: email.notificationKey,
    enforceSSL: true,
  });
  topic.addSubscription(new EmailSubscription(config.operatorsEmail));
  const action = new SnsAction(topic);

  const alarm = (id: string, metric: IMetric, description: string, threshold = 1) => {
    const created = new Alarm(stack, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `${description} Runbook: docs/operations.md.`,
    });
    created.addAlarmAction(action);
    return created;
  };
  const fiveMinutes = Duration.minutes(5);

  // Executions: a failed, timed-out or aborted monthly cycle or approval needs a person.
  for (const [name, machine] of [
    ["MonthlyCycle", workflow.cycle],
    ["ReportApproval", workflow.approval],
  ] as const) {
    alarm(`${name}Failed`, machine.metricFailed({ period: fiveMinutes }), `${name}: an execution failed ("A failed execution").`);
    alarm(`${name}TimedOut`, machine.metricTimedOut({ period: fiveMinutes }), `${name}: an execution timed out ("A failed execution").`);
    alarm(`${name}Aborted`, machine.metricAborted({ period: fiveMinutes }), `${name}: an execution was aborted ("A failed execution").`);
  }

  // Lambda errors: one alarm per workflow step (each is a named step of a workflow); the API
  // functions in groups of ten (the most metrics one alarm can hold), their 5xx has its own alarm.
  const workflowFunctions = Object.entries(workflow.functions);
  for (const [name, fn] of workflowFunctions) {
    alarm(`${upperFirst(name)}Errors`, fn.metricErrors({ period: fiveMinutes }), `Function ${name} failed ("Lambda errors").`);
  }
  const apiFunctions = api.routes.map((route) => [route, api.getFunction(route)!] as const);
  const all: (readonly [string, LambdaFunction])[] = [...workflowFunctions, ...apiFunctions];
  chunks(apiFunctions, 10).forEach((group, i) =>
    alarm(
      `ApiFunctionErrors${i + 1}`,
      sum(group.map(([, fn]) => fn.metricErrors({ period: fiveMinutes }))),
      `API functions failed: ${group.map(([route]) => route).join(", ")} ("Lambda errors").`,
    ),
  );
  chunks(all, 10).forEach((group, i) =>
    alarm(
      `FunctionThrottles${i + 1}`,
      sum(group.map(([, fn]) => fn.metricThrottles({ period: fiveMinutes }))),
      `Functions throttled: ${group.map(([name]) => name).join(", ")} ("Lambda throttles").`,
    ),
  );

  alarm(
    "Api5xx",
    api.cdk.httpApi.metricServerError({ period: fiveMinutes }),
    "The HTTP API answered 5xx (never expected: bad input is a 4xx) (\"API 5xx\").",
  );

  alarm(
    "FailedCycleStarts",
    workflow.failedStarts.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: "Maximum" }),
    "A scheduled monthly cycle did not start (\"A monthly cycle did not start\").",
  );

  // SES reviews an account at a 5 % bounce rate and may pause sending at 10 %; complaints at 0.1 %.
  alarm(
    "MailBounceRate",
    new Metric({ namespace: "AWS/SES", metricName: "Reputation.BounceRate", statistic: "Maximum", period: Duration.hours(1) }),
    "SES bounce rate reached 4 % (\"A bounced e-mail\").",
    0.04,
  );
  alarm(
    "MailComplaintRate",
    new Metric({ namespace: "AWS/SES", metricName: "Reputation.ComplaintRate", statistic: "Maximum", period: Duration.hours(1) }),
    "SES complaint rate reached 0.08 % (\"A bounced e-mail\").",
    0.0008,
  );

  stack.addOutputs({ AlarmTopicArn: topic.topicArn });
  return { topic };
}

function sum(metrics: IMetric[]): IMetric {
  if (metrics.length === 1) return metrics[0];
  return new MathExpression({
    expression: metrics.map((_, i) => `FILL(m${i}, 0)`).join(" + "),
    usingMetrics: Object.fromEntries(metrics.map((metric, i) => [`m${i}`, metric])),
    period: Duration.minutes(5),
  });
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
