import { EventEmitter, once } from "node:events";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { setImmediate as yieldToIo } from "node:timers/promises";
import type ExcelJS from "exceljs";
// Only the streaming writer, not the whole library (functions/core/exceljs-parts.d.ts).
import WorkbookWriter from "exceljs/lib/stream/xlsx/workbook-writer.js";
import { formatBankAccount, hoursNumber, monthDate, monthLabel, warsawDateTime, warsawWallDate } from "./format.js";
import { addToTotals, assertTotals, BatchHeader, BatchLine, ReportRow, type BatchTotals, type Rows } from "./model.js";
import { safeCellText } from "./safe-cell.js";

export const SUMMARY_SHEET = "Zestawienie";
export const REPORTS_SHEET = "Sprawozdania";
export const XLSX_TOTALS_LABEL = "RAZEM";
/** Row of the column headings; data starts on the next row (rows above hold the batch header). */
export const XLSX_HEADING_ROW = 4;

const ZLOTY_FMT = '#,##0.00\\ "zł"';
const HOURS_FMT = "0.00";
const DURATION_FMT = "[h]:mm";
const MONTH_FMT = "yyyy-mm";
const DATETIME_FMT = "yyyy-mm-dd hh:mm";
const INTEGER_FMT = "0";
// exceljs 4.4 writes a committed row into the sheet's zip entry without honouring backpressure,
// so a fast producer piles the whole sheet up in memory; every few rows we wait for that entry
// to drain, which keeps memory flat however many rows there are.
const ROWS_PER_DRAIN = 200;

type Column = { heading: string; width: number; numFmt?: string };

const SUMMARY_COLUMNS: Column[] = [
  { heading: "Asystent", width: 32 },
  { heading: "Nr umowy", width: 18 },
  { heading: "Nr rachunku bankowego", width: 36 },
  { heading: "Miesiąc", width: 10, numFmt: MONTH_FMT },
  { heading: "Minuty", width: 10, numFmt: INTEGER_FMT },
  { heading: "Godziny (GG:MM)", width: 14, numFmt: DURATION_FMT },
  { heading: "Godziny (dziesiętnie)", width: 14, numFmt: HOURS_FMT },
  { heading: "Stawka (zł)", width: 14, numFmt: ZLOTY_FMT },
  { heading: "Kwota brutto (zł)", width: 18, numFmt: ZLOTY_FMT },
  { heading: "Liczba sprawozdań", width: 12, numFmt: INTEGER_FMT },
  { heading: "Sprawozdania", width: 40 },
];

const REPORT_COLUMNS: Column[] = [
  { heading: "Nr sprawozdania", width: 28 },
  { heading: "Wersja", width: 8, numFmt: INTEGER_FMT },
  { heading: "Asystent", width: 32 },
  { heading: "Kod uczestnika", width: 16 },
  { heading: "Miesiąc", width: 10, numFmt: MONTH_FMT },
  { heading: "Minuty", width: 10, numFmt: INTEGER_FMT },
  { heading: "Godziny (GG:MM)", width: 14, numFmt: DURATION_FMT },
  { heading: "Godziny (dziesiętnie)", width: 14, numFmt: HOURS_FMT },
  { heading: "Stawka (zł)", width: 14, numFmt: ZLOTY_FMT },
  { heading: "Kwota brutto (zł)", width: 18, numFmt: ZLOTY_FMT },
  { heading: "Zatwierdził(a)", width: 28 },
  { heading: "Zatwierdzono (czas warszawski)", width: 20, numFmt: DATETIME_FMT },
  { heading: "Skrót SHA-256 treści", width: 66 },
];

const KIND_LABEL = { main: "główna", supplementary: "uzupełniająca" } as const;

type Sheet = ExcelJS.Worksheet;

function openSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Column[], header: BatchHeader): Sheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: "frozen", ySplit: XLSX_HEADING_ROW }] });
  sheet.columns = columns.map((c) => ({ width: c.width, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  const title = sheet.addRow([safeCellText(`Paczka płatności ${header.batchId} (${KIND_LABEL[header.kind]})`)]);
  title.font = { bold: true, size: 13 };
  title.commit();
  sheet
    .addRow([
      safeCellText(
        `Program: ${header.programmeName} · Miesiąc: ${monthLabel(header.month)} · Utworzono: ${warsawDateTime(header.createdAt)}`,
      ),
    ])
    .commit();
  sheet.addRow([]).commit();
  const headings = sheet.addRow(columns.map((c) => c.heading));
  headings.font = { bold: true };
  headings.commit();
  return sheet;
}

type Sink = EventEmitter & { _writableState: { length: number; highWaterMark: number } };

/** The stream exceljs pipes a sheet's XML into (internals of exceljs 4.4 and archiver's readable-stream 2). */
export function sheetSink(sheet: Sheet): Sink | undefined {
  const pipe = (sheet as unknown as { _stream?: { pipes?: Partial<Sink>[] } })._stream?.pipes?.[0];
  return pipe instanceof EventEmitter && typeof pipe._writableState?.length === "number" ? (pipe as Sink) : undefined;
}

async function drain(sheet: Sheet): Promise<void> {
  const state = sheetSink(sheet)?._writableState;
  if (state && state.length > state.highWaterMark) await once(sheetSink(sheet)!, "drain");
  else await yieldToIo();
}

function column(index: number): string {
  return String.fromCharCode("A".charCodeAt(0) + index);
}

/** A SUM over the data rows of one column, with its value precomputed for readers that do not recalculate. */
function sum(columns: Column[], heading: string, rows: number, result: number): ExcelJS.CellValue {
  if (rows === 0) return result;
  const letter = column(columns.findIndex((c) => c.heading === heading));
  const first = XLSX_HEADING_ROW + 1;
  return { formula: `SUM(${letter}${first}:${letter}${first + rows - 1})`, result } as ExcelJS.CellFormulaValue;
}

async function writeSummary(sheet: Sheet, header: BatchHeader, lines: Rows<BatchLine>): Promise<BatchTotals> {
  const totals: BatchTotals = { reports: 0, minutes: 0, grosze: 0 };
  let rows = 0;
  for await (const raw of lines) {
    const line = BatchLine.parse(raw);
    addToTotals(totals, line);
    sheet
      .addRow([
        safeCellText(line.assistantName),
        safeCellText(line.contractNumber),
        safeCellText(formatBankAccount(line.bankAccount)),
        monthDate(line.month),
        line.minutes,
        line.minutes / 1440,
        hoursNumber(line.minutes),
        line.rateGrosze / 100,
        line.grossGrosze / 100,
        line.reportIds.length,
        safeCellText(line.reportIds.join(", ")),
      ])
      .commit();
    if (++rows % ROWS_PER_DRAIN === 0) await drain(sheet);
  }
  assertTotals(header, totals);
  const c = SUMMARY_COLUMNS;
  const row = sheet.addRow([
    XLSX_TOTALS_LABEL,
    null,
    null,
    monthDate(header.month),
    sum(c, "Minuty", rows, totals.minutes),
    sum(c, "Godziny (GG:MM)", rows, totals.minutes / 1440),
    sum(c, "Godziny (dziesiętnie)", rows, hoursNumber(totals.minutes)),
    null,
    sum(c, "Kwota brutto (zł)", rows, totals.grosze / 100),
    sum(c, "Liczba sprawozdań", rows, totals.reports),
    null,
  ]);
  row.font = { bold: true };
  row.commit();
  return totals;
}

async function writeReports(sheet: Sheet, reports: Rows<ReportRow>): Promise<void> {
  let rows = 0;
  let minutes = 0;
  let grosze = 0;
  for await (const raw of reports) {
    const report = ReportRow.parse(raw);
    minutes += report.totalMinutes;
    grosze += report.amountGrosze;
    sheet
      .addRow([
        safeCellText(report.reportId),
        report.version,
        safeCellText(report.assistantName),
        safeCellText(report.beneficiaryCode),
        monthDate(report.month),
        report.totalMinutes,
        report.totalMinutes / 1440,
        hoursNumber(report.totalMinutes),
        report.rateGrosze / 100,
        report.amountGrosze / 100,
        safeCellText(report.approvedBy),
        warsawWallDate(report.approvedAt),
        safeCellText(report.contentHash),
      ])
      .commit();
    if (++rows % ROWS_PER_DRAIN === 0) await drain(sheet);
  }
  const c = REPORT_COLUMNS;
  const row = sheet.addRow([
    XLSX_TOTALS_LABEL,
    null,
    null,
    null,
    null,
    sum(c, "Minuty", rows, minutes),
    sum(c, "Godziny (GG:MM)", rows, minutes / 1440),
    sum(c, "Godziny (dziesiętnie)", rows, hoursNumber(minutes)),
    null,
    sum(c, "Kwota brutto (zł)", rows, grosze / 100),
  ]);
  row.font = { bold: true };
  row.commit();
}

/** Streams the batch as XLSX: sheet "Zestawienie" (one row per assistant) and "Sprawozdania" (one row per report), each with a totals row. */
export async function writeBatchXlsx(
  header: BatchHeader,
  lines: Rows<BatchLine>,
  reports: Rows<ReportRow>,
  out: Writable,
): Promise<BatchTotals> {
  const parsedHeader = BatchHeader.parse(header);
  const created = new Date(parsedHeader.createdAt);
  const workbook = new WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
    created,
    modified: created,
    creator: "Karta",
    lastModifiedBy: "Karta",
  } as Partial<ExcelJS.stream.xlsx.WorkbookStreamWriterOptions>);
  try {
    const summary = openSheet(workbook, SUMMARY_SHEET, SUMMARY_COLUMNS, parsedHeader);
    const totals = await writeSummary(summary, parsedHeader, lines);
    summary.commit();
    await writeReports(openSheet(workbook, REPORTS_SHEET, REPORT_COLUMNS, parsedHeader), reports);
    await workbook.commit();
    await finished(out);
    return totals;
  } catch (error) {
    out.destroy(error as Error);
    throw error;
  }
}
