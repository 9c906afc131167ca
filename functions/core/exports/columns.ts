import { clockHours, decimalHours, displayZloty, formatBankAccount, plainZloty, warsawDateTime } from "./format.js";
import type { BatchHeader, BatchLine, BatchTotals, BillRateLine, RateLine, ReportRow } from "./model.js";

/**
 * What a column holds, which decides how each file writes it: text as text (neutralised in a
 * spreadsheet), a month as "2026-11", counts as integers, minutes as clock hours ("6:30") or as
 * decimal hours ("6,50"), grosze as złoty, an instant as Warsaw date and time.
 */
export type ColumnType = "text" | "month" | "integer" | "minutes" | "clock" | "hours" | "zloty" | "instant";

/** One rate line of a bill (one report at one rate) in the context of its bill and batch: a row of the payment files. */
export type PaymentRow = { header: BatchHeader; line: BatchLine; rate: BillRateLine; index: number };

/** A cell's value before a file formats it: text, or a number in the column type's unit (minutes, grosze, a count). */
export type ColumnValue = string | number | null;

export type PaymentColumn = {
  heading: string;
  type: ColumnType;
  value: (row: PaymentRow) => ColumnValue;
  /** The totals row: the column's value there, summed by a formula in the XLSX when `sum`. */
  total?: (totals: BatchTotals, header: BatchHeader) => ColumnValue;
  sum?: boolean;
  /** The files that show it; a bill's table takes `bill.width` in points at 9 pt (scaled to the page), and its own heading if given. */
  csv?: boolean;
  xlsx?: { width: number };
  bill?: { width: number; heading?: string };
};

export const TOTALS_LABEL = "RAZEM";

const firstOfReport = (row: PaymentRow) => row.index === 0 || row.line.rateLines[row.index - 1].reportId !== row.rate.reportId;
const classification = (h: BatchHeader) => (h.budgetClassification ? `${h.budgetClassification.section}-${h.budgetClassification.chapter}-${h.budgetClassification.paragraph}` : null);

/**
 * The columns of the payment files, in order: one list drives the CSV, the XLSX payment sheet
 * ("Zestawienie") and the rows of each bill, so a column is added, renamed or moved in one place.
 * Reports are named by their number, as on every card and bill; the internal report id is only
 * in the audit sheet ("Sprawozdania") and on the card (issue 15: no machine ids for finance).
 * Every row is one rate line, so hours × rate = amount on each (DOMAIN.md: amounts rounded per line).
 */
export const PAYMENT_COLUMNS: readonly PaymentColumn[] = [
  { heading: "Asystent", type: "text", value: (r) => r.line.assistantName, total: () => TOTALS_LABEL, csv: true, xlsx: { width: 32 } },
  { heading: "Nr umowy", type: "text", value: (r) => r.line.contractNumber, csv: true, xlsx: { width: 18 } },
  { heading: "Nr rachunku bankowego", type: "text", value: (r) => formatBankAccount(r.line.bankAccount), csv: true, xlsx: { width: 36 } },
  { heading: "Miesiąc", type: "month", value: (r) => r.line.month, total: (_, h) => h.month, csv: true, xlsx: { width: 10 } },
  { heading: "Nr sprawozdania", type: "text", value: (r) => r.rate.reportNumber ?? r.rate.reportId, csv: true, xlsx: { width: 26 }, bill: { width: 151 } },
  { heading: "Kod uczestnika", type: "text", value: (r) => r.rate.beneficiaryCode, csv: true, xlsx: { width: 16 }, bill: { width: 80, heading: "Uczestnik (kod)" } },
  { heading: "Minuty", type: "minutes", value: (r) => r.rate.minutes, total: (t) => t.minutes, sum: true, xlsx: { width: 10 } },
  { heading: "Godziny (GG:MM)", type: "clock", value: (r) => r.rate.minutes, total: (t) => t.minutes, sum: true, csv: true, xlsx: { width: 14 }, bill: { width: 52 } },
  { heading: "Godziny (dziesiętnie)", type: "hours", value: (r) => r.rate.minutes, total: (t) => t.minutes, sum: true, csv: true, xlsx: { width: 14 }, bill: { width: 70 } },
  { heading: "Stawka (zł)", type: "zloty", value: (r) => r.rate.rateGrosze, csv: true, xlsx: { width: 14 }, bill: { width: 66, heading: "Stawka brutto za godzinę" } },
  { heading: "Kwota brutto (zł)", type: "zloty", value: (r) => r.rate.amountGrosze, total: (t) => t.grosze, sum: true, csv: true, xlsx: { width: 18 }, bill: { width: 76, heading: "Kwota brutto" } },
  { heading: "Liczba sprawozdań", type: "integer", value: (r) => (firstOfReport(r) ? 1 : null), total: (t) => t.reports, sum: true, csv: true, xlsx: { width: 12 } },
  { heading: "MPK", type: "text", value: (r) => r.header.costCentre ?? null, csv: true, xlsx: { width: 14 } },
  { heading: "Klasyfikacja budżetowa", type: "text", value: (r) => classification(r.header), csv: true, xlsx: { width: 20 } },
  { heading: "Kod projektu", type: "text", value: (r) => r.header.projectCode ?? null, csv: true, xlsx: { width: 24 } },
];

/** One rate line of an approved report: a row of the XLSX reports sheet ("Sprawozdania"). */
export type ReportSheetRow = { report: ReportRow; rate: RateLine };
/** What the reports sheet's totals row adds up: the reports' own totals. */
export type ReportSheetSums = { minutes: number; grosze: number };

export type ReportSheetColumn = {
  heading: string;
  type: ColumnType;
  width: number;
  value: (row: ReportSheetRow) => ColumnValue;
  /** The totals row's value, summed by a formula. */
  sum?: (sums: ReportSheetSums) => number;
};

/**
 * The columns of the XLSX reports sheet ("Sprawozdania"), in order: one row per rate line of each
 * approved version, with who approved it when and its content hash (the audit view of the batch).
 * The totals row shows the label in the first column and a SUM under each column with `sum`.
 */
export const REPORT_SHEET_COLUMNS: readonly ReportSheetColumn[] = [
  { heading: "Nr sprawozdania", type: "text", width: 26, value: (r) => r.report.reportNumber ?? r.report.reportId },
  { heading: "Id sprawozdania", type: "text", width: 28, value: (r) => r.report.reportId },
  { heading: "Wersja", type: "integer", width: 8, value: (r) => r.report.version },
  { heading: "Asystent", type: "text", width: 32, value: (r) => r.report.assistantName },
  { heading: "Kod uczestnika", type: "text", width: 16, value: (r) => r.report.beneficiaryCode },
  { heading: "Miesiąc", type: "month", width: 10, value: (r) => r.report.month },
  { heading: "Minuty", type: "minutes", width: 10, value: (r) => r.rate.minutes, sum: (s) => s.minutes },
  { heading: "Godziny (GG:MM)", type: "clock", width: 14, value: (r) => r.rate.minutes, sum: (s) => s.minutes },
  { heading: "Godziny (dziesiętnie)", type: "hours", width: 14, value: (r) => r.rate.minutes, sum: (s) => s.minutes },
  { heading: "Stawka (zł)", type: "zloty", width: 14, value: (r) => r.rate.rateGrosze },
  { heading: "Kwota brutto (zł)", type: "zloty", width: 18, value: (r) => r.rate.amountGrosze, sum: (s) => s.grosze },
  { heading: "Zatwierdził(a)", type: "text", width: 28, value: (r) => r.report.approvedBy },
  { heading: "Zatwierdzono (czas warszawski)", type: "instant", width: 20, value: (r) => r.report.approvedAt },
  { heading: "Skrót SHA-256 treści", type: "text", width: 66, value: (r) => r.report.contentHash },
];

export const CSV_PAYMENT_COLUMNS = PAYMENT_COLUMNS.filter((c) => c.csv);
export const XLSX_PAYMENT_COLUMNS = PAYMENT_COLUMNS.filter((c) => c.xlsx);
export const BILL_COLUMNS = PAYMENT_COLUMNS.filter((c) => c.bill);

function numberText(type: ColumnType, value: number, zloty: (grosze: number) => string): string {
  switch (type) {
    case "clock":
      return clockHours(value);
    case "hours":
      return decimalHours(value);
    case "zloty":
      return zloty(value);
    default:
      return String(value);
  }
}

/** Minutes, grosze and counts as a person reads them on a bill. */
export function billText(type: ColumnType, value: ColumnValue): string {
  if (value === null) return "";
  if (typeof value === "string") return type === "instant" ? warsawDateTime(value) : value;
  return numberText(type, value, displayZloty);
}

/** Minutes, grosze and counts as a Polish spreadsheet reads them from CSV: decimal comma, no thousands separator. */
export function csvText(type: ColumnType, value: ColumnValue): string | undefined {
  if (value === null || typeof value === "string") return undefined; // text is neutralised by the writer
  return numberText(type, value, plainZloty);
}
