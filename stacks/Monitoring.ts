import { Function as SstFunction, StackContext, use } from "sst/constructs";
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
import { EmailSubscription, SmsSubscription, UrlSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { CfnFunction, Function as LambdaFunction } from "aws-cdk-lib/aws-lambda";
import { Operation } from "aws-cdk-lib/aws-dynamodb";
import { Storage } from "./Storage.js";
import { tableSchema } from "../functions/adapters/table-schema.js";
import { Email } from "./Email.js";
import { Workflow } from "./Workflow.js";
import { Api } from "./Api.js";
import { stageConfig } from "./config.js";

/**
 * Alarms to the operators' topic (the subscriptions from stageConfig().operatorsEmails, operatorsSms, operatorsWebhook). Each alarm's
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
  // Every address of KARTA_OPERATORS_EMAIL, and the optional SMS numbers and HTTPS endpoint.
  for (const address of config.operatorsEmails) topic.addSubscription(new EmailSubscription(address));
  for (const number of config.operatorsSms) topic.addSubscription(new SmsSubscription(number));
  if (config.operatorsWebhook) topic.addSubscription(new UrlSubscription(config.operatorsWebhook));
  const action = new SnsAction(topic);

  const { table } = use(Storage);
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
    alarm(`${upperFirst(name)}Errors`, fn.metricErrors({ period: fiveMinutes }), `Function ${name} failed ("Lambda errors and throttles").`);
  }
  const apiFunctions = api.routes.map((route) => [route, api.getFunction(route)!] as const);
  // Any other Karta function of the app (e.g. the mail-events handler of the Email stack), by its construct id.
  const known = new Set<LambdaFunction>([...workflowFunctions.map(([, fn]) => fn), ...apiFunctions.map(([, fn]) => fn)]);
  const otherFunctions = app.node
    .findAll()
    .filter((c): c is SstFunction => c instanceof SstFunction && !known.has(c))
    .map((fn) => [fn.node.id, fn] as const);
  const all: (readonly [string, LambdaFunction])[] = [...workflowFunctions, ...apiFunctions, ...otherFunctions];
  chunks(otherFunctions, 10).forEach((group, i) =>
    alarm(
      `OtherFunctionErrors${i + 1}`,
      sum(group.map(([, fn]) => fn.metricErrors({ period: fiveMinutes }))),
      `Functions failed: ${group.map(([name]) => name).join(", ")} ("Lambda errors and throttles").`,
    ),
  );
  chunks(apiFunctions, 10).forEach((group, i) =>
    alarm(
      `ApiFunctionErrors${i + 1}`,
      sum(group.map(([, fn]) => fn.metricErrors({ period: fiveMinutes }))),
      `API functions failed: ${group.map(([route]) => route).join(", ")} ("Lambda errors and throttles").`,
    ),
  );
  chunks(all, 10).forEach((group, i) =>
    alarm(
      `FunctionThrottles${i + 1}`,
      sum(group.map(([, fn]) => fn.metricThrottles({ period: fiveMinutes }))),
      `Functions throttled: ${group.map(([name]) => name).join(", ")} ("Lambda errors and throttles").`,
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

  // DynamoDB throttling (on-demand tables throttle above twice their previous peak, or at a
  // partition's limit): throttle events of the table and each index, and throttled requests.
  const throttleMetrics = [undefined, ...tableSchema.indexes.map((index) => index.name)].flatMap((index) =>
    ["ReadThrottleEvents", "WriteThrottleEvents"].map(
      (metricName) =>
        new Metric({
          namespace: "AWS/DynamoDB",
          metricName,
          dimensionsMap: { TableName: table.tableName, ...(index ? { GlobalSecondaryIndexName: index } : {}) },
          statistic: "Sum",
          period: fiveMinutes,
        }),
    ),
  );
  alarm("TableThrottleEvents", sum(throttleMetrics), `DynamoDB throttled reads or writes of the table or its indexes ${tableSchema.indexes.map((i) => i.name).join(", ")} ("DynamoDB throttling").`);
  alarm(
    "TableThrottledRequests",
    sum(
      [Operation.GET_ITEM, Operation.PUT_ITEM, Operation.UPDATE_ITEM, Operation.DELETE_ITEM, Operation.QUERY, Operation.BATCH_GET_ITEM, Operation.BATCH_WRITE_ITEM, Operation.TRANSACT_WRITE_ITEMS, Operation.SCAN].map(
        (operation) =>
          new Metric({ namespace: "AWS/DynamoDB", metricName: "ThrottledRequests", dimensionsMap: { TableName: table.tableName, Operation: operation }, statistic: "Sum", period: fiveMinutes }),
      ),
    ),
    'DynamoDB refused requests to the table for throttling ("DynamoDB throttling").',
  );

  // A function whose longest run in 5 minutes reached 80 % of its timeout is about to time out:
  // MAX over the group of (Duration Maximum / timeout), ten functions an alarm.
  chunks(all, 10).forEach((group, i) => {
    const timeouts = group.map(([, fn]) => timeoutSeconds(fn) * 1000);
    alarm(
      `FunctionsNearTimeout${i + 1}`,
      new MathExpression({
        expression: `MAX([${group.map((_, j) => `FILL(d${j}, 0) / ${timeouts[j]}`).join(", ")}])`,
        usingMetrics: Object.fromEntries(group.map(([, fn], j) => [`d${j}`, fn.metricDuration({ period: fiveMinutes, statistic: "Maximum" })])),
        period: fiveMinutes,
        label: "Longest run / timeout",
      }),
      `A function ran for 80 % of its timeout or more: ${group.map(([name], j) => `${name} (${timeouts[j] / 1000} s)`).join(", ")} ("A function near its timeout").`,
      nearTimeout,
    );
  });

  // SES has no metric of the quota itself: the messages sent in a day against the account's
  // 24-hour quota (KARTA_SES_DAILY_QUOTA, which the deploy-time check sets from the account).
  alarm(
    "MailSendQuota",
    new Metric({ namespace: "AWS/SES", metricName: "Send", statistic: "Sum", period: Duration.days(1) }),
    `SES sent 80 % of the account's ${config.sesDailyQuota} messages a day ("SES sending quota").`,
    Math.floor(config.sesDailyQuota * nearQuota),
  );

  // A month's cycle past its payment cut-off with reports still unpaid (the daily check counts
  // them: functions/workflow/check-decisions.ts emits unsettledCycleMetric once a day per such cycle).
  alarm(
    "CycleUnsettledAtPaymentDay",
    new Metric({ ...unsettledCycleMetric, statistic: "Sum", period: Duration.days(1) }),
    'A month\'s cycle passed its payment cut-off with reports not yet paid ("A month not settled by its payment day").',
  );

  stack.addOutputs({ AlarmTopicArn: topic.topicArn });
  return { topic };
}

/** Alarm thresholds as fractions: of a function's timeout, of the SES daily quota. */
export const nearTimeout = 0.8;
export const nearQuota = 0.8;

/** The custom metric (Powertools, namespace Karta) of cycles past their payment cut-off with unpaid reports. */
export const unsettledCycleMetric = { namespace: "Karta", metricName: "CyclesUnsettledAtPaymentDay", dimensionsMap: { service: "karta" } };

function timeoutSeconds(fn: LambdaFunction): number {
  const seconds = fn.timeout?.toSeconds() ?? (fn.node.defaultChild as CfnFunction).timeout;
  if (typeof seconds !== "number") throw new Error(`${fn.node.path}: no timeout to alarm on`);
  return seconds;
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
