import { describe, expect, it } from "vitest";
import { perThousandAt, costModel, lambdaGbSeconds, type MonthUsage } from "../../bench/cost.js";
import { monthTimeTarget } from "../../bench/report.js";
import { writeUnits, itemSize } from "../../bench/dynamo-meter.js";
import { eta } from "../../bench/progress.js";
import { percentile } from "../../bench/stats.js";

const none = (over: Partial<MonthUsage> = {}): MonthUsage => ({
  reports: 1000,
  stateTransitions: 0,
  tracedExecutions: 0,
  lambda: [],
  readRequestUnits: 0,
  writeRequestUnits: 0,
  storageBytesAdded: 0,
  emails: 0,
  attachmentBytes: 0,
  apiRequests: 0,
  scheduleInvocations: 0,
  logBytes: 0,
  kmsKeys: 0,
  alarms: 0,
  ...over,
});

const usdOf = (usage: MonthUsage, service: string) => costModel(usage).lines.find((l) => l.service === service)!.usd;

describe("bench cost model", () => {
  it("bills 40,000 state transitions at 0.025 USD per 1,000 as 1 USD", () => {
    expect(usdOf(none({ stateTransitions: 40_000 }), "Step Functions")).toBeCloseTo(1, 10);
  });

  it("bills Lambda duration rounded up to the millisecond times the memory", () => {
    expect(lambdaGbSeconds(1000, 99.2, 512)).toBeCloseTo(1000 * 0.1 * 0.5, 10);
    const usage = none({ lambda: [{ name: "f", invocations: 1_000_000, avgMs: 1000, memoryMb: 1024 }] });
    expect(usdOf(usage, "Lambda requests")).toBeCloseTo(0.2, 10);
    expect(usdOf(usage, "Lambda duration")).toBeCloseTo(16.6667, 3);
  });

  it.each([
    ["DynamoDB writes", { writeRequestUnits: 1_000_000 }, 0.7625],
    ["DynamoDB reads", { readRequestUnits: 1_000_000 }, 0.1525],
    ["SES messages", { emails: 1000 }, 0.1],
    ["API Gateway (HTTP API)", { apiRequests: 1_000_000 }, 1.2],
    ["X-Ray traces (upper bound)", { tracedExecutions: 1_000_000 }, 5],
  ] as const)("bills %s from the price table", (service, over, usd) => {
    expect(usdOf(none(over), service)).toBeCloseTo(usd, 10);
  });

  it("gives the cost per 1,000 reports with and without the fixed monthly charges", () => {
    const model = costModel(none({ reports: 2000, emails: 2000, kmsKeys: 1 }));
    expect(model.monthUsd).toBeCloseTo(0.2 + 1, 10);
    expect(model.perThousandReportsUsd).toBeCloseTo(0.6, 10);
    expect(model.variablePerThousandReportsUsd).toBeCloseTo(0.1, 10);
    expect(model.fixedMonthUsd).toBeCloseTo(1, 10);
    // the national month: the same usage per report, the fixed charge spread over 60,000 reports
    expect(perThousandAt(model, 60_000)).toBeCloseTo(0.1 + 1 / 60, 10);
  });
});

describe("bench DynamoDB request units", () => {
  const item = (gsi1sk: string, bytes: number) => ({ pk: { S: "a" }, sk: { S: "b" }, gsi1pk: { S: "g" }, gsi1sk: { S: gsi1sk }, x: { S: "x".repeat(bytes) } });

  it("sizes an item by attribute names and values", () => {
    expect(itemSize({ ab: { S: "cde" }, n: { N: "123" }, t: { BOOL: true } })).toBe(2 + 3 + 1 + 3 + 1 + 1);
  });

  it("charges a new item once for the table and once per index it appears in", () => {
    expect(writeUnits(undefined, item("1", 1500))).toBe(2 + 2);
  });

  it("charges a delete and a put on an index whose key changed", () => {
    expect(writeUnits(item("1", 100), item("2", 100))).toBe(1 + 1 + 1);
  });
});

describe("bench progress and statistics", () => {
  it("estimates the time left from the rate so far", () => {
    expect(eta(25, 100, 10)).toBeCloseTo(30, 10);
    expect(eta(0, 100, 10)).toBeUndefined();
  });

  it("takes percentiles by nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
  });
});

describe("Lambda time spent waiting on SES", () => {
  it("is added to the Lambda duration line", () => {
    const base = costModel(none({ lambda: [{ name: "f", invocations: 1000, avgMs: 10, memoryMb: 1024 }] }));
    const waiting = costModel(none({ lambda: [{ name: "f", invocations: 1000, avgMs: 10, memoryMb: 1024 }], lambdaWaitGbSeconds: 100 }));
    const line = (m: typeof base) => m.lines.find((l) => l.service === "Lambda duration")!;
    expect(line(base).quantity).toBeCloseTo(10, 6);
    expect(line(waiting).quantity).toBeCloseTo(110, 6);
    expect(line(waiting).usd).toBeGreaterThan(line(base).usd);
  });
});

describe("bench month-time target", () => {
  const row = (reports: number, seconds: number, cycleStatus = "SUCCEEDED") => monthTimeTarget({ reports, seconds, cycleStatus });

  it("is measured only at 60,000 reports", () => {
    expect(row(60_000, 899).status).toBe("met");
    expect(row(60_000, 901).status).toBe("not met");
    expect(row(60_000, 600, "FAILED").status).toBe("not met");
  });

  it("is judged missed from a smaller month's pace, never met from it, nor from a tiny run", () => {
    expect(row(6000, 600)).toMatchObject({ status: "not met (projected)" }); // 100 min at that pace
    expect(row(6000, 600).measured).toContain("60,000 reports would take 100 min");
    expect(row(6000, 60).status).toBe("not measured"); // 10 min at that pace: not proof of meeting it
    expect(row(30, 84).status).toBe("not measured");
  });
});
