import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import { clockHours, decimalHours, formatBankAccount, plainZloty } from "./format.js";
import { addToTotals, assertTotals, BatchHeader, BatchLine, type BatchTotals, type Rows } from "./model.js";
import { safeCellText } from "./safe-cell.js";

export const CSV_COLUMNS = [
  "Asystent",
  "Nr umowy",
  "Nr rachunku bankowego",
  "Miesiąc",
  "Godziny (GG:MM)",
  "Godziny (dziesiętnie)",
  "Stawka (zł)",
  "Kwota brutto (zł)",
  "Liczba sprawozdań",
  "Sprawozdania",
] as const;

export const CSV_TOTALS_LABEL = "RAZEM";

function lineRecord(line: BatchLine): string[] {
  return [
    safeCellText(line.assistantName),
    safeCellText(line.contractNumber),
    safeCellText(formatBankAccount(line.bankAccount)),
    line.month,
    clockHours(line.minutes),
    decimalHours(line.minutes),
    plainZloty(line.rateGrosze),
    plainZloty(line.grossGrosze),
    String(line.reportIds.length),
    safeCellText(line.reportIds.join(", ")),
  ];
}

async function* records(header: BatchHeader, lines: Rows<BatchLine>, totals: BatchTotals): AsyncGenerator<string[]> {
  yield [...CSV_COLUMNS];
  for await (const raw of lines) {
    const line = BatchLine.parse(raw);
    addToTotals(totals, line);
    yield lineRecord(line);
  }
  assertTotals(header, totals);
  yield [
    CSV_TOTALS_LABEL,
    "",
    "",
    header.month,
    clockHours(totals.minutes),
    decimalHours(totals.minutes),
    "",
    plainZloty(totals.grosze),
    String(totals.reports),
    "",
  ];
}

/** Streams the batch as CSV for a Polish Excel (BOM, ";", CRLF, decimal comma) with a totals row; rejects if lines do not add up to the header's totals. */
export async function writeBatchCsv(header: BatchHeader, lines: Rows<BatchLine>, out: Writable): Promise<BatchTotals> {
  const parsedHeader = BatchHeader.parse(header);
  const totals: BatchTotals = { reports: 0, minutes: 0, grosze: 0 };
  await pipeline(
    Readable.from(records(parsedHeader, lines, totals)),
    stringify({ delimiter: ";", record_delimiter: "windows", bom: true }),
    out,
  );
  return totals;
}
