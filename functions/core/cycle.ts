import * as z from "zod";
import {
  addDays,
  addWorkingDays,
  Instant,
  IsoDate,
  Month,
  nextMonth,
  nthWorkingDay,
  reminderInstants,
  reportDeadline,
  warsawDate,
  warsawInstant,
} from "./calendar.js";
import { type Programme, ProgrammeId } from "./programme.js";
import { type Report, reportMinutes } from "./report.js";
import type { ServiceOrder } from "./service-order.js";

/** Late approvals are collected into supplementary batches for this many days after the deadline. */
export const SUPPLEMENTARY_HORIZON_DAYS = 60;
/** Decisions are checked once per working day at this Warsaw time. */
export const CHECK_TIME = "07:00";

/** What every step of the monthly cycle receives. */
export const CycleInput = z.object({ programmeId: ProgrammeId, month: Month });
export type CycleInput = z.infer<typeof CycleInput>;

export const ReminderSlot = z.object({ id: z.string().min(1), at: Instant });
export type ReminderSlot = z.infer<typeof ReminderSlot>;

/** The previous page's result, when a paginated step loops: its cursor says where to go on. */
const PreviousPage = z.object({ cursor: z.string().min(1).optional() }).optional();
/** "Remind assistants with missing reports": one page of assistants per call. */
export const ReminderStepInput = CycleInput.extend({ reminder: ReminderSlot, page: PreviousPage });
/** "Close intake": one page of assistants per call. */
export const PagedStepInput = CycleInput.extend({ page: PreviousPage });
/** "Build the payment batch": the previous call's cursor while it claims (absent on the first call, and after an earlier batch). */
export const BuildBatchInput = CycleInput.extend({ batch: z.object({ cursor: z.string().min(1).optional() }).optional() });
/** "Write the payment files page by page": one page of the batch's plan (core/exports/pages.ts PagePlan). */
export const BatchPageInput = z.object({ page: z.object({ batchId: z.string().min(1) }).passthrough() });
/** "Assemble the payment files": the batch and how many pages its plan has. */
export const AssembleBatchInput = z.object({ batch: z.object({ batchId: z.string().min(1), plan: z.object({ pages: z.number().int().nonnegative() }) }) });
/** "E-mail the batch to finance". */
export const SendBatchInput = CycleInput.extend({ batch: z.object({ batchId: z.string().min(1) }) });

/** The small plan the execution carries: instants only, never a list of people or reports. */
export const CyclePlan = z.object({
  deadline: Instant,
  deadlineDate: IsoDate,
  reminders: z.array(ReminderSlot),
  cutoffAt: Instant,
  horizonAt: Instant,
});
export type CyclePlan = z.infer<typeof CyclePlan>;

export const CycleStatus = z.enum(["collecting", "awaiting_decisions", "settled"]);
export type CycleStatus = z.infer<typeof CycleStatus>;

/** The cycle record: one per programme and month, written once by "Plan the month". */
export const Cycle = z.object({
  programmeId: ProgrammeId,
  month: Month,
  executionName: z.string().min(1),
  plan: CyclePlan,
  plannedAt: Instant,
  status: CycleStatus,
  intakeClosedAt: Instant.optional(),
  lastCheckAt: Instant.optional(),
  settledAt: Instant.optional(),
});
export type Cycle = z.infer<typeof Cycle>;

/** The execution name of a programme's month: the idempotency key of its start. */
export function cycleName(programmeId: string, month: string): string {
  return `cycle-${programmeId}-${month}`;
}

/** The end (next day 00:00 Warsaw) of a calendar date, as a UTC instant. */
const endOfDay = (date: string) => warsawInstant(addDays(date, 1), "00:00");

/**
 * The month's plan: the deadline, the reminder instants, the payment cut-off (end of the
 * programme's N-th working day of the month after the reported one, never before the deadline)
 * and the horizon after which late approvals are no longer waited for.
 */
export function planCycle(programme: Programme, month: string, now: string): Cycle {
  const deadline = reportDeadline(month, programme);
  const cutoffDate = nthWorkingDay(nextMonth(month), programme.paymentCutoffWorkingDay, programme.extraDaysOff);
  return {
    programmeId: programme.id,
    month,
    executionName: cycleName(programme.id, month),
    plan: {
      deadline: deadline.instant,
      deadlineDate: deadline.date,
      reminders: reminderInstants(month, programme).map(({ id, at }) => ({ id, at })),
      cutoffAt: endOfDay(cutoffDate > deadline.date ? cutoffDate : deadline.date),
      horizonAt: endOfDay(addDays(deadline.date, SUPPLEMENTARY_HORIZON_DAYS)),
    },
    plannedAt: now,
    status: "collecting",
  };
}

/** A reminder is sent only before the deadline: a run resumed later must not remind about a closed intake. */
export function reminderStillDue(plan: Pick<CyclePlan, "deadline">, now: string): boolean {
  return Date.parse(now) < Date.parse(plan.deadline);
}

/** The next working day after `now`'s Warsaw date, at the check time. */
export function nextCheckAt(now: string, extraDaysOff: readonly string[] = []): string {
  return warsawInstant(addWorkingDays(warsawDate(now), 1, extraDaysOff), CHECK_TIME);
}

export type MissingState = "missing" | "draft" | "returned";

/** One beneficiary whose report the assistant still owes. */
export type OwedReport = {
  beneficiaryCode: string;
  orderedMinutes: number;
  loggedMinutes: number;
  state: MissingState;
};

/**
 * The reports an assistant still owes for the month in the programme: an order without a
 * report, or with a draft or returned one. Submitted and approved reports are not owed.
 */
export function owedReports(
  programmeId: string,
  orders: readonly Pick<ServiceOrder, "programmeId" | "beneficiaryCode" | "orderedMinutes">[],
  reports: readonly Pick<Report, "programmeId" | "beneficiaryCode" | "status" | "visits">[],
): OwedReport[] {
  const byBeneficiary = new Map(reports.filter((r) => r.programmeId === programmeId).map((r) => [r.beneficiaryCode, r]));
  return orders
    .filter((o) => o.programmeId === programmeId)
    .flatMap((order): OwedReport[] => {
      const report = byBeneficiary.get(order.beneficiaryCode);
      if (report && (report.status === "submitted" || report.status === "approved")) return [];
      return [
        {
          beneficiaryCode: order.beneficiaryCode,
          orderedMinutes: order.orderedMinutes,
          loggedMinutes: report ? reportMinutes(report) : 0,
          state: report ? (report.status as "draft" | "returned") : "missing",
        },
      ];
    })
    .sort((a, b) => a.beneficiaryCode.localeCompare(b.beneficiaryCode));
}

/** Missing at the deadline: no report or only a draft (a returned report was submitted on time). */
export function isMissingAtDeadline(owed: OwedReport): boolean {
  return owed.state !== "returned";
}

/** How the month stands: counts of the programme's orders and reports. */
export const CycleCounts = z.object({
  expected: z.number().int().nonnegative(),
  submitted: z.number().int().nonnegative(),
  approved: z.number().int().nonnegative(),
  returned: z.number().int().nonnegative(),
  draft: z.number().int().nonnegative(),
  /** Approved reports already claimed by a batch. */
  batched: z.number().int().nonnegative(),
});
export type CycleCounts = z.infer<typeof CycleCounts>;

/** Orders without a submitted, approved or returned report (no report at all, or a draft). */
export function missingCount(counts: CycleCounts): number {
  return Math.max(0, counts.expected - counts.submitted - counts.approved - counts.returned);
}

/** Whether the month still has something to wait for: a report not yet approved, before the horizon. */
export function keepWatching(counts: CycleCounts, plan: Pick<CyclePlan, "horizonAt">, now: string): boolean {
  return Date.parse(now) < Date.parse(plan.horizonAt) && counts.expected - counts.approved > 0;
}

export type Progress = { readyToPay: boolean; nextCheckAt: string; waiting: number; toPay: number };

/**
 * The daily decision. Ready to pay when approved reports wait for a batch and either no
 * submitted report awaits a decision or the payment cut-off has passed; when a batch was built
 * but not yet sent (a crash between building and e-mailing it); and when nothing is left to
 * watch, so that the build step can settle the month.
 */
/**
 * Whether a month is not settled at its payment cut-off (the `CycleUnsettledAtPaymentDay`
 * alarm, docs/operations.md "A month not settled by its payment day"): the cut-off passed while
 * reports still wait for a decision, or a day after it approved reports are still unpaid or a
 * built batch is unsent (the step that pays them at the cut-off would have done so by then).
 */
export function unsettledAtCutoff(counts: CycleCounts, plan: Pick<CyclePlan, "cutoffAt">, now: string, unsentBatches = 0): boolean {
  const sinceCutoff = Date.parse(now) - Date.parse(plan.cutoffAt);
  if (sinceCutoff < 0) return false;
  const unpaid = Math.max(0, counts.approved - counts.batched) > 0 || unsentBatches > 0;
  return counts.submitted > 0 || (unpaid && sinceCutoff >= DAY_MS);
}

const DAY_MS = 24 * 3600_000;

export function cycleProgress(
  counts: CycleCounts,
  plan: Pick<CyclePlan, "cutoffAt" | "horizonAt">,
  now: string,
  extraDaysOff: readonly string[] = [],
  unsentBatches = 0,
): Progress {
  const toPay = Math.max(0, counts.approved - counts.batched);
  const cutoffPassed = Date.parse(now) >= Date.parse(plan.cutoffAt);
  const readyToPay = (toPay > 0 && (counts.submitted === 0 || cutoffPassed)) || unsentBatches > 0 || !keepWatching(counts, plan, now);
  return { readyToPay, nextCheckAt: nextCheckAt(now, extraDaysOff), waiting: counts.submitted, toPay };
}
