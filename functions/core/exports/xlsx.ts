import { once } from "node:events";
import type { Readable, Writable } from "node:stream";
import { finished } from "node:stream/promises";
import { formatBankAccount, monthDate, monthLabel, warsawDateTime, warsawWallDate } from "./format.js";
import {
  addToTotals,
  assertTotals,
  BatchHeader,
  forEachRow,
  parseBatchLine,
  parseReportRow,
  type BatchLine,
  type BatchTotals,
  type RateLine,
  type ReportRow,
  type Rows,
} from "./model.js";
import {
  REPORT_SHEET_COLUMNS,
  XLSX_PAYMENT_COLUMNS,
  TOTALS_LABEL,
  type ColumnType,
  type ColumnValue,
  type PaymentRow,
  type ReportSheetSums,
} from "./columns.js";
import { safeCellText } from "./safe-cell.js";
import { ZipWriter, type ZipEntryWriter } from "./zip-container.js";

// Hand-written SpreadsheetML (ECMA-376 parts in a ZIP), not a library. For 100,000 lines (two
// sheets of 100,000 rows) exceljs 4.4's streaming WorkbookWriter took 10.5 s, 17× csv-stringify
// alone with the CSV (issue 7 asks ≤ 3×); its per-cell objects, not the compression, were the
// cost (7.6 s at zlib level 1), and no other maintained JavaScript writer streams styled sheets.
// This one builds each row as one string and takes about 1.0 s (2-core machine). It also
// dates the workbook with the batch (same batch, same bytes; exceljs stamped the build time) and
// keeps exceljs out of the send-batch and batch-file bundles. tests/unit/exports-xlsx.test.ts
// reads every workbook back with exceljs as the oracle.

export const SUMMARY_SHEET = "Zestawienie";
export const REPORTS_SHEET = "Sprawozdania";
export const XLSX_TOTALS_LABEL = TOTALS_LABEL;
/** Row of the column headings; data starts on the next row (rows above hold the batch header). */
export const XLSX_HEADING_ROW = 4;

/** Number formats as [format code, id]: ids below 164 are Excel's built-in formats. */
const NUMBER_FORMATS = {
  zloty: ['#,##0.00\\ "zł"', 166],
  hours: ["0.00", 2],
  duration: ["[h]:mm", 165],
  month: ["yyyy-mm", 164],
  dateTime: ["yyyy-mm-dd hh:mm", 167],
  integer: ["0", 1],
} as const satisfies Record<string, readonly [string, number]>;
type NumberFormat = keyof typeof NUMBER_FORMATS;

// Fonts: 0 normal, 1 bold 13 pt (title), 2 bold (headings and totals).
const FONTS = ['<sz val="11"/>', '<b/><sz val="13"/>', '<b/><sz val="11"/>'];
type Font = "normal" | "title" | "bold";
const FONT_ID: Record<Font, number> = { normal: 0, title: 1, bold: 2 };
const FORMAT_NAMES = Object.keys(NUMBER_FORMATS) as NumberFormat[];

/** Index into cellXfs: 0 normal, 1 title, 2 bold, then each number format plain and bold. */
function styleId(format: NumberFormat | undefined, font: Font): number {
  if (!format || font === "title") return FONT_ID[font]; // the title row holds text only
  return 3 + 2 * FORMAT_NAMES.indexOf(format) + (font === "bold" ? 1 : 0);
}

type Column = { heading: string; width: number; format?: NumberFormat };

const FORMAT_OF_TYPE: Record<ColumnType, NumberFormat | undefined> = {
  text: undefined,
  month: "month",
  integer: "integer",
  minutes: "integer",
  clock: "duration",
  hours: "hours",
  zloty: "zloty",
  instant: "dateTime",
};

const SUMMARY_COLUMNS: Column[] = XLSX_PAYMENT_COLUMNS.map((c) => ({ heading: c.heading, width: c.xlsx!.width, format: FORMAT_OF_TYPE[c.type] }));

// Hours are minutes ÷ 60 unrounded (the cell format shows 0.00): rows rounded to 0.01 and then
// SUMmed drift from the stored total (3 × 2:55 h showed 78,76 of 78,75 h on recalculation).
/** A value of the column table as a typed cell: text neutralised, months and durations as serials, hours and złoty as numbers. */
function summaryCell(type: ColumnType, value: ColumnValue): Cell {
  if (value === null) return null;
  if (typeof value === "string") {
    if (type === "month") return monthSerial(value);
    return type === "instant" ? warsawSerial(value) : safeCellText(value);
  }
  switch (type) {
    case "clock":
      return value / 1440;
    case "hours":
      return value / 60;
    case "zloty":
      return value / 100;
    default:
      return value;
  }
}

const REPORT_COLUMNS: Column[] = REPORT_SHEET_COLUMNS.map((c) => ({ heading: c.heading, width: c.width, format: FORMAT_OF_TYPE[c.type] }));

const KIND_LABEL = { main: "główna", supplementary: "uzupełniająca" } as const;

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships";
// Rows are encoded into chunks of this many bytes before they are compressed.
const CHUNK_BYTES = 256 * 1024;
// Excel's day 0 is 1899-12-30 (with the 1900 leap-year bug folded in).
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

// What XML text cannot hold as is: markup characters, characters XML 1.0 forbids (C0 controls
// other than tab and line feed, U+FFFE/U+FFFF, lone surrogates) and CR, which a parser turns into LF.
const NEEDS_ESCAPING = /[&<>"\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
const FORBIDDEN_IN_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;" };

/** Text for XML content or a double-quoted attribute: escaped, with the characters XML 1.0 forbids left out. */
export function xmlText(value: string): string {
  if (!NEEDS_ESCAPING.test(value)) return value;
  return value.replace(FORBIDDEN_IN_XML, "").replace(/[&<>"\r]/g, (c) => XML_ESCAPES[c]);
}

/** A spreadsheet serial number (days since 1899-12-30) for a Date whose UTC fields are the wall time. */
function serial(date: Date): number {
  return (date.getTime() - EXCEL_EPOCH_MS) / DAY_MS;
}

let lastMonth = { month: "", serial: 0 };
/** The serial of the 1st of a month; a batch has one month, so the last answer is kept. */
function monthSerial(month: string): number {
  if (lastMonth.month !== month) lastMonth = { month, serial: serial(monthDate(month)) };
  return lastMonth.serial;
}

const warsawShiftByUtcHour = new Map<number, number>();

/**
 * serial(warsawWallDate(instant)) without building its strings (a tenth of this file's time):
 * Warsaw's offset from UTC changes only on a full UTC hour, so it is looked up once an hour.
 */
export function warsawSerial(instant: string): number {
  const t = Date.parse(instant);
  if (Number.isNaN(t)) return serial(warsawWallDate(instant)); // its error names the bad value
  const hour = Math.floor(t / HOUR_MS);
  let shift = warsawShiftByUtcHour.get(hour);
  if (shift === undefined) {
    shift = warsawWallDate(new Date(hour * HOUR_MS).toISOString()).getTime() - hour * HOUR_MS;
    if (warsawShiftByUtcHour.size > 10_000) warsawShiftByUtcHour.clear();
    warsawShiftByUtcHour.set(hour, shift);
  }
  return (Math.floor(t / MINUTE_MS) * MINUTE_MS + shift - EXCEL_EPOCH_MS) / DAY_MS;
}

function letter(index: number): string {
  return String.fromCharCode(65 + index);
}

type Formula = { formula: string; result: number };
/** A cell: text, a number (dates as serials, shown through the column's format), a formula or nothing. */
type Cell = string | number | Formula | null;

function finite(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number for a spreadsheet cell: ${value}`);
  return value;
}

/** The inline-string cell body of a text, `<is>…</is>` with whitespace at its ends kept. */
function inlineString(value: string): string {
  const edge = value.length > 0 && (value.charCodeAt(0) <= 32 || value.charCodeAt(value.length - 1) <= 32);
  return edge ? `<is><t xml:space="preserve">${xmlText(value)}</t></is>` : `<is><t>${xmlText(value)}</t></is>`;
}

/** How each column's cells open, for a row of one font: `<c r="B` then, after the row number, the style and type. */
type RowStyle = { row: string; cell: string[]; text: string[]; value: string[]; empty: string[] };

function rowStyle(columns: Column[], font: Font): RowStyle {
  const attribute = (id: number) => (id ? ` s="${id}"` : "");
  const own = attribute(styleId(undefined, font));
  return {
    row: font === "normal" ? '">' : `"${own} customFormat="1">`,
    cell: columns.map((_, i) => `<c r="${letter(i)}`),
    text: columns.map(() => `"${own} t="inlineStr">`),
    value: columns.map((c) => `"${attribute(styleId(c.format, font))}>`),
    empty: columns.map((c) => (font === "normal" ? "" : `"${attribute(styleId(c.format, font))}/>`)),
  };
}

/** A row: each cell gets the column's number format and the row's font; text cells are inline strings. */
function rowXml(style: RowStyle, row: number, cells: Cell[]): string {
  const r = String(row); // once, not once per cell
  let xml = `<row r="${r}${style.row}`;
  for (let i = 0; i < cells.length; i++) {
    const value = cells[i];
    if (typeof value === "string") {
      xml += `${style.cell[i]}${r}${style.text[i]}${inlineString(value)}</c>`;
    } else if (typeof value === "number") {
      xml += `${style.cell[i]}${r}${style.value[i]}<v>${finite(value)}</v></c>`;
    } else if (value !== null) {
      xml += `${style.cell[i]}${r}${style.value[i]}<f>${xmlText(value.formula)}</f><v>${finite(value.result)}</v></c>`;
    } else if (style.empty[i]) {
      xml += `${style.cell[i]}${r}${style.empty[i]}`;
    }
  }
  return xml + "</row>";
}

/**
 * One worksheet's XML, encoded into chunks that wait for the zip entry to take them. Adding a row
 * returns a promise only when a full chunk has to wait, so a row costs no extra turn of the event loop.
 */
class SheetWriter {
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private row: number;
  private readonly styles: Record<Font, RowStyle>;

  /** `rowsBefore`: data rows written before these (a page of a batch starts where the previous one ended). */
  constructor(
    private readonly entry: ZipEntryWriter,
    private readonly columns: Column[],
    rowsBefore?: number,
  ) {
    this.styles = { normal: rowStyle(columns, "normal"), title: rowStyle(columns, "title"), bold: rowStyle(columns, "bold") };
    this.row = rowsBefore === undefined ? 0 : XLSX_HEADING_ROW + rowsBefore;
  }

  async open(header: BatchHeader): Promise<void> {
    const cols = this.columns
      .map((c, i) => {
        const id = styleId(c.format, "normal");
        return `<col min="${i + 1}" max="${i + 1}" width="${c.width}"${id ? ` style="${id}"` : ""} customWidth="1"/>`;
      })
      .join("");
    const firstData = `A${XLSX_HEADING_ROW + 1}`;
    await this.append(
      XML_DECLARATION +
        `<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetViews><sheetView workbookViewId="0">` +
        `<pane ySplit="${XLSX_HEADING_ROW}" topLeftCell="${firstData}" activePane="bottomLeft" state="frozen"/>` +
        `<selection pane="bottomLeft" activeCell="${firstData}" sqref="${firstData}"/></sheetView></sheetViews>` +
        `<sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>`,
    );
    await this.add([safeCellText(`Paczka płatności ${header.batchId} (${KIND_LABEL[header.kind]})`)], "title");
    const created = warsawDateTime(header.createdAt);
    await this.add([safeCellText(`Program: ${header.programmeName} · Miesiąc: ${monthLabel(header.month)} · Utworzono: ${created}`)]);
    this.row++; // an empty row between the batch header and the headings
    await this.add(
      this.columns.map((c) => c.heading),
      "bold",
    );
  }

  add(cells: Cell[], font: Font = "normal"): Promise<void> | undefined {
    this.row++;
    return this.append(rowXml(this.styles[font], this.row, cells));
  }

  /** A SUM over the data rows of one column, with its value for readers that do not recalculate. */
  sum(heading: string, result: number): Cell {
    const first = XLSX_HEADING_ROW + 1;
    const last = this.row;
    if (last < first) return result;
    const column = letter(this.columns.findIndex((c) => c.heading === heading));
    return { formula: `SUM(${column}${first}:${column}${last})`, result };
  }

  /** Data rows up to here (rows below the headings). */
  get dataRows(): number {
    return this.row - XLSX_HEADING_ROW;
  }

  /** Copies rows a page wrote earlier (`rows` of them, numbered from where this sheet stands). */
  async copy(rows: number, xml: AsyncIterable<Buffer>): Promise<void> {
    await this.flush();
    for await (const chunk of xml) await this.entry.write(chunk);
    this.row += rows;
  }

  /** Ends a page's rows: no closing tags, the assembled sheet has them. */
  async endRows(): Promise<void> {
    await this.flush();
    await this.entry.end();
  }

  async close(): Promise<void> {
    await this.append('</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>');
    await this.flush();
    await this.entry.end();
  }

  // Each row is encoded straight into the chunk: one long string of joined rows cost more to
  // flatten and encode than the rows cost to build.
  private append(xml: string): Promise<void> | undefined {
    const most = xml.length * 3; // UTF-8 bytes of a UTF-16 code unit, at most
    if (this.used + most <= this.chunk.length) {
      this.used += this.chunk.write(xml, this.used, "utf8");
      return undefined;
    }
    return this.flush().then(() => {
      if (most > this.chunk.length) return this.entry.write(Buffer.from(xml, "utf8"));
      this.used += this.chunk.write(xml, this.used, "utf8");
    });
  }

  private async flush(): Promise<void> {
    if (this.used === 0) return;
    const full = this.chunk.subarray(0, this.used);
    this.chunk = Buffer.allocUnsafe(CHUNK_BYTES); // the deflate stream holds the full one until it has read it
    this.used = 0;
    await this.entry.write(full);
  }
}

const SUMMARY_VALUES = XLSX_PAYMENT_COLUMNS.map((c) => c.value);
const SUMMARY_TYPES = XLSX_PAYMENT_COLUMNS.map((c) => c.type);

/** A data row of the payment sheet: a plain loop over the column table, no closure per row or cell (100,000 rows). */
function summaryCells(row: PaymentRow): Cell[] {
  const cells: Cell[] = [];
  for (let i = 0; i < SUMMARY_VALUES.length; i++) cells.push(summaryCell(SUMMARY_TYPES[i], SUMMARY_VALUES[i](row)));
  return cells;
}

async function writeSummaryRows(sheet: SheetWriter, header: BatchHeader, lines: Rows<BatchLine>): Promise<BatchTotals> {
  const totals: BatchTotals = { reports: 0, minutes: 0, grosze: 0 };
  await forEachRow(lines, (raw) => {
    const line = parseBatchLine(raw);
    addToTotals(totals, line);
    // one row per rate line of the bill (report × rate): hours × rate = amount on every row
    const rates = line.rateLines;
    let waiting: Promise<void> | undefined;
    for (let index = 0; index < rates.length; index++) {
      const row: PaymentRow = { header, line, rate: rates[index], index };
      waiting = waiting ? waiting.then(() => sheet.add(summaryCells(row))) : sheet.add(summaryCells(row));
    }
    return waiting;
  });
  return totals;
}

/** The payment sheet's totals row, once its rows add up to the batch's control totals. */
async function writeSummaryTotals(sheet: SheetWriter, header: BatchHeader, totals: BatchTotals): Promise<void> {
  assertTotals(header, totals);
  await sheet.add(
    XLSX_PAYMENT_COLUMNS.map((c) => {
      if (!c.total) return null;
      const value = summaryCell(c.type, c.total(totals, header));
      return c.sum && typeof value === "number" ? sheet.sum(c.heading, value) : value;
    }),
    "bold",
  );
}

const REPORT_VALUES = REPORT_SHEET_COLUMNS.map((c) => c.value);
const REPORT_TYPES = REPORT_SHEET_COLUMNS.map((c) => c.type);

/** A row of the reports sheet (one rate line of a report); a plain loop, not a closure per row (100,000 rows). */
function reportCells(report: ReportRow, rate: RateLine): Cell[] {
  const row = { report, rate };
  const cells: Cell[] = [];
  for (let i = 0; i < REPORT_VALUES.length; i++) cells.push(summaryCell(REPORT_TYPES[i], REPORT_VALUES[i](row)));
  return cells;
}

async function writeReportRows(sheet: SheetWriter, reports: Rows<ReportRow>): Promise<ReportSheetSums> {
  const sums = { minutes: 0, grosze: 0 };
  await forEachRow(reports, (raw) => {
    const report = parseReportRow(raw);
    sums.minutes += report.totalMinutes;
    sums.grosze += report.amountGrosze;
    let waiting: Promise<void> | undefined;
    for (const rate of report.rateLines) {
      waiting = waiting ? waiting.then(() => sheet.add(reportCells(report, rate))) : sheet.add(reportCells(report, rate));
    }
    return waiting;
  });
  return sums;
}

/** The reports sheet's totals row: the label first, a SUM under each summed column, the rest empty. */
async function writeReportTotals(sheet: SheetWriter, sums: ReportSheetSums): Promise<void> {
  const cells: Cell[] = REPORT_SHEET_COLUMNS.map((c, i) => {
    if (i === 0) return XLSX_TOTALS_LABEL;
    return c.sum ? sheet.sum(c.heading, summaryCell(c.type, c.sum(sums)) as number) : null;
  });
  while (cells.length > 0 && cells[cells.length - 1] === null) cells.pop();
  await sheet.add(cells, "bold");
}

function stylesXml(): string {
  const custom = FORMAT_NAMES.map((f) => NUMBER_FORMATS[f]).filter(([, id]) => id >= 164);
  const numFmts = custom.map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${xmlText(code)}"/>`).join("");
  const fonts = FONTS.map((f) => `<font>${f}<name val="Calibri"/><family val="2"/></font>`).join("");
  const xf = (numFmtId: number, fontId: number) =>
    `<xf numFmtId="${numFmtId}" fontId="${fontId}" fillId="0" borderId="0" xfId="0"` +
    (numFmtId ? ' applyNumberFormat="1"' : "") +
    (fontId ? ' applyFont="1"' : "") +
    "/>";
  const xfs = [xf(0, 0), xf(0, 1), xf(0, 2)];
  for (const f of FORMAT_NAMES) xfs.push(xf(NUMBER_FORMATS[f][1], 0), xf(NUMBER_FORMATS[f][1], 2));
  return (
    XML_DECLARATION +
    `<styleSheet xmlns="${MAIN_NS}"><numFmts count="${custom.length}">${numFmts}</numFmts>` +
    `<fonts count="${FONTS.length}">${fonts}</fonts>` +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${xfs.length}">${xfs.join("")}</cellXfs>` +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
  );
}

/** The parts of the package other than the sheets, in the order they are zipped. */
function packageParts(created: Date): [string, string][] {
  const sheets = [SUMMARY_SHEET, REPORTS_SHEET];
  const when = created.toISOString().replace(/\.\d{3}Z$/, "Z");
  const type = (part: string) => `application/vnd.openxmlformats-officedocument.spreadsheetml.${part}+xml`;
  return [
    [
      "[Content_Types].xml",
      XML_DECLARATION +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        `<Override PartName="/xl/workbook.xml" ContentType="${type("sheet.main")}"/>` +
        sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="${type("worksheet")}"/>`).join("") +
        `<Override PartName="/xl/styles.xml" ContentType="${type("styles")}"/>` +
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
        "</Types>",
    ],
    [
      "_rels/.rels",
      XML_DECLARATION +
        `<Relationships xmlns="${PACKAGE_REL_NS}">` +
        `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
        `<Relationship Id="rId2" Type="${PACKAGE_REL_NS}/metadata/core-properties" Target="docProps/core.xml"/>` +
        "</Relationships>",
    ],
    [
      "docProps/core.xml",
      XML_DECLARATION +
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
        "<dc:creator>Karta</dc:creator><cp:lastModifiedBy>Karta</cp:lastModifiedBy>" +
        `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>` +
        `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified></cp:coreProperties>`,
    ],
    [
      "xl/workbook.xml",
      XML_DECLARATION +
        `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView activeTab="0"/></bookViews><sheets>` +
        sheets.map((name, i) => `<sheet name="${xmlText(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("") +
        '</sheets><calcPr calcId="171027"/></workbook>',
    ],
    [
      "xl/_rels/workbook.xml.rels",
      XML_DECLARATION +
        `<Relationships xmlns="${PACKAGE_REL_NS}">` +
        sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join("") +
        `<Relationship Id="rId${sheets.length + 1}" Type="${REL_NS}/styles" Target="styles.xml"/>` +
        "</Relationships>",
    ],
    ["xl/styles.xml", stylesXml()],
  ];
}

/** Streams the batch as XLSX: sheet "Zestawienie" (one row per assistant × report × rate) and "Sprawozdania" (one row per report × rate), each with a totals row. */
export async function writeBatchXlsx(
  header: BatchHeader,
  lines: Rows<BatchLine>,
  reports: Rows<ReportRow>,
  out: Writable,
): Promise<BatchTotals> {
  let totals: BatchTotals | undefined;
  await writeWorkbook(header, out, {
    summary: async (sheet, h) => {
      totals = await writeSummaryRows(sheet, h, lines);
      await writeSummaryTotals(sheet, h, totals);
    },
    reports: async (sheet) => writeReportTotals(sheet, await writeReportRows(sheet, reports)),
  });
  return totals!;
}

/** The package around the two sheets; `fill` writes each sheet's rows and totals between its opening and closing. */
async function writeWorkbook(
  header: BatchHeader,
  out: Writable,
  fill: { summary: (sheet: SheetWriter, header: BatchHeader) => Promise<void>; reports: (sheet: SheetWriter) => Promise<void> },
): Promise<void> {
  const zip = new ZipWriter(out);
  try {
    const parsedHeader = BatchHeader.parse(header);
    for (const [name, xml] of packageParts(new Date(parsedHeader.createdAt))) await zip.addBuffer(name, Buffer.from(xml, "utf8"));
    const summary = new SheetWriter(zip.addStream("xl/worksheets/sheet1.xml"), SUMMARY_COLUMNS);
    await summary.open(parsedHeader);
    await fill.summary(summary, parsedHeader);
    await summary.close();
    const reportSheet = new SheetWriter(zip.addStream("xl/worksheets/sheet2.xml"), REPORT_COLUMNS);
    await reportSheet.open(parsedHeader);
    await fill.reports(reportSheet);
    await reportSheet.close();
    await zip.end();
  } catch (error) {
    await zip.destroy(error as Error);
    throw error;
  }
}

/** What a page of a batch wrote for the workbook: both sheets' rows (the same count: one per report × rate). */
export type XlsxPageSums = { rows: number; totals: BatchTotals; reports: ReportSheetSums };

/** A writable as a sheet's sink, waiting for "drain". */
function sinkOf(out: Writable): ZipEntryWriter {
  const failed = new Promise<never>((_, reject) => out.once("error", reject));
  failed.catch(() => undefined);
  return {
    write: async (chunk) => {
      if (!out.write(chunk)) await Promise.race([once(out, "drain"), failed]);
    },
    end: async () => {
      out.end();
      await Promise.race([finished(out), failed]);
    },
  };
}

/**
 * One page of a batch for the workbook: the rows of both sheets, numbered from `rowsBefore`
 * (the rate lines of the pages before), written to `summaryOut` and `reportsOut` as XML
 * fragments that writeXlsxFromPages joins. `lines` and `reports` are the page's, in file order.
 */
export async function writeXlsxPageRows(
  header: BatchHeader,
  lines: Rows<BatchLine>,
  reports: Rows<ReportRow>,
  rowsBefore: number,
  summaryOut: Writable,
  reportsOut: Writable,
): Promise<XlsxPageSums> {
  const parsedHeader = BatchHeader.parse(header);
  const summary = new SheetWriter(sinkOf(summaryOut), SUMMARY_COLUMNS, rowsBefore);
  const totals = await writeSummaryRows(summary, parsedHeader, lines);
  await summary.endRows();
  const reportSheet = new SheetWriter(sinkOf(reportsOut), REPORT_COLUMNS, rowsBefore);
  const sums = await writeReportRows(reportSheet, reports);
  await reportSheet.endRows();
  const rows = summary.dataRows - rowsBefore;
  return { rows, totals, reports: sums };
}

/** A page's rows as written, to join into the workbook. */
export type XlsxPage = XlsxPageSums & { summaryXml(): Promise<Readable> | Readable; reportsXml(): Promise<Readable> | Readable };

/** The workbook of a batch from its pages' rows, in page order: the same bytes writeBatchXlsx writes from all lines at once. */
export async function writeXlsxFromPages(header: BatchHeader, pages: readonly XlsxPage[], out: Writable): Promise<BatchTotals> {
  const totals: BatchTotals = { reports: 0, minutes: 0, grosze: 0 };
  const sums: ReportSheetSums = { minutes: 0, grosze: 0 };
  for (const page of pages) {
    totals.reports += page.totals.reports;
    totals.minutes += page.totals.minutes;
    totals.grosze += page.totals.grosze;
    sums.minutes += page.reports.minutes;
    sums.grosze += page.reports.grosze;
  }
  assertTotals(BatchHeader.parse(header), totals);
  await writeWorkbook(header, out, {
    summary: async (sheet, h) => {
      for (const page of pages) await sheet.copy(page.rows, await page.summaryXml());
      await writeSummaryTotals(sheet, h, totals);
    },
    reports: async (sheet) => {
      for (const page of pages) await sheet.copy(page.rows, await page.reportsXml());
      await writeReportTotals(sheet, sums);
    },
  });
  return totals;
}
