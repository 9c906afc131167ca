import { describe, expect, it } from "vitest";
import { heavier, replyWeight, type IsolatedStep } from "../../bench/phases/replay.js";
import type { MonthResult } from "../../bench/phases/month.js";
import { taskTargets } from "../../bench/report.js";

const step = (handler: string, ms: number, peakRssMb: number, over: Partial<IsolatedStep> = {}): IsolatedStep => ({
  handler: `functions/workflow/${handler}.handler`,
  month: { invocations: 1, avgMs: 70_000, maxMs: 70_000 },
  inMonthMs: 70_000,
  virtualNow: "2026-12-05T06:00:00.000Z",
  input: "{}",
  size: "batch of 1,183 reports",
  monthResult: "{}",
  rewound: "none",
  alone: { ok: true, ms, cpuMs: ms / 2, importMs: 900, baselineRssMb: 150, sampledPeakRssMb: peakRssMb, maxRssMb: peakRssMb, samples: 10, peakRssMb, callRssMb: peakRssMb - 150 },
  ...over,
});

const month = (steps: IsolatedStep[] | undefined, isolatedError?: string) =>
  ({ reports: 1200, longestTask: { name: "functions/workflow/send-batch.handler", ms: 64_372 }, peakRssMb: 900, processMaxRssMb: 961, isolated: steps && { steps, seconds: 30 }, isolatedError }) as unknown as MonthResult;

describe("bench: steps run alone", () => {
  it("replays build-batch's largest batch rather than its longest call", () => {
    const h = "functions/workflow/build-batch.handler";
    expect(replyWeight(h, { batchId: "b", totals: { reports: 1183 } })).toBe(1183);
    expect(replyWeight(h, { keepWatching: false })).toBe(0);
    expect(heavier({ weight: 1183, ms: 10 }, { weight: 0, ms: 10_000 })).toBe(true);
    expect(heavier({ weight: 0, ms: 10_000 }, { weight: 1183, ms: 10 })).toBe(false);
  });

  it("otherwise replays the longest call", () => {
    expect(replyWeight("functions/workflow/send-batch.handler", { totals: { reports: 5 } })).toBe(0);
    expect(heavier({ weight: 0, ms: 20 }, undefined)).toBe(true);
    expect(heavier({ weight: 0, ms: 20 }, { weight: 0, ms: 30 })).toBe(false);
    expect(heavier({ weight: 0, ms: 40 }, { weight: 0, ms: 30 })).toBe(true);
  });

  it("judges the task targets on the steps alone, with the in-process month as context", () => {
    const [time, memory] = taskTargets(month([step("send-batch", 12_000, 300), step("build-batch", 3_000, 200)]));
    expect(time.status).toBe("met");
    expect(time.measured).toMatch(/^longest alone: workflow\/send-batch 12 s \(batch of 1,183 reports/);
    expect(time.measured).toContain("in-process");
    expect(time.measured).toContain("64.4 s");
    expect(memory.status).toBe("met");
    expect(memory.measured).toMatch(/^largest alone: workflow\/send-batch peak 300 MB RSS, 150 MB above the 150 MB/);
  });

  it("is not met above 60 s or 512 MB alone", () => {
    const [time, memory] = taskTargets(month([step("send-batch", 61_000, 600)]));
    expect(time.status).toBe("not met");
    expect(memory.status).toBe("not met");
  });

  it("names skipped steps, and is not measured when a step failed alone or none ran", () => {
    const skipped = step("ask-approver", 0, 0, { alone: undefined, skipped: "callback token" });
    const failed = step("check-decisions", 0, 0);
    failed.alone = { ...failed.alone!, ok: false, error: "Error: boom" };
    const [time] = taskTargets(month([step("send-batch", 1_000, 200), skipped, failed]));
    expect(time.status).toBe("not measured");
    expect(time.measured).toContain("workflow/ask-approver not run alone");
    expect(time.measured).toContain("workflow/check-decisions failed alone: Error: boom");
    const [none] = taskTargets(month(undefined, "Error: no stack"));
    expect(none.status).toBe("not measured");
    expect(none.measured).toContain("Error: no stack");
  });
});
