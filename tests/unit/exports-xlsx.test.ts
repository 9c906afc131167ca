import { PassThrough } from "node:stream";
import { buffer } from "node:stream/consumers";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import {
  REPORTS_SHEET,
  SUMMARY_SHEET,
  XLSX_HEADING_ROW,
  sheetSink,
  writeBatchXlsx,
} from "../../functions/core/exports/index.js";
import { asAsync, krakowBatch } from "../fixtures/exports/batch.js";

async function xlsxOf(batch: ReturnType<typeof krakowBatch>): Promise<ExcelJS.Workbook> {
  const out = new PassThrough();
  const bytes = buffer(out);
  await writeBatchXlsx(batch.header, asAsync(batch.lines), asAsync(batch.cards), out);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await bytes) as unknown as ArrayBuffer);
  return workbook;
}

function headings(sheet: ExcelJS.Worksheet): string[] {
  return (sheet.getRow(XLSX_HEADING_ROW).values as unknown[]).slice(1).map(String);
}

function cellOf(sheet: ExcelJS.Worksheet, row: number, heading: string): ExcelJS.Cell {
  return sheet.getRow(row).getCell(headings(sheet).indexOf(heading) + 1);
}

function resultOf(cell: ExcelJS.Cell): unknown {
  const value = cell.value as ExcelJS.CellFormulaValue | number;
  return typeof value === "object" && value !== null && "formula" in value ? value.result : value;
}

describe("batch XLSX", () => {
  it("has the summary and report sheets, with the batch id and kind above the headings", async () => {
    const workbook = await xlsxOf(krakowBatch());

    expect(workbook.worksheets.map((s) => s.name)).toEqual([SUMMARY_SHEET, REPORTS_SHEET]);
    const summary = workbook.getWorksheet(SUMMARY_SHEET)!;
    expect(String(summary.getCell("A1").value)).toBe("Paczka płatności B-2026-11-001 (główna)");
    expect(String(summary.getCell("A2").value)).toContain("listopad 2026");
    expect(headings(summary)).toContain("Kwota brutto (zł)");
  });

  it("stores amounts, hours and counts as numbers, the month as a date, money in a złoty format", async () => {
    const workbook = await xlsxOf(krakowBatch());
    const summary = workbook.getWorksheet(SUMMARY_SHEET)!;
    const first = XLSX_HEADING_ROW + 1;

    expect(cellOf(summary, first, "Kwota brutto (zł)").value).toBe(3456);
    expect(cellOf(summary, first, "Kwota brutto (zł)").numFmt).toContain("zł");
    expect(cellOf(summary, first, "Stawka (zł)").value).toBe(96);
    expect(cellOf(summary, first, "Godziny (dziesiętnie)").value).toBe(36);
    expect(cellOf(summary, first, "Godziny (dziesiętnie)").numFmt).toBe("0.00");
    expect(cellOf(summary, first, "Minuty").value).toBe(2160);
    expect(cellOf(summary, first, "Liczba sprawozdań").value).toBe(6);
    expect(cellOf(summary, first, "Miesiąc").value).toEqual(new Date("2026-11-01T00:00:00Z"));
    expect(cellOf(summary, first, "Asystent").value).toBe("Anna Łęcka");
  });

  it("ends the summary with a totals row whose sums equal the lines", async () => {
    const workbook = await xlsxOf(krakowBatch());
    const summary = workbook.getWorksheet(SUMMARY_SHEET)!;
    const totalsRow = XLSX_HEADING_ROW + 5;

    expect(summary.getRow(totalsRow).getCell(1).value).toBe("RAZEM");
    const amount = cellOf(summary, totalsRow, "Kwota brutto (zł)");
    expect(amount.formula).toBe(`SUM(I${XLSX_HEADING_ROW + 1}:I${XLSX_HEADING_ROW + 4})`);
    expect(resultOf(amount)).toBe(13824);
    expect(resultOf(cellOf(summary, totalsRow, "Minuty"))).toBe(8640);
    expect(resultOf(cellOf(summary, totalsRow, "Liczba sprawozdań"))).toBe(24);
  });

  it("lists one row per report with its amount, approver and content hash", async () => {
    const workbook = await xlsxOf(krakowBatch());
    const reports = workbook.getWorksheet(REPORTS_SHEET)!;
    const first = XLSX_HEADING_ROW + 1;

    expect(cellOf(reports, first, "Nr sprawozdania").value).toBe("rep-2026-11-a1-b1");
    expect(cellOf(reports, first, "Kwota brutto (zł)").value).toBe(576);
    expect(cellOf(reports, first, "Zatwierdził(a)").value).toBe("Ewa Żak");
    expect(cellOf(reports, first, "Zatwierdzono (czas warszawski)").value).toEqual(new Date("2026-12-04T11:15:00Z"));
    expect(cellOf(reports, first, "Skrót SHA-256 treści").value).toBe("3f".repeat(32));
    const totalsRow = first + 24;
    expect(reports.getRow(totalsRow).getCell(1).value).toBe("RAZEM");
    expect(resultOf(cellOf(reports, totalsRow, "Kwota brutto (zł)"))).toBe(13824);
  });

  it("writes a valid workbook for an empty batch", async () => {
    const batch = krakowBatch();
    const workbook = await xlsxOf({ ...batch, lines: [], cards: [], header: { ...batch.header, totals: { reports: 0, minutes: 0, grosze: 0 } } });

    const summary = workbook.getWorksheet(SUMMARY_SHEET)!;
    expect(summary.getRow(XLSX_HEADING_ROW + 1).getCell(1).value).toBe("RAZEM");
  });
});

describe("XLSX streaming", () => {
  it("reaches the stream each sheet is zipped through, so long sheets wait for it to drain", () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: new PassThrough() });
    const sheet = workbook.addWorksheet("A");

    sheet.addRow(["x"]).commit();

    // if an exceljs upgrade moves this internal, memory grows with the row count again
    expect(sheetSink(sheet)).toBeDefined();
  });
});
