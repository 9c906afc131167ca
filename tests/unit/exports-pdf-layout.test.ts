import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { writeBillPdf, writeReportCardPdf, type BatchHeader, type BatchLine } from "../../functions/core/exports/index.js";
import { amountGrosze } from "../../functions/core/money.js";
import { reportId as reportIdOf } from "../../functions/core/report.js";
import { krakowBatch, RATE_GROSZE, reportCard } from "../fixtures/exports/batch.js";
import { bytesOf, overlappingWords, pdfTextOf, pdfWordBoxes, workDir } from "../support/read-back.js";

const LIGATURES = /[\ufb00-\ufb06]/u;
const dir = workDir("pdf-layout-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One assistant's bill with `reports` reports, each with its own id of `idLength` characters. */
function billOf(reports: number, options: { name?: string; idLength?: number; contract?: string; ids?: "words" } = {}): { header: BatchHeader; line: BatchLine } {
  const { header, lines } = krakowBatch({ assistants: 1, beneficiaries: 1 });
  const rateLines = Array.from({ length: reports }, (_, i) => {
    const reportId = options.ids === "words" ? `rep-2026-11-office-affix-${i + 1}` : reportIdOf("krakow-aou", "2026-11", "p-anna", `AOU-${i + 1}`).padEnd(options.idLength ?? 0, "f");
    return { reportId, beneficiaryCode: `AOU-OFFICE-${i + 1}`, rateGrosze: RATE_GROSZE, minutes: 360, amountGrosze: amountGrosze(360, RATE_GROSZE) };
  });
  const line: BatchLine = {
    ...lines[0],
    assistantName: options.name ?? lines[0].assistantName,
    contractNumber: options.contract ?? lines[0].contractNumber,
    minutes: 360 * reports,
    grossGrosze: rateLines.reduce((s, r) => s + r.amountGrosze, 0),
    reportIds: rateLines.map((r) => r.reportId),
    rateLines,
  };
  return { header: { ...header, totals: { reports, minutes: line.minutes, grosze: line.grossGrosze } }, line };
}

const LONG_NAME = "Maria-Magdalena Konstantynopolitańczykiewiczówna-Szczebrzeszyńska-Brzęczyszczykiewicz von Affenfiffenstein";

describe("PDF text layer", () => {
  it("reads 'office', 'affix' and hashes with ff/fi on a bill and a card letter by letter, without ligatures", async () => {
    const hash = "ff".repeat(16) + "f1fi".repeat(4) + "0ffe".repeat(4);
    const { header, line } = billOf(2, { name: "Jan Offizier-Affleck", contract: "AOU/office/affix/2026", ids: "words" });
    const bill = pdfTextOf(dir, "ligature-bill", await bytesOf((out) => writeBillPdf(line, { ...header, programmeName: "MOPS office affix" }, out)));
    const card = pdfTextOf(
      dir,
      "ligature-card",
      await bytesOf((out) => writeReportCardPdf(reportCard({ reportId: "rep-office-affix", assistantName: "Jan Offizier-Affleck", contentHash: hash }), out)),
    );
    for (const text of [bill, card]) {
      expect(text).not.toMatch(LIGATURES);
      expect(text).toContain("Offizier-Affleck");
    }
    expect(bill).toContain("AOU/office/affix/2026");
    expect(card).toContain("rep-office-affix");
    expect(card.replace(/\s+/g, "")).toContain(hash);
    expect(bill).toContain("rep-2026-11-office-affix-1");
  });
});

describe("bill layout", () => {
  it.each([
    ["6 reports (a Kraków caseload)", 6, {}],
    ["30 reports", 30, {}],
    ["30 reports with long ids and a long name", 30, { name: LONG_NAME, idLength: 60, contract: "AOU/".padEnd(80, "9") }],
  ])("prints no word over another with %s", async (_, reports, options) => {
    const { header, line } = billOf(reports, options);
    const pdf = await bytesOf((out) => writeBillPdf(line, header, out));
    const words = pdfWordBoxes(dir, `bill-${reports}`, pdf);
    expect(words.length).toBeGreaterThan(50);
    expect(overlappingWords(words).map(([a, b]) => `${a.text} × ${b.text}`)).toEqual([]);
    // nothing runs off the page (A4: 595 × 842 pt)
    for (const w of words) expect(w.xMax <= 595 && w.yMax <= 842, w.text).toBe(true);
  });
});

describe("report card layout", () => {
  it("prints no word over another on a card with a long name, a number and 40 visits", async () => {
    const card = reportCard({ minutes: 40 * 60, assistantName: LONG_NAME, reportNumber: "KRK-AOU/2026-11/P1/001/1", approvedBy: LONG_NAME });
    const words = pdfWordBoxes(dir, "card-long", await bytesOf((out) => writeReportCardPdf(card, out)));
    expect(words.length).toBeGreaterThan(200);
    expect(overlappingWords(words).map(([a, b]) => `${a.text} × ${b.text}`)).toEqual([]);
  });
});
