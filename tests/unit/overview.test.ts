import { describe, expect, it } from "vitest";
import { OverviewQuery, monthsBetween, utilisation } from "../../functions/core/overview.js";

const visit = (date: string, hours: number) => ({
  id: `v-${date}-${hours}`,
  date,
  start: `${date}T08:00:00.000Z`,
  end: new Date(Date.parse(`${date}T08:00:00.000Z`) + hours * 3_600_000).toISOString(),
  scopeIds: ["s"],
  mode: "in_person" as const,
});
const order = (month: string, beneficiaryCode: string, hours: number, programmeId = "p1") => ({ programmeId, month, beneficiaryCode, orderedMinutes: hours * 60 });
const report = (month: string, beneficiaryCode: string, status: "draft" | "submitted" | "approved" | "returned", hours: number[], programmeId = "p1") => ({
  programmeId,
  month,
  beneficiaryCode,
  status,
  visits: hours.map((h, i) => visit(`${month}-${String(i + 2).padStart(2, "0")}`, h)),
});

describe("the utilisation overview", () => {
  it("puts ordered, logged (any status) and approved minutes side by side per beneficiary and month", () => {
    const overview = utilisation(
      "p1",
      { from: "2026-10", to: "2026-11" },
      [order("2026-11", "B", 6), order("2026-11", "A", 6), order("2026-10", "A", 4), order("2026-11", "A", 2), order("2026-11", "X", 9, "p2")],
      [report("2026-11", "A", "approved", [2, 3]), report("2026-11", "A", "draft", [1]), report("2026-11", "B", "submitted", [4]), report("2026-11", "C", "returned", [1]), report("2026-11", "A", "approved", [5], "p2")],
    );
    expect(overview.rows).toEqual([
      { month: "2026-10", beneficiaryCode: "A", orderedMinutes: 240, loggedMinutes: 0, approvedMinutes: 0 },
      { month: "2026-11", beneficiaryCode: "A", orderedMinutes: 480, loggedMinutes: 360, approvedMinutes: 300 },
      { month: "2026-11", beneficiaryCode: "B", orderedMinutes: 360, loggedMinutes: 240, approvedMinutes: 0 },
      { month: "2026-11", beneficiaryCode: "C", orderedMinutes: 0, loggedMinutes: 60, approvedMinutes: 0 },
    ]);
    expect(overview.totals).toEqual([
      { month: "2026-10", orderedMinutes: 240, loggedMinutes: 0, approvedMinutes: 0 },
      { month: "2026-11", orderedMinutes: 840, loggedMinutes: 660, approvedMinutes: 300 },
    ]);
  });

  it("lists every month of the range, across a year's end", () => {
    expect(monthsBetween("2026-11", "2027-02")).toEqual(["2026-11", "2026-12", "2027-01", "2027-02"]);
  });

  it.each([
    [{ from: "2026-01", to: "2026-12" }, true],
    [{ from: "2025-12", to: "2026-11" }, true],
    [{ from: "2025-12", to: "2026-12" }, false],
    [{ from: "2026-11", to: "2026-10" }, false],
    [{ from: "2026-13", to: "2026-12" }, false],
    [{ to: "2026-12" }, false],
  ])("accepts %j as a range: %s", (query, ok) => {
    expect(OverviewQuery.safeParse(query).success).toBe(ok);
  });
});
