import { bilingual } from "./field-messages.js";
import { createHash } from "node:crypto";
import * as z from "zod";
import { IsoDate, Instant, Month, firstDayOf, nextMonth, previousMonth, reportDeadline, warsawInstant, warsawWall } from "./calendar.js";
import { BeneficiaryCode } from "./beneficiary.js";
import {
  AlreadyExistsError,
  DomainError,
  InvalidTransitionError,
  JustificationRequiredError,
  NightVisitNotAllowedError,
  NoServiceOrderError,
  NotFoundError,
  OrderExceededError,
  OverOrderExplanationRequiredError,
  PricingChangedError,
  ReportEmptyError,
  ReportLockedError,
  ReportTooLargeError,
  ReturnReasonRequiredError,
  ServiceModeNotAllowedError,
  SignatureEvidenceNotAcceptedError,
  SignatureMissingError,
  SignatureStaleError,
  SignatureTooLargeError,
  StaleVersionError,
  TooManyVisitsError,
  UnknownScopeError,
  VisitCrossesMidnightError,
  VisitDateMismatchError,
  VisitEndBeforeStartError,
  VisitOutsideMonthError,
  VisitOverlapError,
  VisitInFutureError,
  VisitTooLongError,
} from "./errors.js";
import { amountGrosze } from "./money.js";
import { PersonId } from "./person.js";
import { MAX_VISIT_MINUTES, type Programme, ProgrammeId, rateFor, serviceModeOf, ServiceModeId, SignatureEvidence } from "./programme.js";
import type { ServiceOrder } from "./service-order.js";
import { contractForMonth, contractOnDay, NoContractForMonthError, requireContractOnDay, VisitOutsideContractError, type ContractPeriod } from "./contract.js";

/** An instant normalised to `toISOString()` form so that equal instants hash equally. */
const NormalisedInstant = Instant.transform((s) => new Date(s).toISOString());

export const Visit = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    date: IsoDate,
    start: NormalisedInstant,
    end: NormalisedInstant,
    scopeIds: z.array(z.string().min(1)).min(1).max(20),
    mode: ServiceModeId,
    justification: z.string().trim().min(1).max(1000).optional(),
    note: z.string().trim().max(500).optional(),
  })
  .refine((v) => Date.parse(v.start) % 60_000 === 0 && Date.parse(v.end) % 60_000 === 0, {
    message: bilingual("początek i koniec muszą być w pełnych minutach", "start and end must be whole minutes"),
    path: ["start"],
  });
export type Visit = z.infer<typeof Visit>;

/** Signature images live inside the report item (DynamoDB items are capped at 400 KB). */
export const MAX_SIGNATURE_IMAGE_CHARS = 100_000;

/** Visits one report holds: 4 a day for 31 days (the 125th is refused, TooManyVisitsError). */
export const MAX_VISITS_PER_REPORT = 124;

/**
 * The largest report stored, as UTF-8 JSON bytes. A DynamoDB item is capped at 400 KB (409,600
 * bytes, names and values); JSON counts every name and value and more punctuation than DynamoDB
 * does, and the remaining 9,600 bytes leave room for the keys, `rev` and a version's `contentHash`.
 * Two signatures of MAX_SIGNATURE_IMAGE_CHARS and MAX_VISITS_PER_REPORT ordinary visits fit.
 */
export const MAX_REPORT_BYTES = 400_000;

/** The size of a report as stored, measured as UTF-8 JSON bytes (never less than DynamoDB counts). */
export function reportBytes(report: Report): number {
  return Buffer.byteLength(JSON.stringify(report), "utf8");
}

/** Refuses a report DynamoDB could not store (ReportTooLargeError, 413) before it is asked to. */
export function requireStorableSize(report: Report): void {
  const size = reportBytes(report);
  if (size > MAX_REPORT_BYTES) throw new ReportTooLargeError(report.id, size, MAX_REPORT_BYTES);
}

export const SignatureRole = z.enum(["beneficiary", "assistant"]);
export type SignatureRole = z.infer<typeof SignatureRole>;

export const Signature = z
  .object({
    role: SignatureRole,
    signer: z.string().trim().min(1).max(200),
    signedAt: NormalisedInstant,
    evidence: SignatureEvidence,
    imageDataUrl: z.string().regex(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/, bilingual("oczekiwano obrazu PNG (data URL)", "expected a PNG data URL")).optional(),
    paperScanKey: z.string().min(1).max(300).optional(),
    contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  })
  // A paper scan (for someone who cannot draw on the screen: a photo of the signed paper, made
  // black and white on the device) is kept like a drawn signature, as a PNG in the report, with
  // the same checks, so it is printed on the report card and shown to the approver.
  .refine((s) => !!s.imageDataUrl || (s.evidence === "paper_scan" && !!s.paperScanKey), {
    message: bilingual("podpis wymaga obrazu (podpis narysowany albo zdjęcie podpisanej kartki)", "a signature needs imageDataUrl (a drawn signature or the photo of a signed paper)"),
    path: ["imageDataUrl"],
  });
export type Signature = z.infer<typeof Signature>;

/** One priced line of a report: the minutes at one hourly rate and their amount, rounded half-up per line. */
export const PricedLine = z.object({
  rateGrosze: z.number().int().positive(),
  minutes: z.number().int().nonnegative(),
  amountGrosze: z.number().int().nonnegative(),
});
export type PricedLine = z.infer<typeof PricedLine>;

export const ReportStatus = z.enum(["draft", "submitted", "approved", "returned"]);
export type ReportStatus = z.infer<typeof ReportStatus>;

export const Report = z.object({
  id: z.string().min(1),
  programmeId: ProgrammeId,
  month: Month,
  assistantId: PersonId,
  beneficiaryCode: BeneficiaryCode,
  status: ReportStatus,
  /** The submission this content belongs to: 1 for the first; a returned report reopens as the next. */
  version: z.number().int().positive(),
  visits: z.array(Visit).max(300),
  signatures: z.array(Signature).max(2),
  /**
   * The money of this content, one line per rate, kept whenever visits change and part of the
   * content hash, so the signatures, the approval link and the approval bind it. Absent on
   * reports stored before it existed (see frozenPricing).
   */
  pricing: z.array(PricedLine).max(50).optional(),
  overOrderExplanation: z.string().trim().min(1).max(2000).optional(),
  returnReason: z.string().trim().min(1).max(2000).optional(),
  submittedAt: Instant.optional(),
  late: z.boolean().optional(),
  decidedAt: Instant.optional(),
  decidedBy: PersonId.optional(),
});
export type Report = z.infer<typeof Report>;

/** A visit of the same assistant in another report (any beneficiary, any programme), for overlap checks. */
export type OtherVisit = { reportId: string; visitId: string; start: string; end: string };

/** What checking a visit needs besides the report: the programme's rules, the assistant's other visits and the time now (no visit may end after it). */
/** `contracts`: the assistant's contracts (contractPeriods); every handler passes them, unit tests of other rules may leave them out. */
export type VisitContext = { programme: Programme; otherVisits: readonly OtherVisit[]; now: string; contracts?: readonly ContractPeriod[] };
export type SubmissionContext = VisitContext & { order: Pick<ServiceOrder, "orderedMinutes"> | undefined };
export type Decision = { by: string; version: number; contentHash: string };

/** The deterministic report id for programme × month × assistant × beneficiary. */
export function reportId(programmeId: string, month: string, assistantId: string, beneficiaryCode: string): string {
  return "r" + createHash("sha256").update([programmeId, month, assistantId, beneficiaryCode].join("\u0000")).digest("hex").slice(0, 24);
}

/** A new empty draft (version 1). */
export function newReport(input: Pick<Report, "programmeId" | "month" | "assistantId" | "beneficiaryCode">): Report {
  return Report.parse({
    ...input,
    id: reportId(input.programmeId, input.month, input.assistantId, input.beneficiaryCode),
    status: "draft",
    version: 1,
    visits: [],
    signatures: [],
  });
}

/** A visit's duration in minutes: the difference of instants, never of wall-clock times (DST-safe). */
export function visitMinutes(visit: Pick<Visit, "start" | "end">): number {
  return Math.round((Date.parse(visit.end) - Date.parse(visit.start)) / 60_000);
}

/** The report's total minutes. */
export function reportMinutes(report: Pick<Report, "visits">): number {
  let total = 0;
  for (const v of report.visits) total += visitMinutes(v);
  return total;
}

const byStart = (a: Pick<Visit, "start" | "id">, b: Pick<Visit, "start" | "id">) =>
  a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** SHA-256 (hex) over the canonical JSON of the signed content: ids, month, version, visits, totals and priced lines — not signatures or status. */
export function contentHash(report: Report): string {
  const visits = [...report.visits].sort(byStart).map((v) => ({
    id: v.id,
    date: v.date,
    start: v.start,
    end: v.end,
    minutes: visitMinutes(v),
    scopeIds: [...v.scopeIds].sort(),
    mode: v.mode,
    justification: v.justification ?? null,
    note: v.note ?? null,
  }));
  const canonical = JSON.stringify({
    id: report.id,
    programmeId: report.programmeId,
    month: report.month,
    assistantId: report.assistantId,
    beneficiaryCode: report.beneficiaryCode,
    version: report.version,
    visits,
    totals: { visits: visits.length, minutes: reportMinutes(report) },
    // Only when present: a report stored before pricing was frozen keeps the hash it was signed and approved on.
    ...(report.pricing ? { pricing: report.pricing.map((l) => ({ rateGrosze: l.rateGrosze, minutes: l.minutes, amountGrosze: l.amountGrosze })) } : {}),
  });
  return createHash("sha256").update(canonical).digest("hex");
}

/** Minutes, amount (grosze, rounded half-up per rate period) and rate; a rate change within the month gives one line per rate. */
export function priceReport(
  report: Pick<Report, "visits" | "month">,
  programme: Pick<Programme, "id" | "rates">,
): { minutes: number; amountGrosze: number; rateGrosze: number; lines: { rateGrosze: number; minutes: number; amountGrosze: number }[] } {
  const minutesByRate = new Map<number, number>();
  for (const v of report.visits) {
    const rate = rateFor(programme, v.date);
    minutesByRate.set(rate, (minutesByRate.get(rate) ?? 0) + visitMinutes(v));
  }
  if (minutesByRate.size === 0) minutesByRate.set(rateFor(programme, `${report.month}-01`), 0);
  const lines = [...minutesByRate].map(([rateGrosze, minutes]) => ({ rateGrosze, minutes, amountGrosze: amountGrosze(minutes, rateGrosze) }));
  return {
    minutes: lines.reduce((s, l) => s + l.minutes, 0),
    amountGrosze: lines.reduce((s, l) => s + l.amountGrosze, 0),
    rateGrosze: lines[0].rateGrosze,
    lines,
  };
}

/** The priced lines of the visits at the rates valid on their dates: one line per rate, none without visits. */
export function pricedLines(report: Pick<Report, "visits" | "month">, programme: Pick<Programme, "id" | "rates">): PricedLine[] {
  return report.visits.length ? priceReport(report, programme).lines : [];
}

const samePricing = (a: readonly PricedLine[], b: readonly PricedLine[]) =>
  a.length === b.length && a.every((l, i) => l.rateGrosze === b[i].rateGrosze && l.minutes === b[i].minutes && l.amountGrosze === b[i].amountGrosze);

/**
 * The money a report pays: its frozen lines. A report or version stored before pricing was frozen
 * has none, so it is priced once, here, from the rates valid on its visit dates (what the batch did
 * before); such reports were approved on a hash without money and keep it.
 */
export function frozenPricing(report: Pick<Report, "visits" | "month" | "pricing">, programme: Pick<Programme, "id" | "rates">): PricedLine[] {
  return report.pricing ?? pricedLines(report, programme);
}

/** The totals of priced lines: sums of the lines, never re-priced. */
export function pricedTotals(lines: readonly PricedLine[]): { minutes: number; amountGrosze: number } {
  let minutes = 0;
  let amount = 0;
  for (const l of lines) {
    minutes += l.minutes;
    amount += l.amountGrosze;
  }
  return { minutes, amountGrosze: amount };
}

/** A draft priced at the current rates; when the money changes the signatures made on the old money are cleared. */
export function repriced(report: Report, programme: Pick<Programme, "id" | "rates">): Report {
  const pricing = pricedLines(report, programme);
  if (report.pricing && samePricing(report.pricing, pricing)) return report;
  return { ...report, pricing, signatures: [] };
}

const minutesOfDay = (hhmm: string) => +hhmm.slice(0, 2) * 60 + +hhmm.slice(3, 5);

/** Every rule a single visit breaks on its own (month, times, length, night, future, mode, scope). */
export function visitProblems(visit: Visit, report: Pick<Report, "month">, programme: Programme, now: string): DomainError[] {
  const problems: DomainError[] = [];
  const s = Date.parse(visit.start);
  const e = Date.parse(visit.end);
  // a visit is logged after it happened: one that has not ended yet cannot be signed or paid
  if (e > Date.parse(now)) problems.push(new VisitInFutureError(visit.id, visit.end, now));
  const startWall = warsawWall(s);
  const startDate = startWall.date;
  if (startDate !== visit.date) problems.push(new VisitDateMismatchError(visit.id, visit.date, startDate));
  if (startDate.slice(0, 7) !== report.month) problems.push(new VisitOutsideMonthError(visit.id, startDate, report.month));
  const minutes = Math.round((e - s) / 60_000);
  if (minutes <= 0) {
    problems.push(new VisitEndBeforeStartError(visit.id));
  } else {
    if (minutes > programme.maxVisitMinutes) problems.push(new VisitTooLongError(visit.id, minutes, programme.maxVisitMinutes));
    // The last minute of the visit decides the day it ends on: ending at 00:00 does not cross midnight.
    const crossesMidnight = warsawWall(e - 60_000).date !== startDate;
    if (crossesMidnight && !programme.crossMidnightAllowed) problems.push(new VisitCrossesMidnightError(visit.id));
    if (!programme.nightVisitsAllowed) {
      const { from, to } = programme.nightHours;
      const start = minutesOfDay(startWall.time);
      const endTime = warsawWall(e).time;
      const end = endTime === "00:00" ? 24 * 60 : minutesOfDay(endTime);
      if (crossesMidnight || start < minutesOfDay(to) || end > minutesOfDay(from)) {
        problems.push(new NightVisitNotAllowedError(visit.id, from, to));
      }
    }
  }
  const mode = serviceModeOf(programme, visit.mode);
  if (!mode) problems.push(new ServiceModeNotAllowedError(visit.id, visit.mode));
  else if (mode.justificationRequired && !visit.justification?.trim()) problems.push(new JustificationRequiredError(visit.id, visit.mode));
  const unknown = visit.scopeIds.filter((id) => !programme.scopeCategories.some((c) => c.id === id));
  if (unknown.length) problems.push(new UnknownScopeError(visit.id, unknown));
  return problems;
}

/** Overlaps between this report's visits and each other and with the assistant's other visits (touching ends are fine). */
export function overlapProblems(report: Pick<Report, "id" | "visits">, otherVisits: readonly OtherVisit[]): DomainError[] {
  type Interval = { source: OtherVisit; own: boolean; s: number; e: number };
  const intervals: Interval[] = [];
  for (const v of report.visits) {
    intervals.push({ source: { reportId: report.id, visitId: v.id, start: v.start, end: v.end }, own: true, s: Date.parse(v.start), e: Date.parse(v.end) });
  }
  for (const o of otherVisits) {
    if (o.reportId !== report.id) intervals.push({ source: o, own: false, s: Date.parse(o.start), e: Date.parse(o.end) });
  }
  intervals.sort((a, b) => a.s - b.s || a.e - b.e);
  const problems = new Map<string, DomainError>();
  let longest: Interval | undefined;
  for (const current of intervals) {
    if (longest && current.s < longest.e && (current.own || longest.own)) {
      const [mine, other] = current.own ? [current, longest] : [longest, current];
      if (!problems.has(mine.source.visitId)) problems.set(mine.source.visitId, new VisitOverlapError(mine.source.visitId, other.source));
    }
    if (!longest || current.e > longest.e) longest = current;
  }
  return [...problems.values()];
}

/** Every rule the report breaks for submission, in a stable order (empty when it may be submitted). */
export function reportProblems(report: Report, ctx: SubmissionContext): DomainError[] {
  const { programme } = ctx;
  const problems: DomainError[] = [];
  if (report.visits.length === 0) problems.push(new ReportEmptyError(report.id));
  for (const visit of report.visits) problems.push(...visitProblems(visit, report, programme, ctx.now));
  problems.push(...contractProblems(report, ctx.contracts));
  problems.push(...overlapProblems(report, ctx.otherVisits));
  const minutes = reportMinutes(report);
  if (!ctx.order) problems.push(new NoServiceOrderError(report.id));
  else if (minutes > ctx.order.orderedMinutes) {
    if (programme.overOrderPolicy === "refuse") problems.push(new OrderExceededError(report.id, minutes, ctx.order.orderedMinutes));
    else if (!report.overOrderExplanation?.trim()) problems.push(new OverOrderExplanationRequiredError(report.id, minutes, ctx.order.orderedMinutes));
  }
  // Rates valid on the visit dates may be edited after signing; the signed money must still be right.
  // A draft stored before pricing was frozen has none to check; the batch prices it once (frozenPricing).
  if (report.pricing && !samePricing(report.pricing, pricedLines(report, programme))) problems.push(new PricingChangedError(report.id));
  const hash = contentHash(report);
  for (const role of ["beneficiary", "assistant"] as const) {
    const signature = report.signatures.find((s) => s.role === role);
    if (!signature) problems.push(new SignatureMissingError(report.id, role));
    else if (!programme.signatureEvidence.includes(signature.evidence)) problems.push(new SignatureEvidenceNotAcceptedError(signature.evidence));
    else if (signature.contentHash !== hash) problems.push(new SignatureStaleError(report.id, role));
  }
  return problems;
}

/** A report of a month no contract touches, and each visit on a day outside the assistant's contracts in the programme. */
function contractProblems(report: Report, contracts: readonly ContractPeriod[] | undefined): DomainError[] {
  if (!contracts) return [];
  const own = contracts.filter((c) => c.programmeId === report.programmeId);
  if (!contractForMonth(own, report.programmeId, report.month)) return [new NoContractForMonthError(report.assistantId, report.programmeId, report.month, own)];
  return report.visits
    .filter((v) => !contractOnDay(own, report.programmeId, v.date))
    .map((v) => new VisitOutsideContractError(report.assistantId, report.programmeId, v.date, own, v.id));
}

/** Throws the first rule the report breaks for submission. */
export function validateForSubmission(report: Report, ctx: SubmissionContext): void {
  const [first] = reportProblems(report, ctx);
  if (first) throw first;
}

function omit<T extends object, K extends keyof T>(value: T, ...keys: K[]): Omit<T, K> {
  const copy = { ...value };
  for (const key of keys) delete copy[key];
  return copy;
}

/** A returned report reopened for correction: a new draft of the next version, signatures cleared. */
export function reopen(report: Report): Report {
  if (report.status !== "returned") throw new InvalidTransitionError(report.id, report.status, "draft");
  return { ...omit(report, "submittedAt", "late", "decidedAt", "decidedBy"), status: "draft", version: report.version + 1, signatures: [] };
}

/** The report in a state that may be edited: drafts as they are, returned reports reopened; others are locked. */
export function editable(report: Report): Report {
  if (report.status === "draft") return report;
  if (report.status === "returned") return reopen(report);
  throw new ReportLockedError(report.id, report.status);
}

function withVisits(report: Report, visits: Visit[], programme: Pick<Programme, "id" | "rates">): Report {
  // Any change of the signed content invalidates the signatures made on the old content.
  return { ...report, visits, pricing: pricedLines({ ...report, visits }, programme), signatures: [] };
}

function checkVisit(report: Report, visit: Visit, ctx: VisitContext): void {
  const [problem] = visitProblems(visit, report, ctx.programme, ctx.now);
  if (problem) throw problem;
  if (ctx.contracts) requireContractOnDay(ctx.contracts, report, visit.date, visit.id);
  const s = Date.parse(visit.start);
  const e = Date.parse(visit.end);
  const others: OtherVisit[] = [
    ...report.visits.filter((v) => v.id !== visit.id).map((v) => ({ reportId: report.id, visitId: v.id, start: v.start, end: v.end })),
    ...ctx.otherVisits.filter((o) => o.reportId !== report.id),
  ];
  const other = others.find((o) => Date.parse(o.start) < e && s < Date.parse(o.end));
  if (other) throw new VisitOverlapError(visit.id, other);
}

/** Adds a visit after checking its rules and overlaps; clears signatures. */
export function addVisit(report: Report, visitInput: z.input<typeof Visit>, ctx: VisitContext): Report {
  const draft = editable(report);
  const visit = Visit.parse(visitInput);
  if (draft.visits.some((v) => v.id === visit.id)) throw new AlreadyExistsError("visit", visit.id);
  if (draft.visits.length >= MAX_VISITS_PER_REPORT) throw new TooManyVisitsError(draft.id, MAX_VISITS_PER_REPORT);
  checkVisit(draft, visit, ctx);
  return withVisits(draft, [...draft.visits, visit].sort(byStart), ctx.programme);
}

/** Replaces a visit after checking its rules and overlaps; clears signatures. */
export function updateVisit(report: Report, visitInput: z.input<typeof Visit>, ctx: VisitContext): Report {
  const draft = editable(report);
  const visit = Visit.parse(visitInput);
  if (!draft.visits.some((v) => v.id === visit.id)) throw new NotFoundError("visit", visit.id);
  checkVisit(draft, visit, ctx);
  return withVisits(draft, [...draft.visits.filter((v) => v.id !== visit.id), visit].sort(byStart), ctx.programme);
}

/** Removes a visit; clears signatures. */
export function removeVisit(report: Report, visitId: string, programme: Pick<Programme, "id" | "rates">): Report {
  const draft = editable(report);
  if (!draft.visits.some((v) => v.id === visitId)) throw new NotFoundError("visit", visitId);
  return withVisits(draft, draft.visits.filter((v) => v.id !== visitId), programme);
}

/** Sets (or clears) the explanation the approver sees when delivered hours exceed the order. */
export function setOverOrderExplanation(report: Report, explanation: string | undefined): Report {
  const draft = editable(report);
  const text = explanation?.trim();
  return text ? { ...draft, overOrderExplanation: text } : omit(draft, "overOrderExplanation");
}

/** Adds (or replaces) the signature of one role; it must be made on the report's current content hash. */
export function addSignature(report: Report, signatureInput: z.input<typeof Signature>, programme: Pick<Programme, "signatureEvidence">): Report {
  if (report.status !== "draft") throw new ReportLockedError(report.id, report.status);
  const signature = Signature.parse(signatureInput);
  if (!programme.signatureEvidence.includes(signature.evidence)) throw new SignatureEvidenceNotAcceptedError(signature.evidence);
  if (signature.imageDataUrl && signature.imageDataUrl.length > MAX_SIGNATURE_IMAGE_CHARS) {
    throw new SignatureTooLargeError(signature.imageDataUrl.length, MAX_SIGNATURE_IMAGE_CHARS);
  }
  if (signature.contentHash !== contentHash(report)) throw new SignatureStaleError(report.id, signature.role);
  return { ...report, signatures: [...report.signatures.filter((s) => s.role !== signature.role), signature] };
}

/** Submits a valid draft: status submitted, `late` when at or after the deadline instant. */
export function submit(report: Report, ctx: Omit<SubmissionContext, "now">, now: string): Report {
  if (report.status !== "draft") throw new InvalidTransitionError(report.id, report.status, "submitted");
  validateForSubmission(report, { ...ctx, now });
  const deadline = reportDeadline(report.month, ctx.programme);
  return {
    ...omit(report, "returnReason", "decidedAt", "decidedBy"),
    status: "submitted",
    submittedAt: now,
    late: Date.parse(now) >= Date.parse(deadline.instant),
  };
}

function checkDecision(report: Report, decision: Decision, to: ReportStatus): void {
  if (report.status !== "submitted") throw new InvalidTransitionError(report.id, report.status, to);
  if (decision.version !== report.version || decision.contentHash !== contentHash(report)) {
    throw new StaleVersionError(report.id, decision.version, report.version);
  }
}

/** Approves the submitted version the decision was made on. */
export function approve(report: Report, decision: Decision, now: string): Report {
  checkDecision(report, decision, "approved");
  return { ...report, status: "approved", decidedAt: now, decidedBy: decision.by };
}

/** Returns the submitted version for correction; the reason is mandatory. */
export function returnReport(report: Report, decision: Decision & { reason: string }, now: string): Report {
  const reason = decision.reason?.trim();
  if (!reason) throw new ReturnReasonRequiredError(report.id);
  checkDecision(report, decision, "returned");
  return { ...report, status: "returned", returnReason: reason, decidedAt: now, decidedBy: decision.by };
}

/**
 * Returns an approved version that the payment files cannot print (a set-aside, core/set-aside.ts)
 * to the assistant for correction: never paid as it is, reopened like any returned report.
 */
export function returnForCorrection(report: Report, reason: string, by: string, now: string): Report {
  if (report.status !== "approved") throw new InvalidTransitionError(report.id, report.status, "returned");
  return { ...report, status: "returned", returnReason: reason.trim().slice(0, 2000), decidedAt: now, decidedBy: by };
}

/**
 * The months whose reports can hold a visit overlapping one of this report's visits, so the only
 * ones the overlap rule needs (visits belong to the month of their Warsaw start date): the
 * report's own month; the previous month only when a visit starts less than the longest possible
 * visit (MAX_VISIT_MINUTES, any programme) after this month's start — a visit begun last month
 * ends before that; the next month only when a visit ends after the next month's start.
 */
export function overlapMonths(report: Pick<Report, "month" | "visits">): string[] {
  const monthStart = Date.parse(warsawInstant(firstDayOf(report.month), "00:00"));
  const nextStart = Date.parse(warsawInstant(firstDayOf(nextMonth(report.month)), "00:00"));
  const months = [report.month];
  if (report.visits.some((v) => Date.parse(v.start) < monthStart + MAX_VISIT_MINUTES * 60_000)) months.unshift(previousMonth(report.month));
  if (report.visits.some((v) => Date.parse(v.end) > nextStart)) months.push(nextMonth(report.month));
  return months;
}

/** The visits of an assistant's other reports, in the shape the overlap rule takes. */
export function visitsOfOtherReports(reports: readonly Pick<Report, "id" | "visits">[], exceptReportId: string): OtherVisit[] {
  return reports
    .filter((r) => r.id !== exceptReportId)
    .flatMap((r) => r.visits.map((v) => ({ reportId: r.id, visitId: v.id, start: v.start, end: v.end })));
}
