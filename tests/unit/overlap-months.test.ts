import { describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import { MAX_VISIT_MINUTES } from "../../functions/core/programme.js";
import { overlapMonths, overlapProblems } from "../../functions/core/report.js";

const at = (date: string, time: string) => warsawInstant(date, time);
const visit = (id: string, date: string, from: string, to: string, endDate = date) => ({ id, date, start: at(date, from), end: at(endDate, to) });
const report = (month: string, visits: ReturnType<typeof visit>[]) => ({ month, visits: visits.map((v) => ({ ...v, scopeIds: ["x"], mode: "in_person" as const })) });

describe("overlapMonths: the months whose reports the overlap rule must read at submission", () => {
  it("is only the report's own month for visits away from its edges", () => {
    expect(overlapMonths(report("2026-11", [visit("a", "2026-11-02", "08:00", "10:00"), visit("b", "2026-11-30", "16:00", "18:00")]))).toEqual(["2026-11"]);
    expect(overlapMonths(report("2026-11", []))).toEqual(["2026-11"]);
  });

  it("adds the previous month for a visit starting within the longest possible visit of the month's start", () => {
    expect(MAX_VISIT_MINUTES).toBe(24 * 60);
    expect(overlapMonths(report("2026-11", [visit("a", "2026-11-01", "23:59", "23:59", "2026-11-02")]))).toEqual(["2026-10", "2026-11"]);
    expect(overlapMonths(report("2026-11", [visit("a", "2026-11-02", "00:00", "01:00")]))).toEqual(["2026-11"]);
    // Across the year and across a DST change (Warsaw left summer time on 25 October 2026).
    expect(overlapMonths(report("2027-01", [visit("a", "2027-01-01", "10:00", "11:00")]))).toEqual(["2026-12", "2027-01"]);
  });

  it("adds the next month for a visit that runs into it", () => {
    expect(overlapMonths(report("2026-11", [visit("a", "2026-11-30", "22:00", "00:00", "2026-12-01")]))).toEqual(["2026-11"]);
    expect(overlapMonths(report("2026-11", [visit("a", "2026-11-30", "22:00", "02:00", "2026-12-01")]))).toEqual(["2026-11", "2026-12"]);
    expect(overlapMonths(report("2026-12", [visit("a", "2026-12-01", "06:00", "07:00"), visit("b", "2026-12-31", "23:00", "01:00", "2027-01-01")]))).toEqual([
      "2026-11",
      "2026-12",
      "2027-01",
    ]);
  });

  it("never leaves out a month holding an overlapping visit (brute force over a month's edges)", () => {
    // Other visits: every 24-hour-or-shorter visit starting in the hours around both edges of November.
    const others: { month: string; v: { reportId: string; visitId: string; start: string; end: string } }[] = [];
    for (const [date, month] of [["2026-10-31", "2026-10"], ["2026-11-01", "2026-11"], ["2026-11-30", "2026-11"], ["2026-12-01", "2026-12"]] as const) {
      for (let h = 0; h < 24; h += 3) {
        for (const minutes of [60, 6 * 60, MAX_VISIT_MINUTES]) {
          const start = at(date, `${String(h).padStart(2, "0")}:00`);
          const end = new Date(Date.parse(start) + minutes * 60_000).toISOString();
          others.push({ month, v: { reportId: "other", visitId: `${date}-${h}-${minutes}`, start, end } });
        }
      }
    }
    for (const date of ["2026-11-01", "2026-11-02", "2026-11-29", "2026-11-30"]) {
      for (let h = 0; h < 24; h += 2) {
        for (const minutes of [30, 4 * 60, 10 * 60]) {
          const start = at(date, `${String(h).padStart(2, "0")}:00`);
          const own = { id: "own", date, start, end: new Date(Date.parse(start) + minutes * 60_000).toISOString() };
          const months = overlapMonths({ month: "2026-11", visits: [{ ...own, scopeIds: ["x"], mode: "in_person" }] });
          for (const other of others) {
            if (overlapProblems({ id: "r", visits: [{ ...own, scopeIds: ["x"], mode: "in_person" }] }, [other.v]).length > 0) {
              expect(months, `${own.start}–${own.end} overlaps ${other.v.start}–${other.v.end}`).toContain(other.month);
            }
          }
        }
      }
    }
  });
});
