import * as z from "zod";
import { Instant, Month, previousMonth, warsawWall } from "./calendar.js";
import { BatchFileNotStoredError, InvalidTransitionError, NotFoundError } from "./errors.js";
import { BatchKind, BatchTotals, CONTENT_TYPES, type BatchHeader, type BatchLine, type BillApproval, type CardVisit, type ReportCard } from "./exports/model.js";
import { warsawDateTime } from "./exports/format.js";
import { PersonId, type Person } from "./person.js";
import { type Programme, ProgrammeId } from "./programme.js";
import { contentHash, frozenPricing, PricedLine, pricedTotals, type Report, visitMinutes } from "./report.js";

/** building: claiming reports; ready: lines and control totals fixed; sent: e-mailed to finance. */
export const BatchStatus = z.enum(["building", "ready", "sent"]);
export type BatchStatus = z.infer<typeof BatchStatus>;

/**
 * A file of a batch as e-mailed and stored: `key` is its S3 object (absent on batches sent
 * before files were stored), `versionId` the exact stored version where the bucket versions.
 */
export const BatchFileRecord = z.object({
  name: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  key: z.string().min(1).optional(),
  versionId: z.string().min(1).optional(),
});
export type BatchFileRecord = z.infer<typeof BatchFileRecord>;

/**
 * An approved report the payment files could not print, set aside by the batch step so that the
 * rest of the programme is paid (issue 13, core/set-aside.ts): it is returned to the assistant
 * with the reason, the coordinators and operators are alerted, finance is told, and the
 * corrected, re-approved version joins the next batch. One record per report version, never removed.
 */
export const SetAside = z.object({
  programmeId: ProgrammeId,
  month: Month,
  reportId: z.string().min(1),
  version: z.number().int().positive(),
  assistantId: PersonId,
  beneficiaryCode: z.string().min(1),
  /** What cannot be printed, in Polish and English (technical detail in brackets). */
  problem: z.object({ pl: z.string().min(1), en: z.string().min(1) }),
  at: Instant,
});
export type SetAside = z.infer<typeof SetAside>;

/** A set-aside report as a batch lists it for finance: not paid yet, waiting for its correction. */
export const SetAsideEntry = SetAside.pick({ reportId: true, version: true, assistantId: true, beneficiaryCode: true, problem: true, at: true });
export type SetAsideEntry = z.infer<typeof SetAsideEntry>;

export const Batch = z.object({
  batchId: z.string().regex(/^[a-z0-9-]{3,80}$/),
  programmeId: ProgrammeId,
  month: Month,
  /** 1 for the main batch of the month, 2… for supplementary ones. */
  seq: z.number().int().positive(),
  kind: BatchKind,
  status: BatchStatus,
  createdAt: Instant,
  totals: BatchTotals.optional(),
  readyAt: Instant.optional(),
  sentAt: Instant.optional(),
  delivery: z.enum(["attached", "link"]).optional(),
  files: z.array(BatchFileRecord).optional(),
  /** Reports of the month set aside and not yet paid when the batch was fixed (finance is told). */
  setAside: z.array(SetAsideEntry).optional(),
});
export type Batch = z.infer<typeof Batch>;

// Lines stored before they carried the priced lines held a single rate for the whole report.
const withRateLines = (raw: unknown) => {
  const r = raw as Record<string, unknown> | null;
  if (typeof r !== "object" || r === null || r.rateLines !== undefined || r.rateGrosze === undefined) return raw;
  const { rateGrosze, ...rest } = r;
  return { ...rest, rateLines: [{ rateGrosze, minutes: r.minutes, amountGrosze: r.amountGrosze }] };
};

/** One approved report version in a batch: what is paid for it (its frozen lines, one per rate) and the evidence it rests on. */
export const BatchReportLine = z.preprocess(withRateLines, z.object({
  batchId: z.string().min(1),
  reportId: z.string().min(1),
  version: z.number().int().positive(),
  assistantId: PersonId,
  beneficiaryCode: z.string().min(1),
  minutes: z.number().int().nonnegative(),
  amountGrosze: z.number().int().nonnegative(),
  rateLines: z.array(PricedLine).min(1),
  contentHash: z.string().min(1),
  approvedBy: z.string().min(1),
  approvedAt: Instant,
  late: z.boolean(),
}));
export type BatchReportLine = z.infer<typeof BatchReportLine>;

/** The batch id: programme, month and sequence (`krakow-aou-2026-11-p01`), so a rebuilt batch keeps its id. */
export function batchIdOf(programmeId: string, month: string, seq: number): string {
  return `${programmeId}-${month}-p${String(seq).padStart(2, "0")}`;
}

/** A new batch being built: the first of the month is the main batch, later ones are supplementary. */
export function newBatch(programmeId: string, month: string, seq: number, now: string): Batch {
  return Batch.parse({
    batchId: batchIdOf(programmeId, month, seq),
    programmeId,
    month,
    seq,
    kind: seq === 1 ? "main" : "supplementary",
    status: "building",
    createdAt: now,
  });
}

/** The batch line of an approved report: the priced lines it was approved with, never today's rates (`programme` prices only reports stored before pricing was frozen). */
export function batchLineOf(report: Report, programme: Pick<Programme, "id" | "rates">, batchId: string): BatchReportLine {
  if (report.status !== "approved" || !report.decidedAt || !report.decidedBy) throw new InvalidTransitionError(report.id, report.status, "exported");
  const rateLines = frozenPricing(report, programme);
  if (rateLines.length === 0) throw new InvalidTransitionError(report.id, report.status, "exported");
  return {
    batchId,
    reportId: report.id,
    version: report.version,
    assistantId: report.assistantId,
    beneficiaryCode: report.beneficiaryCode,
    ...pricedTotals(rateLines),
    rateLines: rateLines.map((l) => ({ rateGrosze: l.rateGrosze, minutes: l.minutes, amountGrosze: l.amountGrosze })),
    contentHash: contentHash(report),
    approvedBy: report.decidedBy,
    approvedAt: report.decidedAt,
    late: report.late ?? false,
  };
}

/** Control totals: number of reports, minutes and grosze, summed over the report lines. */
export function totalsOf(lines: Iterable<Pick<BatchReportLine, "minutes" | "amountGrosze">>): BatchTotals {
  const totals = { reports: 0, minutes: 0, grosze: 0 };
  for (const line of lines) {
    totals.reports += 1;
    totals.minutes += line.minutes;
    totals.grosze += line.amountGrosze;
  }
  return totals;
}

/** The export header of a batch whose control totals are fixed. */
export function batchHeader(batch: Batch, programme: Pick<Programme, "name" | "costCentre" | "budgetClassification" | "projectCode">): BatchHeader {
  if (!batch.totals) throw new InvalidTransitionError(batch.batchId, batch.status, "exported");
  return {
    ...(programme.costCentre ? { costCentre: programme.costCentre } : {}),
    ...(programme.budgetClassification ? { budgetClassification: programme.budgetClassification } : {}),
    ...(programme.projectCode ? { projectCode: programme.projectCode } : {}),
    batchId: batch.batchId,
    programmeId: batch.programmeId,
    programmeName: programme.name.pl,
    month: batch.month,
    kind: batch.kind,
    createdAt: batch.createdAt,
    totals: batch.totals,
  };
}

/** Who approved a bill's reports in Karta: per approver, how many and the last time, in order of that time. */
async function approvalsOf(lines: readonly BatchReportLine[], approverName: (personId: string) => Promise<string>): Promise<BillApproval[]> {
  const byApprover = new Map<string, { approvedAt: string; reports: number }>();
  for (const line of lines) {
    const seen = byApprover.get(line.approvedBy);
    if (!seen) byApprover.set(line.approvedBy, { approvedAt: line.approvedAt, reports: 1 });
    else {
      seen.reports++;
      if (Date.parse(line.approvedAt) > Date.parse(seen.approvedAt)) seen.approvedAt = line.approvedAt;
    }
  }
  const approvals: BillApproval[] = [];
  for (const [id, a] of byApprover) approvals.push({ approvedBy: await approverName(id), ...a });
  return approvals.sort((a, b) => Date.parse(a.approvedAt) - Date.parse(b.approvedAt) || (a.approvedBy < b.approvedBy ? -1 : 1));
}

/**
 * One payment line (one bill) per assistant from report lines grouped by assistant (in the
 * order of assistantsBySurname), streaming: only one assistant's lines are held at a time. It lists one rate line
 * per (report, rate): amounts are rounded per report line (DOMAIN.md), so only at that grain does
 * hours × rate give the amount to the grosz; the bill's total is the sum of its lines.
 */
export async function* paymentLines(
  lines: AsyncIterable<BatchReportLine & { reportNumber?: string }>,
  month: string,
  assistant: (assistantId: string) => Promise<Pick<Person, "name" | "contractNumber" | "bankAccount">>,
  approverName?: (personId: string) => Promise<string>,
): AsyncGenerator<BatchLine> {
  let group: (BatchReportLine & { reportNumber?: string })[] = [];
  const flush = async (): Promise<BatchLine> => {
    const person = await assistant(group[0].assistantId);
    return {
      assistantName: person.name,
      contractNumber: person.contractNumber ?? "—",
      bankAccount: person.bankAccount ?? "",
      month,
      minutes: group.reduce((s, l) => s + l.minutes, 0),
      grossGrosze: group.reduce((s, l) => s + l.amountGrosze, 0),
      reportIds: group.map((l) => l.reportId),
      rateLines: group.flatMap((l) =>
        l.rateLines.map((r) => ({ reportId: l.reportId, ...(l.reportNumber ? { reportNumber: l.reportNumber } : {}), beneficiaryCode: l.beneficiaryCode, ...r })),
      ),
      ...(approverName ? { approvals: await approvalsOf(group, approverName) } : {}),
    };
  };
  for await (const line of lines) {
    if (group.length && group[0].assistantId !== line.assistantId) {
      yield await flush();
      group = [];
    }
    group.push(line);
  }
  if (group.length) yield await flush();
}

const POLISH = new Intl.Collator("pl");

/** The surname of a name as people write it, given names first: "Anna Nowak-Kowalska" → "Nowak-Kowalska". */
export function surnameOf(name: string): string {
  const words = name.trim().split(/\s+/);
  return words[words.length - 1];
}

/**
 * The assistants of a batch in the order finance files bills: by surname in Polish alphabetical
 * order (Intl.Collator "pl": Ł after L, Ż last), then by the whole name, then by id, so
 * namesakes keep a fixed order. Only ids and names are held: a batch has about six reports
 * per assistant, so 60,000 reports are some 10,000 names.
 */
export async function assistantsBySurname(assistantIds: Iterable<string>, nameOf: (assistantId: string) => Promise<string>): Promise<string[]> {
  const named = [];
  for (const id of assistantIds) named.push({ id, name: await nameOf(id) });
  named.sort(
    (a, b) => POLISH.compare(surnameOf(a.name), surnameOf(b.name)) || POLISH.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return named.map((a) => a.id);
}

/** What a batch's report numbers share: the programme's code, the month and the batch's sequence. */
export type ReportNumbering = { programmeCode: string; month: string; batchSeq: number };

/** The numbering of a batch's reports: the programme's code (its id in capitals when it has none), the month, the batch's sequence. */
export function reportNumbering(batch: Pick<Batch, "month" | "seq">, programme: Pick<Programme, "id" | "code">): ReportNumbering {
  return { programmeCode: programme.code ?? programme.id.toUpperCase(), month: batch.month, batchSeq: batch.seq };
}

/**
 * The number people read and quote for a report of a batch, "KRK-AOU/2026-12/P1/003/2":
 * programme, month, batch (P1 the main one), the assistant's place in the batch by surname and
 * the report's place among the assistant's. The batch is part of it, since a supplementary
 * batch numbers its assistants from 1 again.
 */
export function reportNumber(n: ReportNumbering & { assistantPosition: number; reportPosition: number }): string {
  return `${n.programmeCode}/${n.month}/P${n.batchSeq}/${String(n.assistantPosition).padStart(3, "0")}/${n.reportPosition}`;
}

/** A batch's report line with the number the files show for it. */
export type NumberedReportLine = BatchReportLine & { reportNumber: string };

const BENEFICIARY_CODES = new Intl.Collator("pl", { numeric: true });

/**
 * Numbers a batch's report lines as they stream assistant by assistant, in the order the files
 * list them (assistantsBySurname): an assistant's lines are held and put in beneficiary-code
 * order, so the same lines always get the same numbers.
 */
export async function* numberedLines(lines: AsyncIterable<BatchReportLine>, numbering: ReportNumbering, assistantsBefore = 0): AsyncGenerator<NumberedReportLine> {
  let group: BatchReportLine[] = [];
  let assistantPosition = assistantsBefore; // a page of the batch goes on from the pages before it
  function* flush(): Generator<NumberedReportLine> {
    assistantPosition++;
    group.sort((a, b) => BENEFICIARY_CODES.compare(a.beneficiaryCode, b.beneficiaryCode) || (a.reportId < b.reportId ? -1 : a.reportId > b.reportId ? 1 : 0));
    for (const [i, line] of group.entries()) yield { ...line, reportNumber: reportNumber({ ...numbering, assistantPosition, reportPosition: i + 1 }) };
  }
  for await (const line of lines) {
    if (group.length && group[0].assistantId !== line.assistantId) {
      yield* flush();
      group = [];
    }
    group.push(line);
  }
  if (group.length) yield* flush();
}

const MODE_LABELS: Record<string, string> = {
  in_person: "osobiście",
  remote: "zdalnie",
  without_beneficiary: "bez udziału uczestnika",
};
const ROLE_LABELS: Record<string, string> = { beneficiary: "Uczestnik", assistant: "Asystent" };

function cardVisit(visit: Report["visits"][number], programme: Pick<Programme, "scopeCategories">): CardVisit {
  const start = warsawWall(visit.start);
  const end = warsawWall(visit.end);
  return {
    date: visit.date,
    start: start.time,
    end: end.time,
    ...(end.date !== start.date ? { endDate: end.date } : {}),
    minutes: visitMinutes(visit),
    scopes: visit.scopeIds.map((id) => programme.scopeCategories.find((c) => c.id === id)?.label.pl ?? id),
    mode: MODE_LABELS[visit.mode] ?? visit.mode,
    ...(visit.justification ? { justification: visit.justification } : {}),
    ...(visit.note ? { note: visit.note } : {}),
  };
}

/** The monthly report card of an approved version, as the PDF shows it. */
export function reportCardOf(
  report: Report,
  line: BatchReportLine & { reportNumber?: string },
  ctx: { programme: Pick<Programme, "name" | "scopeCategories">; assistantName: string; beneficiaryInitials?: string; approverName: string },
): ReportCard {
  return {
    reportId: report.id,
    ...(line.reportNumber ? { reportNumber: line.reportNumber } : {}),
    version: report.version,
    assistantName: ctx.assistantName,
    beneficiaryCode: report.beneficiaryCode,
    ...(ctx.beneficiaryInitials ? { beneficiaryInitials: ctx.beneficiaryInitials } : {}),
    month: report.month,
    programmeName: ctx.programme.name.pl,
    visits: report.visits.map((v) => cardVisit(v, ctx.programme)),
    totalMinutes: line.minutes,
    amountGrosze: line.amountGrosze,
    rateLines: line.rateLines,
    signatures: report.signatures.map((s) => ({
      role: ROLE_LABELS[s.role] ?? s.role,
      signer: s.signer,
      signedAtWarsaw: warsawDateTime(s.signedAt),
      ...(s.imageDataUrl ? { imagePng: Buffer.from(s.imageDataUrl.slice(s.imageDataUrl.indexOf(",") + 1), "base64") } : {}),
    })),
    contentHash: line.contentHash,
    approvedBy: ctx.approverName,
    approvedAt: line.approvedAt,
  };
}

/** The three files of a batch as a download names them. */
export const BatchFileKind = z.enum(["csv", "xlsx", "zip"]);
export type BatchFileKind = z.infer<typeof BatchFileKind>;

const KIND_SUFFIX: Record<BatchFileKind, string> = { csv: ".csv", xlsx: ".xlsx", zip: ".zip" };

/** The file a download asks for: its kind (`csv`, `xlsx`, `zip`) or a recorded file's own name. */
export function batchFileKindOf(batch: Pick<Batch, "batchId" | "files">, asked: string): BatchFileKind {
  const kind = BatchFileKind.safeParse(asked);
  if (kind.success) return kind.data;
  const recorded = batch.files?.find((f) => f.name === asked);
  const byName = recorded && BatchFileKind.options.find((k) => recorded.name.endsWith(KIND_SUFFIX[k]));
  if (!byName) throw new NotFoundError("batch file", `${batch.batchId}/${asked}`);
  return byName;
}

/** The kind of a batch file by its name (`….csv`, `….xlsx`, `…-pdf.zip`), or undefined. */
export function kindOfFile(name: string): BatchFileKind | undefined {
  return BatchFileKind.options.find((k) => name.endsWith(KIND_SUFFIX[k]));
}

/** The file of that kind among a batch's files (recorded or regenerated). */
export function fileOfKind<F extends { name: string }>(files: readonly F[] | undefined, kind: BatchFileKind): F | undefined {
  return files?.find((f) => f.name.endsWith(KIND_SUFFIX[kind]));
}

/** The content type of a batch file of that kind (CSV, XLSX or ZIP of PDFs). */
export function contentTypeOf(kind: BatchFileKind): string {
  return CONTENT_TYPES[kind];
}

/** A batch file stored in S3, as a download hands it out. */
export type StoredBatchFile = BatchFileRecord & { key: string; kind: BatchFileKind; contentType: string };

/**
 * The stored file a download asks for: 409 while the batch has no files yet (they are made when
 * it is e-mailed) and for batches e-mailed before files were stored (their record has no key).
 */
export function storedFileOf(batch: Pick<Batch, "batchId" | "files">, kind: BatchFileKind): StoredBatchFile {
  const recorded = fileOfKind(batch.files, kind);
  if (!recorded) throw new BatchFileNotStoredError(batch.batchId, kind, "unsent");
  if (!recorded.key) throw new BatchFileNotStoredError(batch.batchId, recorded.name, "legacy");
  return { ...recorded, key: recorded.key, kind, contentType: contentTypeOf(kind) };
}

/**
 * Until when a batch file is kept (Object Lock): accounting proofs are kept `years` full years
 * from the start of the year after the financial year they belong to (ustawa o rachunkowości,
 * art. 74) — the year of the work or, when later, the year it is paid and booked: a file of
 * any month of 2026 paid in 2026 is kept until 1 January 2032 with 5 years; December 2026 paid
 * in January 2027 until 1 January 2033.
 */
export function retainUntil(month: string, years: number, paidAt: string): string {
  const year = Math.max(Number(Month.parse(month).slice(0, 4)), Number(Instant.parse(paidAt).slice(0, 4)));
  return `${year + 1 + years}-01-01T00:00:00.000Z`;
}

/** How far back a batch list without `?month=` looks: batches of a month are built in the next one, supplementary ones up to 60 days later. */
export const RECENT_BATCH_MONTHS = 6;

/** The months a batch list without `?month=` covers, newest first: `month` and the five before it. */
export function recentBatchMonths(month: string): string[] {
  const months = [month];
  while (months.length < RECENT_BATCH_MONTHS) months.push(previousMonth(months.at(-1)!));
  return months;
}
