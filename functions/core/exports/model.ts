import * as z from "zod";
import { amountGrosze } from "../money.js";
import { BudgetClassification } from "../programme.js";

const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
const Month = z.string().regex(MONTH_PATTERN, "month must be YYYY-MM");
const LocalDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "date must be YYYY-MM-DD");
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "time must be HH:MM");
const Grosze = z.number().int().nonnegative();
const Minutes = z.number().int().nonnegative();
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export const BatchKind = z.enum(["main", "supplementary"]);
export type BatchKind = z.infer<typeof BatchKind>;

export const BatchTotals = z.object({ reports: z.number().int().nonnegative(), minutes: Minutes, grosze: Grosze });
export type BatchTotals = z.infer<typeof BatchTotals>;

export const BatchHeader = z.object({
  batchId: z.string().min(1),
  programmeId: z.string().min(1),
  programmeName: z.string().min(1),
  month: Month,
  kind: BatchKind,
  createdAt: z.iso.datetime({ offset: true }),
  totals: BatchTotals,
  // the programme's accounting settings (core/programme.ts), printed on bills and in the files
  costCentre: z.string().min(1).optional(),
  budgetClassification: BudgetClassification.optional(),
  projectCode: z.string().min(1).optional(),
});
export type BatchHeader = z.infer<typeof BatchHeader>;

/** Minutes at one hourly rate and their amount, frozen at approval: amount = minutes × rate ÷ 60, half-up. */
export const RateLine = z
  .object({ rateGrosze: Grosze.positive(), minutes: Minutes, amountGrosze: Grosze })
  .refine((l) => l.amountGrosze === amountGrosze(l.minutes, l.rateGrosze), { message: "amountGrosze must be minutes × rateGrosze ÷ 60, rounded half-up", path: ["amountGrosze"] });
export type RateLine = z.infer<typeof RateLine>;

/** The number people read for a report of a batch (core/batch.ts, reportNumber); files show the report id when absent. */
const ReportNumber = z.string().min(1).optional();

/** One row of a bill: one report at one rate. */
export const BillRateLine = z
  .object({ reportId: z.string().min(1), reportNumber: ReportNumber, beneficiaryCode: z.string().min(1), rateGrosze: Grosze.positive(), minutes: Minutes, amountGrosze: Grosze })
  .refine((l) => l.amountGrosze === amountGrosze(l.minutes, l.rateGrosze), { message: "amountGrosze must be minutes × rateGrosze ÷ 60, rounded half-up", path: ["amountGrosze"] });
export type BillRateLine = z.infer<typeof BillRateLine>;

/** Karta's electronic approval on the merits of a bill's reports: one approver, how many reports, the last time. */
export const BillApproval = z.object({ approvedBy: z.string().min(1), approvedAt: z.iso.datetime({ offset: true }), reports: z.number().int().positive() });
export type BillApproval = z.infer<typeof BillApproval>;

/** One payment line per assistant: what finance pays on one bill; its totals are the sums of its rate lines. */
export const BatchLine = z
  .object({
    assistantName: z.string().min(1),
    contractNumber: z.string().min(1),
    bankAccount: z.string(),
    month: Month,
    minutes: Minutes,
    grossGrosze: Grosze,
    reportIds: z.array(z.string().min(1)),
    rateLines: z.array(BillRateLine).min(1),
    approvals: z.array(BillApproval).optional(),
  })
  .refine((l) => sumsMatch(l.rateLines, l.minutes, l.grossGrosze), { message: "minutes and grossGrosze must be the sums of the rate lines", path: ["rateLines"] });
export type BatchLine = z.infer<typeof BatchLine>;

function sumsMatch(lines: readonly { minutes: number; amountGrosze: number }[], minutes: number, grosze: number): boolean {
  let m = 0;
  let g = 0;
  for (const l of lines) {
    m += l.minutes;
    g += l.amountGrosze;
  }
  return m === minutes && g === grosze;
}

export const CardVisit = z.object({
  date: LocalDate,
  start: ClockTime,
  end: ClockTime,
  endDate: LocalDate.optional(),
  minutes: Minutes,
  scopes: z.array(z.string()),
  mode: z.string().min(1),
  justification: z.string().optional(),
  note: z.string().optional(),
});
export type CardVisit = z.infer<typeof CardVisit>;

export const CardSignature = z.object({
  role: z.string().min(1),
  signer: z.string().min(1),
  signedAtWarsaw: z.string().min(1),
  imagePng: z
    .custom<Uint8Array>(
      (b) => b instanceof Uint8Array && b.length > 8 && Buffer.from(b.subarray(0, 8)).equals(PNG_MAGIC),
      "imagePng must be a PNG image",
    )
    .optional(),
});
export type CardSignature = z.infer<typeof CardSignature>;

/** The monthly report card ("sprawozdanie miesięczne") as a person reads it. */
export const ReportCard = z.object({
  reportId: z.string().min(1),
  reportNumber: ReportNumber,
  version: z.number().int().positive(),
  assistantName: z.string().min(1),
  beneficiaryCode: z.string().min(1),
  beneficiaryInitials: z.string().optional(),
  month: Month,
  programmeName: z.string().min(1),
  visits: z.array(CardVisit),
  totalMinutes: Minutes,
  amountGrosze: Grosze,
  rateLines: z.array(RateLine).min(1),
  signatures: z.array(CardSignature),
  contentHash: z.string().min(1),
  approvedBy: z.string().min(1),
  approvedAt: z.iso.datetime({ offset: true }),
});
export type ReportCard = z.infer<typeof ReportCard>;

/** The part of a report card the spreadsheet lists; a full ReportCard fits it. */
export const ReportRow = ReportCard.pick({
  reportId: true,
  reportNumber: true,
  version: true,
  assistantName: true,
  beneficiaryCode: true,
  month: true,
  totalMinutes: true,
  amountGrosze: true,
  rateLines: true,
  contentHash: true,
  approvedBy: true,
  approvedAt: true,
});
export type ReportRow = z.infer<typeof ReportRow>;

export type Rows<T> = AsyncIterable<T> | Iterable<T>;

/** Calls `each` for every row, without a turn of the event loop per row when the rows are a plain iterable and `each` does not wait. */
export async function forEachRow<T>(rows: Rows<T>, each: (row: T) => Promise<void> | undefined): Promise<void> {
  if (Symbol.iterator in rows) {
    for (const row of rows) {
      const waiting = each(row);
      if (waiting) await waiting; // `await undefined` would still cost a turn per row
    }
  } else {
    for await (const row of rows) await each(row);
  }
}

// An export validates every row, and zod's object parsing took 0.3 s of the XLSX of 100,000
// lines, a quarter of it (issue 7). These check the same rules in plain code and hand anything they do not
// accept to zod, which either rejects it with its usual message or parses it; so they never let
// through what the schema would refuse (tests/unit/exports-xlsx.test.ts compares them on random input).
const text = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const count = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const month = (v: unknown): v is string => typeof v === "string" && MONTH_PATTERN.test(v);
function allText(values: unknown[]): values is string[] {
  for (let i = 0; i < values.length; i++) if (!text(values[i])) return false; // holes too, unlike every()
  return true;
}

// The fast path of a rate line: what RateLine and BillRateLine accept, or false.
function rateLine(v: unknown, billed: boolean): boolean {
  const l = v as Record<string, unknown> | null;
  return (
    typeof l === "object" &&
    l !== null &&
    (!billed || (text(l.reportId) && text(l.beneficiaryCode) && (l.reportNumber === undefined || text(l.reportNumber)))) &&
    count(l.rateGrosze) &&
    l.rateGrosze !== 0 &&
    count(l.minutes) &&
    count(l.amountGrosze) &&
    l.amountGrosze === amountGrosze(l.minutes as number, l.rateGrosze as number)
  );
}
function rateLines(v: unknown, billed: boolean, minutes: unknown, grosze: unknown): v is Record<string, never>[] {
  if (!Array.isArray(v) || v.length === 0) return false;
  for (let i = 0; i < v.length; i++) if (!rateLine(v[i], billed)) return false;
  return sumsMatch(v as { minutes: number; amountGrosze: number }[], minutes as number, grosze as number);
}
function approvals(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const a of v as Record<string, unknown>[]) {
    if (typeof a !== "object" || a === null || !text(a.approvedBy) || !count(a.reports) || a.reports === 0 || typeof a.approvedAt !== "string") return false;
    if (!BillApproval.shape.approvedAt.safeParse(a.approvedAt).success) return false;
  }
  return true;
}
const copyRateLine = (l: RateLine): RateLine => ({ rateGrosze: l.rateGrosze, minutes: l.minutes, amountGrosze: l.amountGrosze });

// Two literals rather than spreads of a temporary object: the same keys in the same order, without
// two objects allocated and spread for every rate line of an export.
const copyBillRateLine = (l: BillRateLine): BillRateLine =>
  l.reportNumber === undefined
    ? { reportId: l.reportId, beneficiaryCode: l.beneficiaryCode, rateGrosze: l.rateGrosze, minutes: l.minutes, amountGrosze: l.amountGrosze }
    : { reportId: l.reportId, reportNumber: l.reportNumber, beneficiaryCode: l.beneficiaryCode, rateGrosze: l.rateGrosze, minutes: l.minutes, amountGrosze: l.amountGrosze };

/** BatchLine.parse for the row loop of an export. */
export function parseBatchLine(raw: unknown): BatchLine {
  const r = raw as Record<string, unknown> | null;
  if (
    typeof r !== "object" ||
    r === null ||
    !text(r.assistantName) ||
    !text(r.contractNumber) ||
    typeof r.bankAccount !== "string" ||
    !month(r.month) ||
    !count(r.minutes) ||
    !count(r.grossGrosze) ||
    !Array.isArray(r.reportIds) ||
    !allText(r.reportIds) ||
    (r.approvals !== undefined && !approvals(r.approvals)) ||
    !rateLines(r.rateLines, true, r.minutes, r.grossGrosze)
  ) {
    return BatchLine.parse(raw);
  }
  return {
    assistantName: r.assistantName,
    contractNumber: r.contractNumber,
    bankAccount: r.bankAccount,
    month: r.month,
    minutes: r.minutes,
    grossGrosze: r.grossGrosze,
    reportIds: [...r.reportIds],
    ...(r.approvals === undefined ? {} : { approvals: (r.approvals as BillApproval[]).map((a) => ({ approvedBy: a.approvedBy, approvedAt: a.approvedAt, reports: a.reports })) }),
    rateLines: (r.rateLines as unknown as BillRateLine[]).map(copyBillRateLine),
  };
}

const ApprovedAt = ReportCard.shape.approvedAt;

/** ReportRow.parse for the row loop of an export. */
export function parseReportRow(raw: unknown): ReportRow {
  const r = raw as Record<string, unknown> | null;
  if (
    typeof r !== "object" ||
    r === null ||
    !text(r.reportId) ||
    (r.reportNumber !== undefined && !text(r.reportNumber)) ||
    !count(r.version) ||
    r.version === 0 ||
    !text(r.assistantName) ||
    !text(r.beneficiaryCode) ||
    !month(r.month) ||
    !count(r.totalMinutes) ||
    !count(r.amountGrosze) ||
    !rateLines(r.rateLines, false, r.totalMinutes, r.amountGrosze) ||
    !text(r.contentHash) ||
    !text(r.approvedBy) ||
    typeof r.approvedAt !== "string" ||
    !ApprovedAt.safeParse(r.approvedAt).success
  ) {
    return ReportRow.parse(raw);
  }
  return {
    reportId: r.reportId,
    ...(r.reportNumber === undefined ? {} : { reportNumber: r.reportNumber as string }),
    version: r.version,
    assistantName: r.assistantName,
    beneficiaryCode: r.beneficiaryCode,
    month: r.month,
    totalMinutes: r.totalMinutes,
    amountGrosze: r.amountGrosze,
    rateLines: (r.rateLines as unknown as RateLine[]).map(copyRateLine),
    contentHash: r.contentHash,
    approvedBy: r.approvedBy,
    approvedAt: r.approvedAt,
  };
}

export const CONTENT_TYPES = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  zip: "application/zip",
  pdf: "application/pdf",
} as const;

/** The lines of a batch do not add up to the control totals of its header. */
export class BatchTotalsMismatchError extends Error {
  constructor(
    readonly batchId: string,
    readonly expected: BatchTotals,
    readonly actual: BatchTotals,
  ) {
    super(
      `Sumy kontrolne paczki ${batchId} nie zgadzają się z liniami / batch control totals do not match its lines: ` +
        `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
    );
    this.name = "BatchTotalsMismatchError";
  }
}

export function addToTotals(totals: BatchTotals, line: BatchLine): void {
  totals.reports += line.reportIds.length;
  totals.minutes += line.minutes;
  totals.grosze += line.grossGrosze;
}

export function assertTotals(header: BatchHeader, actual: BatchTotals): void {
  const expected = header.totals;
  if (expected.reports !== actual.reports || expected.minutes !== actual.minutes || expected.grosze !== actual.grosze) {
    throw new BatchTotalsMismatchError(header.batchId, expected, actual);
  }
}
