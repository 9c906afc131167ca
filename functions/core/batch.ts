import { z } from "zod";
import { Instant, Month, warsawWall } from "./calendar.js";
import { InvalidTransitionError } from "./errors.js";
import { BatchKind, BatchTotals, type BatchHeader, type BatchLine, type CardVisit, type ReportCard } from "./exports/model.js";
import { warsawDateTime } from "./exports/format.js";
import { PersonId, type Person } from "./person.js";
import { type Programme, ProgrammeId } from "./programme.js";
import { contentHash, priceReport, type Report, visitMinutes } from "./report.js";

/** building: claiming reports; ready: lines and control totals fixed; sent: e-mailed to finance. */
export const BatchStatus = z.enum(["building", "ready", "sent"]);
export type BatchStatus = z.infer<typeof BatchStatus>;

export const BatchFileRecord = z.object({ name: z.string().min(1), bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type BatchFileRecord = z.infer<typeof BatchFileRecord>;

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
});
export type Batch = z.infer<typeof Batch>;

/** One approved report version in a batch: what is paid for it and the evidence it rests on. */
export const BatchReportLine = z.object({
  batchId: z.string().min(1),
  reportId: z.string().min(1),
  version: z.number().int().positive(),
  assistantId: PersonId,
  beneficiaryCode: z.string().min(1),
  minutes: z.number().int().nonnegative(),
  amountGrosze: z.number().int().nonnegative(),
  rateGrosze: z.number().int().positive(),
  contentHash: z.string().min(1),
  approvedBy: z.string().min(1),
  approvedAt: Instant,
  late: z.boolean(),
});
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

/** The batch line of an approved report: minutes and amount priced with the programme's rates. */
export function batchLineOf(report: Report, programme: Pick<Programme, "id" | "rates">, batchId: string): BatchReportLine {
  if (report.status !== "approved" || !report.decidedAt || !report.decidedBy) throw new InvalidTransitionError(report.id, report.status, "exported");
  const price = priceReport(report, programme);
  return {
    batchId,
    reportId: report.id,
    version: report.version,
    assistantId: report.assistantId,
    beneficiaryCode: report.beneficiaryCode,
    minutes: price.minutes,
    amountGrosze: price.amountGrosze,
    rateGrosze: price.rateGrosze,
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
export function batchHeader(batch: Batch, programme: Pick<Programme, "name">): BatchHeader {
  if (!batch.totals) throw new InvalidTransitionError(batch.batchId, batch.status, "exported");
  return {
    batchId: batch.batchId,
    programmeId: batch.programmeId,
    programmeName: programme.name.pl,
    month: batch.month,
    kind: batch.kind,
    createdAt: batch.createdAt,
    totals: batch.totals,
  };
}

/**
 * One payment line per assistant from report lines sorted by assistant (as the batch stores
 * them), streaming: only one assistant's lines are held at a time.
 */
export async function* paymentLines(
  lines: AsyncIterable<BatchReportLine>,
  month: string,
  assistant: (assistantId: string) => Promise<Pick<Person, "name" | "contractNumber" | "bankAccount">>,
): AsyncGenerator<BatchLine> {
  let group: BatchReportLine[] = [];
  const flush = async (): Promise<BatchLine> => {
    const person = await assistant(group[0].assistantId);
    return {
      assistantName: person.name,
      contractNumber: person.contractNumber ?? "—",
      bankAccount: person.bankAccount ?? "",
      month,
      minutes: group.reduce((s, l) => s + l.minutes, 0),
      rateGrosze: group[0].rateGrosze,
      grossGrosze: group.reduce((s, l) => s + l.amountGrosze, 0),
      reportIds: group.map((l) => l.reportId),
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
  line: BatchReportLine,
  ctx: { programme: Pick<Programme, "name" | "scopeCategories">; assistantName: string; beneficiaryInitials?: string; approverName: string },
): ReportCard {
  return {
    reportId: report.id,
    version: report.version,
    assistantName: ctx.assistantName,
    beneficiaryCode: report.beneficiaryCode,
    ...(ctx.beneficiaryInitials ? { beneficiaryInitials: ctx.beneficiaryInitials } : {}),
    month: report.month,
    programmeName: ctx.programme.name.pl,
    visits: report.visits.map((v) => cardVisit(v, ctx.programme)),
    totalMinutes: line.minutes,
    amountGrosze: line.amountGrosze,
    rateGrosze: line.rateGrosze,
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
