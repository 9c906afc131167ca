import { costOf, type PriceName, prices } from "./prices.js";

/** Everything billed that the benchmark counted for one simulated month. */
export interface MonthUsage {
  reports: number;
  stateTransitions: number;
  /** Executions of state machines with X-Ray tracing (one trace each, an upper bound: AWS samples). */
  tracedExecutions: number;
  lambda: { name: string; invocations: number; avgMs: number; memoryMb: number }[];
  /** Lambda time spent waiting on services not attributed to one handler (SES), in GB-seconds. */
  lambdaWaitGbSeconds?: number;
  readRequestUnits: number;
  writeRequestUnits: number;
  /** Net bytes the month adds to the table (items plus GSI copies), kept for a month. */
  storageBytesAdded: number;
  emails: number;
  attachmentBytes: number;
  apiRequests: number;
  scheduleInvocations: number;
  /** Log bytes ingested: Lambda's START/END/REPORT lines per invocation plus what handlers print. */
  logBytes: number;
  kmsKeys: number;
  alarms: number;
}

export interface CostLine {
  service: string;
  quantity: number;
  unit: string;
  usd: number;
  sure: boolean;
  fixed?: boolean;
}

export interface CostModel {
  lines: CostLine[];
  /** Everything, fixed monthly charges included. */
  monthUsd: number;
  perThousandReportsUsd: number;
  /** Without the fixed monthly charges (KMS key, alarms): what scales with reports. */
  variablePerThousandReportsUsd: number;
  /** The fixed monthly charges alone (they do not grow with reports). */
  fixedMonthUsd: number;
}

/** The national month this target is about (10,000 assistants × 6 reports, the bench's default size). */
export const NATIONAL_MONTH_REPORTS = 60_000;

/**
 * Per 1,000 reports in a month of `reports`: this run's variable cost per report (every counted
 * unit grows with reports: executions, e-mails, requests) plus the fixed charges spread over them.
 */
export function perThousandAt(model: CostModel, reports: number): number {
  return model.variablePerThousandReportsUsd + (model.fixedMonthUsd / reports) * 1000;
}

/** Lambda bills duration rounded up to the millisecond, times the configured memory. */
export function lambdaGbSeconds(invocations: number, avgMs: number, memoryMb: number): number {
  return invocations * (Math.ceil(avgMs) / 1000) * (memoryMb / 1024);
}

/** The month's cost at list prices, line by line, from counted usage. */
export function costModel(usage: MonthUsage): CostModel {
  const lines: CostLine[] = [];
  const add = (service: string, price: PriceName, quantity: number, fixed = false) =>
    lines.push({ service, quantity, unit: prices[price].unit, usd: costOf(price, quantity), sure: prices[price].sure, ...(fixed ? { fixed } : {}) });

  add("Step Functions", "stepFunctionsStandardTransition", usage.stateTransitions);
  const invocations = usage.lambda.reduce((s, f) => s + f.invocations, 0);
  add("Lambda requests", "lambdaRequest", invocations);
  add("Lambda duration", "lambdaGbSecondX86", usage.lambda.reduce((s, f) => s + lambdaGbSeconds(f.invocations, f.avgMs, f.memoryMb), 0) + (usage.lambdaWaitGbSeconds ?? 0));
  add("DynamoDB writes", "dynamoWriteRequestUnit", usage.writeRequestUnits);
  add("DynamoDB reads", "dynamoReadRequestUnit", usage.readRequestUnits);
  add("DynamoDB storage (one month of the month's data)", "dynamoStorageGbMonth", Math.max(0, usage.storageBytesAdded) / 1024 ** 3);
  add("SES messages", "sesMessage", usage.emails);
  add("SES attachments", "sesAttachmentGb", usage.attachmentBytes / 1024 ** 3);
  add("API Gateway (HTTP API)", "httpApiRequest", usage.apiRequests);
  add("CloudWatch Logs ingestion", "cloudWatchLogsIngestGb", usage.logBytes / 1024 ** 3);
  add("X-Ray traces (upper bound)", "xrayTraceRecorded", usage.tracedExecutions);
  add("EventBridge Scheduler", "schedulerInvocation", usage.scheduleInvocations);
  add("KMS customer-managed key", "kmsKeyMonth", usage.kmsKeys, true);
  add("CloudWatch alarms", "cloudWatchAlarmMonth", usage.alarms, true);

  const monthUsd = lines.reduce((s, l) => s + l.usd, 0);
  const variableUsd = lines.filter((l) => !l.fixed).reduce((s, l) => s + l.usd, 0);
  const perThousand = (usd: number) => (usage.reports > 0 ? (usd / usage.reports) * 1000 : NaN);
  return { lines, monthUsd, perThousandReportsUsd: perThousand(monthUsd), variablePerThousandReportsUsd: perThousand(variableUsd), fixedMonthUsd: monthUsd - variableUsd };
}

/**
 * Scales per-report usage measured at one size (the intake run) to the month's report count,
 * so a month's bill can add intake measured through the HTTP API to the cycle measured at scale.
 */
export function scaleUsage<T extends Record<string, number>>(perReport: T, reports: number): T {
  return Object.fromEntries(Object.entries(perReport).map(([k, v]) => [k, v * reports])) as T;
}
