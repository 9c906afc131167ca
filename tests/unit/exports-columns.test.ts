import { rmSync } from "node:fs";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import {
  BILL_COLUMNS,
  CSV_PAYMENT_COLUMNS,
  PAYMENT_COLUMNS,
  SUMMARY_SHEET,
  XLSX_HEADING_ROW,
  XLSX_PAYMENT_COLUMNS,
  writeBatchCsv,
  writeBatchXlsx,
  writeBillPdf,
} from "../../functions/core/exports/index.js";
import { krakowBatch } from "../fixtures/exports/batch.js";
import { bytesOf, pdfTextOf, workDir } from "../support/read-back.js";

const dir = workDir("columns-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function batch() {
  const b = krakowBatch({ assistants: 2, beneficiaries: 3, minutesPerReport: 175 });
  b.header = { ...b.header, costCentre: "DD-AOU", budgetClassification: { section: "852", chapter: "85295", paragraph: "4170" }, projectCode: "AOU-2026" };
  b.lines = b.lines.map((line, a) => ({ ...line, rateLines: line.rateLines.map((r, i) => ({ ...r, reportNumber: `KRK-AOU/2026-11/P1/00${a + 1}/${i + 1}` })) }));
  return b;
}

describe("one column table for the payment files", () => {
  it("gives the CSV, the XLSX payment sheet and the bill their headings from the same list", async () => {
    const { header, lines, cards } = batch();
    const csv: string[][] = parse(await bytesOf((out) => writeBatchCsv(header, lines, out)), { delimiter: ";", bom: true });
    expect(csv[0]).toEqual(CSV_PAYMENT_COLUMNS.map((c) => c.heading));

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await bytesOf((out) => writeBatchXlsx(header, lines, cards, out))) as unknown as ArrayBuffer);
    const summary = workbook.getWorksheet(SUMMARY_SHEET)!;
    expect((summary.getRow(XLSX_HEADING_ROW).values as unknown[]).slice(1)).toEqual(XLSX_PAYMENT_COLUMNS.map((c) => c.heading));

    const bill = pdfTextOf(dir, "bill", await bytesOf((out) => writeBillPdf(lines[0], header, out))).replace(/\s+/g, " ");
    // a heading may wrap inside its cell, so word by word
    for (const c of BILL_COLUMNS) for (const word of (c.bill!.heading ?? c.heading).split(" ")) expect(bill).toContain(word);
    expect(PAYMENT_COLUMNS.filter((c) => c.csv && c.xlsx && c.bill).map((c) => c.heading)).toContain("Kwota brutto (zł)");
  });

  it("writes the same value of every shared column in the CSV, the XLSX and the bill rows", async () => {
    const { header, lines, cards } = batch();
    const csv: string[][] = parse(await bytesOf((out) => writeBatchCsv(header, lines, out)), { delimiter: ";", bom: true });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await bytesOf((out) => writeBatchXlsx(header, lines, cards, out))) as unknown as ArrayBuffer);
    const summary = workbook.getWorksheet(SUMMARY_SHEET)!;
    const xlsxHeadings = (summary.getRow(XLSX_HEADING_ROW).values as unknown[]).slice(1);
    const rows = lines.flatMap((line) => line.rateLines.map((rate, index) => ({ header, line, rate, index })));
    rows.forEach((row, i) => {
      for (const column of PAYMENT_COLUMNS.filter((c) => c.csv && c.xlsx)) {
        const value = column.value(row);
        const csvCell = csv[1 + i][csv[0].indexOf(column.heading)];
        const xlsxCell = summary.getRow(XLSX_HEADING_ROW + 1 + i).getCell(xlsxHeadings.indexOf(column.heading) + 1).value;
        if (column.type === "zloty") {
          expect(csvCell).toBe(`${Math.trunc((value as number) / 100)},${String((value as number) % 100).padStart(2, "0")}`);
          expect(Math.round((xlsxCell as number) * 100)).toBe(value);
        } else if (column.type === "text") {
          expect(csvCell).toBe(value ?? "");
          expect(xlsxCell).toBe(value);
        }
      }
    });
    // the bill rows: number, code, 2:55, 2,92, 96,00 zł, 280,00 zł
    const bill = pdfTextOf(dir, "bill-values", await bytesOf((out) => writeBillPdf(lines[0], header, out)), ["-layout"]);
    expect(bill).toMatch(/KRK-AOU\/2026-11\/P1\/001\/1\s+AOU-11\s+2:55\s+2,92\s+96,00\s*zł\s+280,00\s*zł/u);
  });
});
