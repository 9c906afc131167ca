import { describe, expect, it } from "vitest";
import { batchIdOf, batchLineOf, newBatch, paymentLines, reportCardOf, totalsOf, type BatchReportLine } from "../../functions/core/batch.js";
import { seedProgramme } from "../../functions/core/programme.js";
import { newReport, type Report } from "../../functions/core/report.js";

const krakow = seedProgramme("krakow-aou")!;

function approvedReport(assistantId: string, code: string, minutes: number): Report {
  const visits = [];
  for (let i = 0, left = minutes; left > 0; i++, left -= 60) {
    const start = Date.parse(`2026-11-${String(2 + i).padStart(2, "0")}T14:00:00.000Z`);
    visits.push({ id: `v${i}`, date: `2026-11-${String(2 + i).padStart(2, "0")}`, start: new Date(start).toISOString(), end: new Date(start + Math.min(60, left) * 60_000).toISOString(), scopeIds: ["t05-job-activation"], mode: "in_person" as const });
  }
  return { ...newReport({ programmeId: "krakow-aou", month: "2026-11", assistantId, beneficiaryCode: code }), visits, status: "approved", decidedAt: "2026-12-05T10:00:00.000Z", decidedBy: "p-krakow-approver" };
}

describe("payment batches", () => {
  it("names the first batch of a month main and later ones supplementary", () => {
    expect(newBatch("krakow-aou", "2026-11", 1, "2026-12-07T06:00:00.000Z")).toMatchObject({ batchId: "krakow-aou-2026-11-p01", kind: "main", status: "building" });
    expect(newBatch("krakow-aou", "2026-11", 2, "2026-12-07T06:00:00.000Z").kind).toBe("supplementary");
    expect(batchIdOf("krakow-aou", "2026-11", 12)).toBe("krakow-aou-2026-11-p12");
  });

  it("prices an approved report at 96 zł per hour: 6 h = 576,00 zł", () => {
    const line = batchLineOf(approvedReport("p-anna-nowak", "KR-AOU-001", 360), krakow, "b1");
    expect(line).toMatchObject({ minutes: 360, amountGrosze: 57_600, rateLines: [{ rateGrosze: 9600, minutes: 360, amountGrosze: 57_600 }], approvedBy: "p-krakow-approver", late: false });
  });

  it("refuses a report that is not approved", () => {
    expect(() => batchLineOf({ ...approvedReport("p-a", "KR-AOU-001", 60), status: "submitted" }, krakow, "b1")).toThrow();
  });

  it("adds control totals from the report lines: 24 × 6 h × 96 zł = 13 824,00 zł", () => {
    const lines = Array.from({ length: 24 }, (_, i) => batchLineOf(approvedReport(`p-a${Math.floor(i / 6)}`, `KR-AOU-${String(i + 1).padStart(3, "0")}`, 360), krakow, "b1"));
    expect(totalsOf(lines)).toEqual({ reports: 24, minutes: 24 * 360, grosze: 1_382_400 });
  });

  it("streams one payment line per assistant from lines sorted by assistant", async () => {
    const lines = ["p-a", "p-a", "p-b"].map((a, i) => batchLineOf(approvedReport(a, `KR-AOU-00${i + 1}`, 90), krakow, "b1"));
    async function* source(): AsyncGenerator<BatchReportLine> {
      yield* lines;
    }
    const out = [];
    for await (const l of paymentLines(source(), "2026-11", async (id) => ({ name: id === "p-a" ? "Anna Łęcka" : "Bożena Źdźbło", contractNumber: "AOU/1" }))) out.push(l);
    expect(out.map((l) => [l.assistantName, l.minutes, l.grossGrosze, l.reportIds.length])).toEqual([
      ["Anna Łęcka", 180, 28_800, 2],
      ["Bożena Źdźbło", 90, 14_400, 1],
    ]);
  });

  it("maps a report onto its card with Warsaw times and Polish labels", () => {
    const report = approvedReport("p-a", "KR-AOU-001", 60);
    const card = reportCardOf(report, batchLineOf(report, krakow, "b1"), { programme: krakow, assistantName: "Anna Łęcka", approverName: "Zatwierdzający" });
    expect(card.visits[0]).toMatchObject({ date: "2026-11-02", start: "15:00", end: "16:00", minutes: 60, mode: "osobiście", scopes: ["Aktywizacja zawodowa (CV, rozmowy, rejestracja w GUP)"] });
  });
});
