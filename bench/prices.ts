/**
 * AWS list prices for eu-central-1 (Frankfurt), USD, on-demand, without free tiers, taxes or
 * discounts. One dated table: change the date when a price changes.
 *
 * Compiled on 2026-11-22 from AWS's public price pages as last known to the author (no internet
 * access on the benchmark machine, so not re-read that day): aws.amazon.com/step-functions/pricing,
 * /lambda/pricing, /dynamodb/pricing/on-demand (after the November 2024 on-demand price cut),
 * /ses/pricing, /api-gateway/pricing, /cloudwatch/pricing, /xray/pricing, /kms/pricing,
 * /eventbridge/pricing. `sure: false` marks the prices the author could not confirm for Frankfurt
 * specifically (often the us-east-1 figure or a remembered regional uplift): check them on the
 * price pages or with the AWS Pricing Calculator before quoting a budget.
 */
export const PRICES_DATE = "2026-11-22";
export const PRICES_REGION = "eu-central-1";

export interface Price {
  usd: number;
  per: number;
  unit: string;
  source: string;
  sure: boolean;
}

export const prices = {
  stepFunctionsStandardTransition: { usd: 0.025, per: 1_000, unit: "state transitions (Standard)", source: "aws.amazon.com/step-functions/pricing", sure: false },
  lambdaRequest: { usd: 0.2, per: 1_000_000, unit: "Lambda requests", source: "aws.amazon.com/lambda/pricing", sure: true },
  lambdaGbSecondX86: { usd: 0.0000166667, per: 1, unit: "GB-second (x86_64)", source: "aws.amazon.com/lambda/pricing", sure: true },
  dynamoWriteRequestUnit: { usd: 0.7625, per: 1_000_000, unit: "write request units (on-demand)", source: "aws.amazon.com/dynamodb/pricing/on-demand", sure: false },
  dynamoReadRequestUnit: { usd: 0.1525, per: 1_000_000, unit: "read request units (on-demand)", source: "aws.amazon.com/dynamodb/pricing/on-demand", sure: false },
  dynamoStorageGbMonth: { usd: 0.306, per: 1, unit: "GB-month of table storage", source: "aws.amazon.com/dynamodb/pricing/on-demand", sure: false },
  sesMessage: { usd: 0.1, per: 1_000, unit: "outbound e-mails", source: "aws.amazon.com/ses/pricing", sure: true },
  sesAttachmentGb: { usd: 0.12, per: 1, unit: "GB of attachments sent", source: "aws.amazon.com/ses/pricing", sure: true },
  httpApiRequest: { usd: 1.2, per: 1_000_000, unit: "HTTP API requests (first 300 M)", source: "aws.amazon.com/api-gateway/pricing", sure: false },
  cloudWatchLogsIngestGb: { usd: 0.63, per: 1, unit: "GB of logs ingested", source: "aws.amazon.com/cloudwatch/pricing", sure: false },
  xrayTraceRecorded: { usd: 5.0, per: 1_000_000, unit: "X-Ray traces recorded", source: "aws.amazon.com/xray/pricing", sure: true },
  schedulerInvocation: { usd: 1.0, per: 1_000_000, unit: "EventBridge Scheduler invocations", source: "aws.amazon.com/eventbridge/pricing", sure: true },
  kmsKeyMonth: { usd: 1.0, per: 1, unit: "customer-managed KMS key-month", source: "aws.amazon.com/kms/pricing", sure: true },
  cloudWatchAlarmMonth: { usd: 0.1, per: 1, unit: "standard-resolution alarm-month", source: "aws.amazon.com/cloudwatch/pricing", sure: true },
} satisfies Record<string, Price>;

export type PriceName = keyof typeof prices;

/** USD for `quantity` units of a price. */
export function costOf(name: PriceName, quantity: number): number {
  const price = prices[name];
  return (quantity / price.per) * price.usd;
}
