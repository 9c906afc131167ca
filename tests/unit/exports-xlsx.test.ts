import { PassThrough } from "node:stream";
import { buffer } from "node:stream/consumers";
import { setTimeout as sleep } from "node:timers/promises";
import ExcelJS from "exceljs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { amountGrosze } from "../../functions/core/money.js";
import {
  BatchLine,
  BatchTotalsMismatchError,
  parseBatchLine,
  parseReportRow,
  REPORT_SHEET_COLUMNS,
  REPORTS_SHEET,
  ReportRow,
  SUMMARY_SHEET,
  warsawSerial,
  XLSX_PAYMENT_COLUMNS,
  warsawWallDate,
  XLSX_HEADING_ROW,
  writeBatchXlsx,
  xmlText,
} from "../../functions/core/exports/index.js";
import { asAsync, krakowBatch, unzip } from "../fixtures/exports/batch.js";

type Batch = ReturnType<typeof krakowBatch>;

async function bytesOf(batch: Batch): Promise<Buffer> {
  const out = new PassThrough();
  const bytes = buffer(out);
  await writeBatchXlsx(batch.header, asAsync(batch.lines), asAsync(batch.cards), out);
  return bytes;
}

async function xlsxOf(batch: Batch): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await bytesOf(batch)) as unknown as ArrayBuffer);
  return workbook;
}

/** A batch of one assistant with one report, with text fields replaced. */
function oneLineBatch(text: { name?: string; contract?: string; approvedAt?: string } = {}): Batch {
  const batch = krakowBatch({ assistants: 1, beneficiaries: 1 });
  const name = text.name ?? batch.lines[0].assistantName;
  return {
    ...batch,
    lines: [{ ...batch.lines[0], assistantName: name, contractNumber: text.contract ?? batch.lines[0].contractNumber }],
    cards: [
      { ...batch.cards[0], assistantName: name, approvedAt: text.approvedAt ?? batch.cards[0].approvedAt },
    ],
  };
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

  it("takes both sheets' columns from the column tables, so a column is added in one place", async () => {
    const workbook = await xlsxOf(krakowBatch());

    expect(headings(workbook.getWorksheet(SUMMARY_SHEET)!)).toEqual(XLSX_PAYMENT_COLUMNS.map((c) => c.heading));
    expect(headings(workbook.getWorksheet(REPORTS_SHEET)!)).toEqual(REPORT_SHEET_COLUMNS.map((c) => c.heading));
    const reports = workbook.getWorksheet(REPORTS_SHEET)!;
    expect(cellOf(reports, XLSX_HEADING_ROW + 1, "Wersja").value).toBe(1);
    expect(cellOf(reports, XLSX_HEADING_ROW + 1, "Zatwierdzono (czas warszawski)").numFmt).toBe("yyyy-mm-dd hh:mm");
  });

  it("stores amounts, hours and counts as numbers, the month as a date, money in a złoty format", async () => {
    const workbook = await xlsxOf(krakowBatch());
    const summary = workbook.getWorksheet(SUMMARY_SHEET)!;
    const first = XLSX_HEADING_ROW + 1;

    // one row per report × rate of the assistant's bill
    expect(cellOf(summary, first, "Kwota brutto (zł)").value).toBe(576);
    expect(cellOf(summary, first, "Kwota brutto (zł)").numFmt).toContain("zł");
    expect(cellOf(summary, first, "Stawka (zł)").value).toBe(96);
    expect(cellOf(summary, first, "Godziny (dziesiętnie)").value).toBe(6);
    expect(cellOf(summary, first, "Godziny (dziesiętnie)").numFmt).toBe("0.00");
    expect(cellOf(summary, first, "Minuty").value).toBe(360);
    expect(cellOf(summary, first, "Liczba sprawozdań").value).toBe(1);
    expect(cellOf(summary, first, "Miesiąc").value).toEqual(new Date("2026-11-01T00:00:00Z"));
    expect(cellOf(summary, first, "Asystent").value).toBe("Anna Łęcka");
  });

  it("ends the summary with a totals row whose sums equal the lines", async () => {
    const workbook = await xlsxOf(krakowBatch());
    const summary = workbook.getWorksheet(SUMMARY_SHEET)!;
    const totalsRow = XLSX_HEADING_ROW + 25;

    expect(summary.getRow(totalsRow).getCell(1).value).toBe("RAZEM");
    const amount = cellOf(summary, totalsRow, "Kwota brutto (zł)");
    const column = String.fromCharCode(65 + headings(summary).indexOf("Kwota brutto (zł)"));
    expect(amount.formula).toBe(`SUM(${column}${XLSX_HEADING_ROW + 1}:${column}${XLSX_HEADING_ROW + 24})`);
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

describe("XLSX written by hand, read back by exceljs", () => {
  it("keeps Polish letters and XML markup characters in text cells", async () => {
    const name = `Żaneta <Łódź> & "Ćma" 'Ó'`;
    const workbook = await xlsxOf(oneLineBatch({ name, contract: "A&B/<1>/2026" }));

    const summary = workbook.getWorksheet(SUMMARY_SHEET)!;
    const reports = workbook.getWorksheet(REPORTS_SHEET)!;
    expect(cellOf(summary, XLSX_HEADING_ROW + 1, "Asystent").value).toBe(name);
    expect(cellOf(summary, XLSX_HEADING_ROW + 1, "Nr umowy").value).toBe("A&B/<1>/2026");
    expect(cellOf(reports, XLSX_HEADING_ROW + 1, "Asystent").value).toBe(name);
  });

  it("leaves out characters XML 1.0 forbids, keeps spaces and tabs, and puts a line break's text on the same line", async () => {
    const workbook = await xlsxOf(oneLineBatch({ name: " Anna\u0001\u001f Łęcka\ud800 ", contract: "AOU\t1\r\n2026" }));

    const summary = workbook.getWorksheet(SUMMARY_SHEET)!;
    expect(cellOf(summary, XLSX_HEADING_ROW + 1, "Asystent").value).toBe(" Anna Łęcka ");
    expect(cellOf(summary, XLSX_HEADING_ROW + 1, "Nr umowy").value).toBe("AOU\t1 2026");
  });

  it.each([
    ["plain", "Anna", "Anna"],
    ["markup", `<a href="x">&amp;</a>`, "&lt;a href=&quot;x&quot;&gt;&amp;amp;&lt;/a&gt;"],
    ["forbidden controls", "a\u0000b\u000bc\ufffe", "abc"],
    ["a lone surrogate", "x\udc00y\ud83d", "xy"],
    ["an emoji (a surrogate pair)", "ok 👍", "ok 👍"],
    ["a carriage return", "a\rb", "a&#13;b"],
  ])("escapes %s for XML", (_, value, xml) => {
    expect(xmlText(value)).toBe(xml);
  });

  it("reads numbers, dates and totals formulas with their results", async () => {
    const workbook = await xlsxOf(oneLineBatch({ approvedAt: "2026-07-01T21:59:30.000Z" }));

    const reports = workbook.getWorksheet(REPORTS_SHEET)!;
    const first = XLSX_HEADING_ROW + 1;
    expect(cellOf(reports, first, "Wersja").value).toBe(1);
    expect(cellOf(reports, first, "Minuty").value).toBe(360);
    expect(cellOf(reports, first, "Stawka (zł)").value).toBe(96);
    expect(cellOf(reports, first, "Miesiąc").value).toEqual(new Date("2026-11-01T00:00:00Z"));
    // summer time: 21:59:30 UTC is 23:59 in Warsaw, seconds dropped
    expect(cellOf(reports, first, "Zatwierdzono (czas warszawski)").value).toEqual(new Date("2026-07-01T23:59:00Z"));
    const totals = reports.getRow(first + 1);
    expect(totals.getCell(1).value).toBe("RAZEM");
    const amount = cellOf(reports, first + 1, "Kwota brutto (zł)");
    const column = String.fromCharCode(65 + headings(reports).indexOf("Kwota brutto (zł)"));
    expect(amount.formula).toBe(`SUM(${column}${first}:${column}${first})`);
    expect(resultOf(amount)).toBe(576);
  });

  it("freezes the rows above the data, sets column widths, and formats numbers, dates and fonts", async () => {
    const workbook = await xlsxOf(krakowBatch());

    for (const sheet of workbook.worksheets) {
      expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: XLSX_HEADING_ROW });
      expect(sheet.getCell("A1").font).toMatchObject({ bold: true, size: 13 });
      expect(sheet.getRow(XLSX_HEADING_ROW).getCell(1).font).toMatchObject({ bold: true });
    }
    const summary = workbook.getWorksheet(SUMMARY_SHEET)!;
    expect(summary.getColumn(1).width).toBe(32);
    expect(summary.getColumn(headings(summary).indexOf("Nr sprawozdania") + 1).width).toBe(26);
    expect(headings(summary)).not.toContain("Id sprawozdania"); // finance reads report numbers, not internal ids
    const first = XLSX_HEADING_ROW + 1;
    expect(
      Object.fromEntries(
        ["Miesiąc", "Minuty", "Godziny (GG:MM)", "Godziny (dziesiętnie)", "Stawka (zł)", "Kwota brutto (zł)", "Liczba sprawozdań"].map((h) => [
          h,
          cellOf(summary, first, h).numFmt,
        ]),
      ),
    ).toEqual({
      Miesiąc: "yyyy-mm",
      Minuty: "0",
      "Godziny (GG:MM)": "[h]:mm",
      "Godziny (dziesiętnie)": "0.00",
      // exceljs reads `#,##0.00\\ "zł"` without its backslash, as it did the files it wrote itself
      "Stawka (zł)": '#,##0.00 "zł"',
      "Kwota brutto (zł)": '#,##0.00 "zł"',
      "Liczba sprawozdań": "0",
    });
    const totals = summary.getRow(first + 24);
    expect(totals.getCell(1).font).toMatchObject({ bold: true });
    expect(cellOf(summary, first + 24, "Kwota brutto (zł)")).toMatchObject({ numFmt: '#,##0.00 "zł"', font: { bold: true } });
    const reports = workbook.getWorksheet(REPORTS_SHEET)!;
    expect(cellOf(reports, first, "Zatwierdzono (czas warszawski)").numFmt).toBe("yyyy-mm-dd hh:mm");
    expect(reports.getColumn(headings(reports).indexOf("Skrót SHA-256 treści") + 1).width).toBe(66);
  });

  it("declares the number formats finance has always had", async () => {
    const styles = unzip(await bytesOf(krakowBatch())).get("xl/styles.xml")!.toString("utf8");

    for (const code of ['#,##0.00\\ &quot;zł&quot;', "[h]:mm", "yyyy-mm", "yyyy-mm-dd hh:mm"]) expect(styles).toContain(`formatCode="${code}"`);
  });

  it("names Karta as author and the batch's creation as the workbook's time", async () => {
    const batch = krakowBatch();
    const workbook = await xlsxOf(batch);

    expect(workbook.creator).toBe("Karta");
    expect(workbook.created).toEqual(new Date(batch.header.createdAt));
    expect(workbook.modified).toEqual(new Date(batch.header.createdAt));
  });

  it("writes the same bytes for the same batch", async () => {
    const first = await bytesOf(krakowBatch());
    await sleep(1100); // a writer that stamps the clock would differ now
    const second = await bytesOf(krakowBatch());

    expect(second.equals(first)).toBe(true);
    expect([...unzip(first).keys()].sort()).toEqual([
      "[Content_Types].xml",
      "_rels/.rels",
      "docProps/core.xml",
      "xl/_rels/workbook.xml.rels",
      "xl/styles.xml",
      "xl/workbook.xml",
      "xl/worksheets/sheet1.xml",
      "xl/worksheets/sheet2.xml",
    ]);
  });

  it("refuses a batch whose lines do not add up to the header's control totals", async () => {
    const batch = krakowBatch();
    const out = new PassThrough();
    const failed = new Promise((resolve) => out.on("error", resolve));
    out.resume();

    await expect(
      writeBatchXlsx({ ...batch.header, totals: { ...batch.header.totals, minutes: 1 } }, batch.lines, batch.cards, out),
    ).rejects.toBeInstanceOf(BatchTotalsMismatchError);
    expect(await failed).toBeInstanceOf(BatchTotalsMismatchError); // the half-written file is not taken for a whole one
  });

  it("waits for a slow reader instead of holding the sheet in memory", async () => {
    const { header, lines: [line] } = krakowBatch({ assistants: 1, beneficiaries: 1 });
    const count = 60_000;
    let pulled = 0;
    function* lines(): Generator<BatchLine> {
      for (let i = 0; i < count; i++, pulled++) yield { ...line, assistantName: `Anna ${(i * 7919) % 100_003}`, reportIds: [`r-${i}`] };
    }
    const totals = { reports: count, minutes: count * line.minutes, grosze: count * line.grossGrosze };
    const out = new PassThrough({ highWaterMark: 16 * 1024 });

    const writing = writeBatchXlsx({ ...header, totals }, lines(), [], out);
    await sleep(300);

    expect(pulled).toBeLessThan(count / 2);
    expect(out.readableLength).toBeLessThanOrEqual(64 * 1024);
    const bytes = buffer(out);
    await expect(writing).resolves.toEqual(totals);
    expect(unzip(await bytes).get("xl/worksheets/sheet1.xml")!.toString("utf8")).toContain(`<row r="${XLSX_HEADING_ROW + count}">`);
  });

  it("fails instead of waiting forever when the reader goes away", async () => {
    const { header, lines: [line] } = krakowBatch({ assistants: 1, beneficiaries: 1 });
    const count = 60_000;
    const lines = Array.from({ length: count }, (_, i) => ({ ...line, assistantName: `Anna ${(i * 7919) % 100_003}` }));
    const totals = { reports: count, minutes: count * line.minutes, grosze: count * line.grossGrosze };
    const out = new PassThrough({ highWaterMark: 16 * 1024 });
    out.once("data", () => out.destroy());

    await expect(writeBatchXlsx({ ...header, totals }, lines, [], out)).rejects.toThrow();
  });
});

describe("row checks of the exports", () => {
  // mostly valid rows, with each field sometimes replaced by an odd value
  const odd = fc.constantFrom<unknown>(undefined, null, "", " ", "2026-13", "2026-1", 0, -1, 1.5, Number.NaN, Infinity, 2 ** 53, "1", [], {}, [""], [undefined]);
  const field = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: odd });
  const count = fc.integer({ min: 0, max: 1_000_000 });
  const parsed = (parse: (raw: unknown) => unknown, raw: unknown) => {
    try {
      return { ok: true, value: parse(raw) };
    } catch (error) {
      return { ok: false, error: String(error) };
    }
  };

  // rate lines mostly priced right (amount = minutes × rate ÷ 60, half-up), sometimes a grosz off
  const priced = (l: Record<string, unknown>, off: number) => {
    try {
      return { ...l, amountGrosze: amountGrosze(l.minutes as number, l.rateGrosze as number) + off };
    } catch {
      return { ...l, amountGrosze: l.minutes };
    }
  };
  const rateLine = (billed: boolean) =>
    fc
      .tuple(
        fc.record({
          ...(billed ? { reportId: field(fc.string({ maxLength: 3 })), beneficiaryCode: field(fc.string({ maxLength: 3 })) } : {}),
          rateGrosze: field(fc.integer({ min: 0, max: 20_000 })),
          minutes: field(fc.integer({ min: 0, max: 3_000 })),
        }),
        fc.constantFrom(0, 0, 0, 0, 1),
      )
      .map(([l, off]) => priced(l, off));
  // the line's totals mostly the sums of its rate lines
  const summed = <T extends Record<string, unknown>>(raw: T, minutesKey: string, groszeKey: string, consistent: boolean): T => {
    if (!consistent || !Array.isArray(raw.rateLines)) return raw;
    const sum = (key: string) => (raw.rateLines as Record<string, unknown>[]).reduce<number>((s, l) => s + (typeof l?.[key] === "number" ? (l[key] as number) : 0), 0);
    return { ...raw, [minutesKey]: sum("minutes"), [groszeKey]: sum("amountGrosze") };
  };

  it("accept and refuse payment lines exactly as the BatchLine schema does", () => {
    const line = fc
      .tuple(
        fc.record({
          assistantName: field(fc.string({ maxLength: 5 })),
          contractNumber: field(fc.string({ maxLength: 5 })),
          bankAccount: field(fc.string({ maxLength: 5 })),
          month: field(fc.constantFrom("2026-11", "2026-01", "2026-12")),
          minutes: field(count),
          grossGrosze: field(count),
          reportIds: field(fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 })),
          rateLines: field(fc.array(rateLine(true), { maxLength: 3 })),
          extra: fc.option(fc.string()),
        }),
        fc.boolean(),
      )
      .map(([raw, consistent]) => summed(raw, "minutes", "grossGrosze", consistent));
    fc.assert(
      fc.property(line, (raw) => {
        expect(parsed(parseBatchLine, raw)).toEqual(parsed((r) => BatchLine.parse(r), raw));
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it("accept and refuse report rows exactly as the ReportRow schema does", () => {
    const row = fc
      .tuple(
        fc.record({
          reportId: field(fc.string({ maxLength: 5 })),
          version: field(count),
          assistantName: field(fc.string({ maxLength: 5 })),
          beneficiaryCode: field(fc.string({ maxLength: 5 })),
          month: field(fc.constantFrom("2026-11", "2026-02")),
          totalMinutes: field(count),
          amountGrosze: field(count),
          rateLines: field(fc.array(rateLine(false), { maxLength: 3 })),
          contentHash: field(fc.string({ maxLength: 5 })),
          approvedBy: field(fc.string({ maxLength: 5 })),
          approvedAt: field(
            fc.constantFrom("2026-12-04T10:15:00.000Z", "2026-12-04T11:15:00+01:00", "2026-02-30T10:00:00Z", "2026-12-04", "2026-12-04T10:15:00"),
          ),
        }),
        fc.boolean(),
      )
      .map(([raw, consistent]) => summed(raw, "totalMinutes", "amountGrosze", consistent));
    fc.assert(
      fc.property(row, (raw) => {
        expect(parsed(parseReportRow, raw)).toEqual(parsed((r) => ReportRow.parse(r), raw));
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it("places an approval at the Warsaw wall time to the minute, across the clock changes", () => {
    const changes = [Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1)];
    const instant = fc.oneof(
      fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2031, 0, 1) }),
      fc.tuple(fc.constantFrom(...changes), fc.integer({ min: -90 * 60_000, max: 90 * 60_000 })).map(([t, d]) => t + d),
    );
    fc.assert(
      fc.property(instant, (t) => {
        const iso = new Date(t).toISOString();
        expect(warsawSerial(iso)).toBe((warsawWallDate(iso).getTime() - Date.UTC(1899, 11, 30)) / 86_400_000);
      }),
      { numRuns: 3000, seed: 7 },
    );
  });
});
