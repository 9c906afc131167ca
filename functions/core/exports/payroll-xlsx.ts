import { TOTALS_LABEL } from "./columns.js";
import { PAYROLL_COLUMNS, payrollNotice, type Payroll } from "./payments.js";

const ZLOTY = '#,##0.00\\ "zł"';
const HEADING_ROW = 3;

/** Column letters of the sheet (A, B, …, T), by the column's place in PAYROLL_COLUMNS. */
const letter = (index: number) => (index < 26 ? String.fromCharCode(65 + index) : `A${String.fromCharCode(65 + index - 26)}`);

/**
 * The payroll export as XLSX (one sheet "Płace"): the estimate notice, the headings, one row per
 * assistant with money as numbers in złoty, and a totals row of SUM formulas over the rows
 * (addressed by column position from PAYROLL_COLUMNS, never by heading text) with their values.
 * Small (one row per assistant), so exceljs's workbook writes it; only its Workbook is loaded.
 */
export async function payrollXlsx(payroll: Payroll): Promise<Buffer> {
  const { default: Workbook } = await import("exceljs/lib/doc/workbook.js");
  const book = new Workbook();
  book.created = new Date(payroll.header.createdAt);
  book.modified = book.created;
  const sheet = book.addWorksheet("Płace", { views: [{ state: "frozen", ySplit: HEADING_ROW }] });
  sheet.getCell("A1").value = payrollNotice(payroll);
  sheet.getCell("A1").font = { bold: true };
  const headings = sheet.getRow(HEADING_ROW);
  PAYROLL_COLUMNS.forEach((c, i) => {
    headings.getCell(i + 1).value = c.heading;
    headings.getCell(i + 1).font = { bold: true };
    headings.getCell(i + 1).alignment = { wrapText: true, vertical: "top" };
    sheet.getColumn(i + 1).width = i === 0 ? 30 : i === 2 ? 26 : 16;
    if (c.money) sheet.getColumn(i + 1).numFmt = ZLOTY;
  });
  payroll.rows.forEach((r, n) => {
    const row = sheet.getRow(HEADING_ROW + 1 + n);
    PAYROLL_COLUMNS.forEach((c, i) => {
      const value = c.value(r);
      row.getCell(i + 1).value = typeof value === "number" && c.money ? value / 100 : value;
    });
  });
  const first = HEADING_ROW + 1;
  const last = HEADING_ROW + payroll.rows.length;
  const totals = sheet.getRow(last + 1);
  totals.getCell(1).value = TOTALS_LABEL;
  PAYROLL_COLUMNS.forEach((c, i) => {
    if (!c.total) return;
    const value = c.total(payroll.totals);
    const result = c.money ? value / 100 : value;
    const col = letter(i);
    totals.getCell(i + 1).value = payroll.rows.length ? { formula: `SUM(${col}${first}:${col}${last})`, result } : result;
  });
  totals.font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}
