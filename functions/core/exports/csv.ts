import { once } from "node:events";
import type { Readable, Writable } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import { stringify as stringifySync } from "csv-stringify/sync";
import { CSV_PAYMENT_COLUMNS, csvText, TOTALS_LABEL, type ColumnValue, type PaymentColumn, type PaymentRow } from "./columns.js";
import { addToTotals, assertTotals, BatchHeader, forEachRow, parseBatchLine, type BatchLine, type BatchTotals, type Rows } from "./model.js";
import { safeCellText } from "./safe-cell.js";

/** The CSV's headings, from the column table (columns.ts). */
export const CSV_COLUMNS = CSV_PAYMENT_COLUMNS.map((c) => c.heading);

export const CSV_TOTALS_LABEL = TOTALS_LABEL;

function csvCell(column: PaymentColumn, value: ColumnValue): string {
  if (value === null) return "";
  if (typeof value === "string") return column.type === "text" ? safeCellText(value) : value;
  return csvText(column.type, value)!;
}

/** One record per rate line of the bill (report × rate), so hours × rate = amount on every record; a report counts on its first record only. */
function lineRecords(header: BatchHeader, line: BatchLine): string[][] {
  const rates = line.rateLines;
  const records: string[][] = [];
  for (let index = 0; index < rates.length; index++) records.push(record({ header, line, rate: rates[index], index }));
  return records;
}

/** A plain loop over the column table: no closure per record or cell (100,000 records). */
function record(row: PaymentRow): string[] {
  const cells: string[] = [];
  for (let i = 0; i < CSV_PAYMENT_COLUMNS.length; i++) {
    const column = CSV_PAYMENT_COLUMNS[i];
    cells.push(csvCell(column, column.value(row)));
  }
  return cells;
}

function totalsRecord(header: BatchHeader, totals: BatchTotals): string[] {
  return CSV_PAYMENT_COLUMNS.map((c) => (c.total ? csvCell(c, c.total(totals, header)) : ""));
}

// Every record ends with CRLF (csv-stringify's `eof`), so the heading, the pages' records and the
// totals record join into one file by plain concatenation.
const CSV_OPTIONS = { delimiter: ";", record_delimiter: "windows" } as const;

/** The file's start: the BOM Polish Excel needs to read UTF-8, and the headings. */
export function csvHead(): Buffer {
  return Buffer.from(stringifySync([CSV_COLUMNS], { ...CSV_OPTIONS, bom: true }), "utf8");
}

/** The file's end: the totals record. */
export function csvTail(header: BatchHeader, totals: BatchTotals): Buffer {
  return Buffer.from(stringifySync([totalsRecord(header, totals)], CSV_OPTIONS), "utf8");
}

/**
 * Streams the records of `lines` (one per rate line) into `out`, which is ended unless `end` is
 * false; returns what they add up to. A page of a batch writes its records this way.
 */
export async function writeCsvRecords(header: BatchHeader, lines: Rows<BatchLine>, out: Writable, options: { end?: boolean } = {}): Promise<BatchTotals> {
  const parsedHeader = BatchHeader.parse(header);
  const totals: BatchTotals = { reports: 0, minutes: 0, grosze: 0 };
  const csv = stringify(CSV_OPTIONS);
  const written = pipeline(csv, out, { end: options.end ?? true });
  written.catch(() => undefined); // awaited below, after the records
  // records go straight into the stringifier: an async generator behind Readable.from cost a
  // promise per line (100,000 lines: 1.0 s before, 0.8 s now, csv-stringify alone 0.5–0.6 s; issue 7)
  const put = (record: string[]) => (csv.write(record) ? undefined : Promise.race([once(csv, "drain"), written]).then(() => undefined));
  try {
    await forEachRow(lines, (raw) => {
      const line = parseBatchLine(raw);
      addToTotals(totals, line);
      const records = lineRecords(parsedHeader, line);
      if (records.length === 1) return put(records[0]);
      return records.reduce<Promise<void> | undefined>((waiting, record) => (waiting ? waiting.then(() => put(record)) : put(record)), undefined);
    });
    csv.end();
  } catch (error) {
    csv.destroy(error as Error);
    await written.catch(() => undefined);
    throw error;
  }
  await written;
  return totals;
}

/** Streams the batch as CSV for a Polish Excel (BOM, ";", CRLF, decimal comma) with a totals row; rejects if lines do not add up to the header's totals. */
export async function writeBatchCsv(header: BatchHeader, lines: Rows<BatchLine>, out: Writable): Promise<BatchTotals> {
  const parsedHeader = BatchHeader.parse(header);
  return writeCsvFile(parsedHeader, out, async () => {
    const totals = await writeCsvRecords(parsedHeader, lines, out, { end: false });
    assertTotals(parsedHeader, totals);
    return totals;
  });
}

/** The file around the records: BOM and headings, the records `body` writes, the totals row; `out` destroyed on failure. */
async function writeCsvFile(header: BatchHeader, out: Writable, body: () => Promise<BatchTotals>): Promise<BatchTotals> {
  try {
    await write(out, csvHead());
    const totals = await body();
    await write(out, csvTail(header, totals));
    out.end();
    await finished(out);
    return totals;
  } catch (error) {
    out.destroy(error as Error);
    throw error;
  }
}

/** A page's records as written, to join into the file. */
export type CsvPage = { totals: BatchTotals; open(): Promise<Readable> | Readable };

/** The batch's CSV from its pages' records, in page order: the same bytes writeBatchCsv writes from all lines at once. */
export async function writeCsvFromPages(header: BatchHeader, pages: readonly CsvPage[], out: Writable): Promise<BatchTotals> {
  const parsedHeader = BatchHeader.parse(header);
  const totals: BatchTotals = { reports: 0, minutes: 0, grosze: 0 };
  for (const page of pages) {
    totals.reports += page.totals.reports;
    totals.minutes += page.totals.minutes;
    totals.grosze += page.totals.grosze;
  }
  assertTotals(parsedHeader, totals); // before a byte is written
  return writeCsvFile(parsedHeader, out, async () => {
    for (const page of pages) for await (const chunk of await page.open()) await write(out, chunk as Buffer);
    return totals;
  });
}

async function write(out: Writable, chunk: Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, "drain");
}
