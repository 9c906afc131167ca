/**
 * Deploy-time check of the AWS account a production stage goes into: Lambda concurrency and
 * SES sending (production access, quota, rate). New accounts have a concurrency of 10 and SES in
 * the sandbox (200 messages a day, 1 a second, verified recipients only): Karta would deploy
 * and then fail in the first reminder run. `npx sst deploy --stage prod` runs it from
 * sst.config.ts and stops below the minimums; `npx tsx scripts/preflight.ts` runs it alone.
 * docs/deploy.md, section 1; docs/operations.md, "Lambda errors and throttles".
 */
import { pathToFileURL } from "node:url";

/** What the account allows, as Lambda GetAccountSettings and SESv2 GetAccount report it. */
export interface AccountFigures {
  region: string;
  lambdaConcurrency: number;
  lambdaUnreservedConcurrency: number;
  sesProductionAccess: boolean;
  sesSendingEnabled: boolean;
  /** HEALTHY, PROBATION or SHUTDOWN. */
  sesEnforcementStatus?: string;
  sesMax24HourSend: number;
  sesMaxSendRate: number;
}

export interface Minimums {
  lambdaConcurrency: number;
  sesMax24HourSend: number;
  sesMaxSendRate: number;
}

/**
 * The runbook assumes 1,000 concurrent executions (docs/operations.md): the API's burst of 400
 * requests, the reminder and notification runs and the payment files' Distributed Map share
 * them. SES must be out of the sandbox with at least 1,000 messages a day (a month's reminders,
 * approval requests and payment summaries of a centre) and 1 a second.
 */
export const defaultMinimums: Minimums = { lambdaConcurrency: 1_000, sesMax24HourSend: 1_000, sesMaxSendRate: 1 };

/** Minimums from KARTA_MIN_LAMBDA_CONCURRENCY, KARTA_MIN_SES_DAILY and KARTA_MIN_SES_RATE, else the defaults. */
export function minimumsFrom(env: Record<string, string | undefined>): Minimums {
  const read = (name: string, fallback: number) => {
    const value = env[name];
    if (value === undefined || value === "") return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number ≥ 0, not ${value}`);
    return n;
  };
  return {
    lambdaConcurrency: read("KARTA_MIN_LAMBDA_CONCURRENCY", defaultMinimums.lambdaConcurrency),
    sesMax24HourSend: read("KARTA_MIN_SES_DAILY", defaultMinimums.sesMax24HourSend),
    sesMaxSendRate: read("KARTA_MIN_SES_RATE", defaultMinimums.sesMaxSendRate),
  };
}

export interface PreflightResult {
  ok: boolean;
  /** Each a reason to refuse the deployment, naming the quota to request. */
  problems: string[];
}

/** The decision: which of the account's figures are below what a production stage needs. */
export function checkAccount(figures: AccountFigures, minimums: Minimums = defaultMinimums): PreflightResult {
  const problems: string[] = [];
  const quotas = `Service Quotas console, region ${figures.region}`;
  if (figures.lambdaConcurrency < minimums.lambdaConcurrency)
    problems.push(
      `Lambda concurrency is ${figures.lambdaConcurrency}, Karta needs at least ${minimums.lambdaConcurrency}: request "AWS Lambda → Concurrent executions" = ${minimums.lambdaConcurrency} (${quotas}; aws service-quotas request-service-quota-increase --service-code lambda --quota-code L-B99A9384 --desired-value ${minimums.lambdaConcurrency} --region ${figures.region}).`,
    );
  if (!figures.sesProductionAccess)
    problems.push(
      `SES is in the sandbox in ${figures.region} (only verified recipients, ${figures.sesMax24HourSend} messages a day): request production access (Amazon SES → Account dashboard → Request production access, or aws sesv2 put-account-details --production-access-enabled …, docs/deploy.md, section 4).`,
    );
  if (!figures.sesSendingEnabled || figures.sesEnforcementStatus === "SHUTDOWN")
    problems.push(
      `SES sending is ${figures.sesEnforcementStatus === "SHUTDOWN" ? "shut down by AWS" : "disabled"} for the account in ${figures.region}: answer the review case in the SES console (Account dashboard) or re-enable it (aws sesv2 put-account-sending-attributes --sending-enabled).`,
    );
  if (figures.sesProductionAccess && figures.sesMax24HourSend < minimums.sesMax24HourSend)
    problems.push(
      `SES allows ${figures.sesMax24HourSend} messages per 24 hours, Karta needs at least ${minimums.sesMax24HourSend}: request "Amazon SES → Sending quota" = ${minimums.sesMax24HourSend} (${quotas}).`,
    );
  if (figures.sesProductionAccess && figures.sesMaxSendRate < minimums.sesMaxSendRate)
    problems.push(
      `SES allows ${figures.sesMaxSendRate} messages a second, Karta needs at least ${minimums.sesMaxSendRate}: request "Amazon SES → Sending rate" = ${minimums.sesMaxSendRate} (${quotas}).`,
    );
  return { ok: problems.length === 0, problems };
}

/** Reads the figures from the account the current AWS credentials belong to. */
export async function readAccountFigures(region: string): Promise<AccountFigures> {
  const { LambdaClient, GetAccountSettingsCommand } = await import("@aws-sdk/client-lambda");
  const { SESv2Client, GetAccountCommand } = await import("@aws-sdk/client-sesv2");
  const [lambda, ses] = await Promise.all([
    new LambdaClient({ region }).send(new GetAccountSettingsCommand({})),
    new SESv2Client({ region }).send(new GetAccountCommand({})),
  ]);
  return {
    region,
    lambdaConcurrency: lambda.AccountLimit?.ConcurrentExecutions ?? 0,
    lambdaUnreservedConcurrency: lambda.AccountLimit?.UnreservedConcurrentExecutions ?? 0,
    sesProductionAccess: ses.ProductionAccessEnabled === true,
    sesSendingEnabled: ses.SendingEnabled === true,
    sesEnforcementStatus: ses.EnforcementStatus,
    sesMax24HourSend: ses.SendQuota?.Max24HourSend ?? 0,
    sesMaxSendRate: ses.SendQuota?.MaxSendRate ?? 0,
  };
}

/** Reads, decides and throws with every problem when the account is below the minimums. */
export async function preflight(region: string, env: Record<string, string | undefined> = process.env): Promise<AccountFigures> {
  let figures: AccountFigures;
  try {
    figures = await readAccountFigures(region);
  } catch (error) {
    throw new Error(
      `Pre-flight check: could not read the account's Lambda and SES settings in ${region} (${(error as Error).message}). The deploying identity needs lambda:GetAccountSettings and ses:GetAccount — docs/deploy.md, section 1.`,
    );
  }
  const result = checkAccount(figures, minimumsFrom(env));
  if (!result.ok) throw new Error(`Pre-flight check refused the deployment to ${region}:\n- ${result.problems.join("\n- ")}\nAsk for the quotas above and deploy again once AWS has granted them (docs/deploy.md, section 1).`);
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const region = process.argv[2] ?? process.env.AWS_REGION ?? "eu-central-1";
  preflight(region).then(
    (figures) => console.log(`Pre-flight check passed in ${region}: Lambda concurrency ${figures.lambdaConcurrency}, SES ${figures.sesMax24HourSend}/24 h at ${figures.sesMaxSendRate}/s.`),
    (error) => {
      console.error((error as Error).message);
      process.exit(1);
    },
  );
}
