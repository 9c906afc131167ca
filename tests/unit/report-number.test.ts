import { rmSync } from "node:fs";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { batchLineOf, numberedLines, paymentLines, reportCardOf, reportNumber, reportNumbering, totalsOf, type BatchReportLine, type NumberedReportLine } from "../../functions/core/batch.js";
import { seedProgramme } from "../../functions/core/programme.js";
import { newReport, type Report } from "../../functions/core/report.js";
import { REPORTS_SHEET, writeBatchCsv, writeBatchXlsx, writeBillPdf, writeReportCardPdf, type BatchHeader, type BatchLine, type ReportCard } from "../../functions/core/exports/index.js";
import { bytesOf, pdfTextOf, workDir } from "../support/read-back.js";

const krakow = seedProgramme("krakow-aou")!;
const dir = workDir("report-number-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function approvedReport(assistantId: string, code: string): Report {
  const visit = { id: "v1", date: "2026-12-02", start: "2026-12-02T14:00:00.000Z", end: "2026-12-02T15:30:00.000Z", scopeIds: ["t05-job-activation"], mode: "in_person" as const };
  return { ...newReport({ programmeId: "krakow-aou", month: "2026-12", assistantId, beneficiaryCode: code }), visits: [visit], status: "approved", decidedAt: "2027-01-08T10:00:00.000Z", decidedBy: "p-krakow-approver" };
}

const NAMES: Record<string, string> = { "p-cwik": "Jan Ćwik", "p-zak": "Piotr Żak" };

/** Ćwik's three reports and Żak's two, streamed in surname order (Ćwik's deliberately not in code order). */
async function* ordered(): AsyncGenerator<BatchReportLine> {
  for (const [a, code] of [["p-cwik", "KR-AOU-003"], ["p-cwik", "KR-AOU-001"], ["p-cwik", "KR-AOU-002"], ["p-zak", "KR-AOU-010"], ["p-zak", "KR-AOU-009"]]) {
    yield batchLineOf(approvedReport(a, code), krakow, "krakow-aou-2026-12-p01");
  }
}

const numbering = reportNumbering({ month: "2026-12", seq: 1 }, krakow);

async function numberedBatch() {
  const reports: NumberedReportLine[] = [];
  for await (const line of numberedLines(ordered(), numbering)) reports.push(line);
  const lines: BatchLine[] = [];
  async function* again() {
    yield* reports;
  }
  for await (const l of paymentLines(again(), "2026-12", async (id) => ({ name: NAMES[id], contractNumber: "AOU/1/2026" }))) lines.push(l);
  const cards: ReportCard[] = reports.map((line) =>
    reportCardOf(approvedReport(line.assistantId, line.beneficiaryCode), line, { programme: krakow, assistantName: NAMES[line.assistantId], approverName: "Ewa Żak" }),
  );
  const header: BatchHeader = { batchId: "krakow-aou-2026-12-p01", programmeId: "krakow-aou", programmeName: krakow.name.pl, month: "2026-12", kind: "main", createdAt: "2027-01-15T09:00:00.000Z", totals: totalsOf(reports) };
  return { reports, lines, cards, header };
}

describe("report numbers people can read", () => {
  it("reads programme code, month, batch, the assistant's place by surname and the report's place", () => {
    expect(reportNumber({ programmeCode: "KRK-AOU", month: "2026-12", batchSeq: 1, assistantPosition: 3, reportPosition: 2 })).toBe("KRK-AOU/2026-12/P1/003/2");
    expect(reportNumber({ programmeCode: "WRO-AO", month: "2026-11", batchSeq: 2, assistantPosition: 1234, reportPosition: 11 })).toBe("WRO-AO/2026-11/P2/1234/11");
  });

  it("numbers the reports of each assistant in beneficiary-code order, assistants as they come", async () => {
    const { reports } = await numberedBatch();
    expect(reports.map((l) => [l.beneficiaryCode, l.reportNumber])).toEqual([
      ["KR-AOU-001", "KRK-AOU/2026-12/P1/001/1"],
      ["KR-AOU-002", "KRK-AOU/2026-12/P1/001/2"],
      ["KR-AOU-003", "KRK-AOU/2026-12/P1/001/3"],
      ["KR-AOU-009", "KRK-AOU/2026-12/P1/002/1"],
      ["KR-AOU-010", "KRK-AOU/2026-12/P1/002/2"],
    ]);
  });

  it("shows each number in the CSV, both XLSX sheets, the bill and the card; the internal id only in the audit sheet and on the card", async () => {
    const { reports, lines, cards, header } = await numberedBatch();
    const numbers = reports.map((r) => r.reportNumber);

    const csv: string[][] = parse(await bytesOf((out) => writeBatchCsv(header, lines, out)), { delimiter: ";", bom: true });
    const number = csv[0].indexOf("Nr sprawozdania");
    expect(csv[0]).not.toContain("Id sprawozdania");
    expect(csv.slice(1, -1).map((r) => r[number])).toEqual(numbers);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await bytesOf((out) => writeBatchXlsx(header, lines, cards, out))) as unknown as ArrayBuffer);
    for (const sheet of workbook.worksheets) {
      const heading = sheet.getRow(4).values as unknown[];
      const rows: unknown[][] = [];
      sheet.eachRow((row, r) => {
        const id = heading.indexOf("Id sprawozdania");
        if (r > 4 && row.getCell(1).value !== "RAZEM") rows.push([row.getCell(heading.indexOf("Nr sprawozdania")).value, id > 0 ? row.getCell(id).value : null]);
      });
      const audit = sheet.name === REPORTS_SHEET;
      expect(rows, sheet.name).toEqual(reports.map((r) => [r.reportNumber, audit ? r.reportId : null]));
    }

    const bill = pdfTextOf(dir, "bill", await bytesOf((out) => writeBillPdf(lines[0], header, out))).replace(/\s+/g, " ");
    for (const n of numbers.slice(0, 3)) expect(bill).toContain(n);
    const card = pdfTextOf(dir, "card", await bytesOf((out) => writeReportCardPdf(cards[3], out))).replace(/\s+/g, " ");
    expect(card).toContain(`KRK-AOU/2026-12/P1/002/1`);
    expect(card).toContain(reports[3].reportId);
  });
});
