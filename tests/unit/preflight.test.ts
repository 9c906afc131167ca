import { describe, expect, it } from "vitest";
import { checkAccount, defaultMinimums, minimumsFrom, type AccountFigures } from "../../scripts/preflight.js";

/** A new account as AWS hands it out: concurrency 10, SES in the sandbox (200 a day, 1 a second). */
const newAccount: AccountFigures = {
  region: "eu-central-1",
  lambdaConcurrency: 10,
  lambdaUnreservedConcurrency: 10,
  sesProductionAccess: false,
  sesSendingEnabled: true,
  sesEnforcementStatus: "HEALTHY",
  sesMax24HourSend: 200,
  sesMaxSendRate: 1,
};
/** An account after the usual requests: 1,000 concurrent executions, SES production access (50,000 a day, 14 a second). */
const ready: AccountFigures = { ...newAccount, lambdaConcurrency: 1000, lambdaUnreservedConcurrency: 1000, sesProductionAccess: true, sesMax24HourSend: 50_000, sesMaxSendRate: 14 };

describe("pre-flight check of the account before a production deploy", () => {
  it("refuses a new account, naming the Lambda quota and SES production access to request", () => {
    const result = checkAccount(newAccount);
    expect(result.ok).toBe(false);
    expect(result.problems).toHaveLength(2);
    expect(result.problems[0]).toMatch(/Lambda concurrency is 10, Karta needs at least 1000: request "AWS Lambda → Concurrent executions" = 1000/);
    expect(result.problems[0]).toContain("--quota-code L-B99A9384");
    expect(result.problems[1]).toMatch(/SES is in the sandbox in eu-central-1.*request production access/);
  });

  it("passes an account with the quotas the runbook assumes", () => {
    expect(checkAccount(ready)).toEqual({ ok: true, problems: [] });
    expect(checkAccount({ ...ready, lambdaConcurrency: defaultMinimums.lambdaConcurrency })).toMatchObject({ ok: true });
  });

  it("refuses one concurrent execution below the minimum, a low SES quota or rate, and disabled or shut-down sending", () => {
    expect(checkAccount({ ...ready, lambdaConcurrency: 999 }).problems).toEqual([expect.stringContaining("Concurrent executions")]);
    expect(checkAccount({ ...ready, sesMax24HourSend: 999 }).problems).toEqual([expect.stringContaining('"Amazon SES → Sending quota" = 1000')]);
    expect(checkAccount({ ...ready, sesMaxSendRate: 0.5 }).problems).toEqual([expect.stringContaining('"Amazon SES → Sending rate"')]);
    expect(checkAccount({ ...ready, sesSendingEnabled: false }).problems).toEqual([expect.stringContaining("SES sending is disabled")]);
    expect(checkAccount({ ...ready, sesEnforcementStatus: "SHUTDOWN" }).problems).toEqual([expect.stringContaining("shut down by AWS")]);
  });

  it("takes other minimums from the stage's settings", () => {
    const minimums = minimumsFrom({ KARTA_MIN_LAMBDA_CONCURRENCY: "100", KARTA_MIN_SES_DAILY: "200" });
    expect(minimums).toEqual({ lambdaConcurrency: 100, sesMax24HourSend: 200, sesMaxSendRate: 1 });
    expect(checkAccount({ ...newAccount, lambdaConcurrency: 100, sesProductionAccess: true }, minimums).ok).toBe(true);
    expect(() => minimumsFrom({ KARTA_MIN_LAMBDA_CONCURRENCY: "many" })).toThrow(/KARTA_MIN_LAMBDA_CONCURRENCY/);
  });
});
