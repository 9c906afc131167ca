import { describe, expect, it } from "vitest";
import { cycleProgress, unsettledAtCutoff, keepWatching, nextCheckAt, owedReports, planCycle, reminderStillDue, type CycleCounts } from "../../functions/core/cycle.js";
import { seedProgramme } from "../../functions/core/programme.js";

const krakow = seedProgramme("krakow-aou")!;
const counts = (c: Partial<CycleCounts>): CycleCounts => ({ expected: 24, submitted: 0, approved: 0, returned: 0, draft: 0, batched: 0, ...c });

describe("planning the month", () => {
  it("puts the November 2026 deadline at the end of Thu 3 December and reminds before it", () => {
    const { plan } = planCycle(krakow, "2026-11", "2026-11-01T00:05:00.000Z");
    expect(plan.deadlineDate).toBe("2026-12-03");
    expect(plan.deadline).toBe("2026-12-03T23:00:00.000Z");
    expect(plan.reminders).toEqual([
      { id: "r1-last-working-day", at: "2026-11-30T08:00:00.000Z" },
      { id: "r2-day-before-deadline", at: "2026-12-02T08:00:00.000Z" },
      { id: "r3-deadline-day", at: "2026-12-03T07:00:00.000Z" },
    ]);
  });

  it("sets the payment cut-off at the end of the 10th working day of the next month and the horizon 60 days after the deadline", () => {
    const { plan } = planCycle(krakow, "2026-11", "2026-11-01T00:05:00.000Z");
    expect(plan.cutoffAt).toBe("2026-12-14T23:00:00.000Z");
    expect(plan.horizonAt).toBe("2027-02-01T23:00:00.000Z");
  });

  it("moves the December deadline past Epiphany", () => {
    expect(planCycle(krakow, "2026-12", "2026-12-01T00:00:00.000Z").plan.deadlineDate).toBe("2027-01-07");
  });

  it("sends no reminder once the deadline has passed", () => {
    const { plan } = planCycle(krakow, "2026-11", "2026-11-01T00:05:00.000Z");
    expect(reminderStillDue(plan, "2026-12-03T22:59:59.000Z")).toBe(true);
    expect(reminderStillDue(plan, "2026-12-03T23:00:00.000Z")).toBe(false);
  });
});

describe("what an assistant still owes", () => {
  const order = (code: string) => ({ programmeId: "krakow-aou", beneficiaryCode: code, orderedMinutes: 360 });
  const report = (code: string, status: "draft" | "submitted" | "approved" | "returned", minutes = 0) => ({
    programmeId: "krakow-aou",
    beneficiaryCode: code,
    status,
    visits: minutes ? [{ id: "v1", date: "2026-11-02", start: "2026-11-02T14:00:00.000Z", end: new Date(Date.parse("2026-11-02T14:00:00.000Z") + minutes * 60_000).toISOString(), scopeIds: ["t01-contacts"], mode: "in_person" as const }] : [],
  });

  it("lists missing, draft and returned reports with hours ordered and logged, and nothing submitted or approved", () => {
    const owed = owedReports("krakow-aou", [order("A"), order("B"), order("C"), order("D"), order("E")], [
      report("B", "draft", 90),
      report("C", "returned", 360),
      report("D", "submitted", 360),
      report("E", "approved", 360),
    ]);
    expect(owed).toEqual([
      { beneficiaryCode: "A", orderedMinutes: 360, loggedMinutes: 0, state: "missing" },
      { beneficiaryCode: "B", orderedMinutes: 360, loggedMinutes: 90, state: "draft" },
      { beneficiaryCode: "C", orderedMinutes: 360, loggedMinutes: 360, state: "returned" },
    ]);
  });

  it("ignores orders and reports of other programmes", () => {
    expect(owedReports("krakow-aou", [{ ...order("A"), programmeId: "wroclaw-ao" }], [])).toEqual([]);
  });
});

describe("waiting for decisions", () => {
  const { plan } = planCycle(krakow, "2026-11", "2026-11-01T00:05:00.000Z");

  it.each([
    ["after the deadline (Friday 00:00)", "2026-12-03T23:00:00.000Z", "2026-12-07T06:00:00.000Z"],
    ["on a Monday at 07:00", "2026-12-07T06:00:00.000Z", "2026-12-08T06:00:00.000Z"],
    ["before Christmas", "2026-12-23T06:00:00.000Z", "2026-12-28T06:00:00.000Z"],
  ])("checks again the next working day at 07:00 Warsaw %s", (_, now, next) => {
    expect(nextCheckAt(now)).toBe(next);
  });

  it.each([
    ["approved reports and nothing awaiting a decision", counts({ approved: 23, submitted: 0 }), "2026-12-07T06:00:00.000Z", true],
    ["a submitted report still awaiting a decision", counts({ approved: 23, submitted: 1 }), "2026-12-07T06:00:00.000Z", false],
    ["the cut-off passed although a decision is awaited", counts({ approved: 23, submitted: 1 }), "2026-12-15T06:00:00.000Z", true],
    ["nothing approved yet", counts({ approved: 0, submitted: 0 }), "2026-12-07T06:00:00.000Z", false],
    ["everything approved already batched but one report missing", counts({ approved: 23, batched: 23 }), "2026-12-15T06:00:00.000Z", false],
    ["everything approved and batched", counts({ approved: 24, batched: 24 }), "2026-12-15T06:00:00.000Z", true],
    ["the horizon passed", counts({ approved: 0 }), "2027-02-02T06:00:00.000Z", true],
  ])("is ready to pay with %s: %s", (_, c, now, ready) => {
    expect(cycleProgress(c, plan, now).readyToPay).toBe(ready);
  });

  it.each([
    ["before the cut-off, even with reports waiting", counts({ approved: 20, submitted: 3 }), "2026-12-07T06:00:00.000Z", 0, false],
    ["at the cut-off with a report still waiting for a decision", counts({ approved: 23, submitted: 1 }), plan.cutoffAt, 0, true],
    ["on the cut-off day with approved reports the same check is about to pay", counts({ approved: 24, batched: 0 }), plan.cutoffAt, 0, false],
    ["a day after the cut-off with approved reports unpaid", counts({ approved: 24, batched: 20 }), new Date(Date.parse(plan.cutoffAt) + 24 * 3600_000).toISOString(), 0, true],
    ["a day after the cut-off with a batch built but unsent", counts({ approved: 24, batched: 24 }), new Date(Date.parse(plan.cutoffAt) + 24 * 3600_000).toISOString(), 1, true],
    ["after the cut-off with everything paid", counts({ approved: 24, batched: 24 }), "2027-01-05T06:00:00.000Z", 0, false],
  ])("is unsettled at the payment cut-off %s: %s", (_, c, now, unsent, unsettled) => {
    expect(unsettledAtCutoff(c, plan, now, unsent)).toBe(unsettled);
  });

  it("pays at once a batch that was built but not sent (a crash between the two), even with a report missing", () => {
    const c = counts({ approved: 23, batched: 23 });
    expect(cycleProgress(c, plan, "2026-12-07T06:00:00.000Z").readyToPay).toBe(false);
    expect(cycleProgress(c, plan, "2026-12-07T06:00:00.000Z", [], 1).readyToPay).toBe(true);
  });

  it("keeps watching while a report is not approved, until the horizon", () => {
    expect(keepWatching(counts({ approved: 23 }), plan, "2026-12-15T06:00:00.000Z")).toBe(true);
    expect(keepWatching(counts({ approved: 24 }), plan, "2026-12-15T06:00:00.000Z")).toBe(false);
    expect(keepWatching(counts({ approved: 23 }), plan, plan.horizonAt)).toBe(false);
  });
});
