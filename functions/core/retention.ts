import * as z from "zod";
import { isMonth, monthOf, nextMonth, previousMonth, reportDeadline } from "./calendar.js";
import { retainUntil } from "./batch.js";
import { SUPPLEMENTARY_HORIZON_DAYS } from "./cycle.js";
import type { Programme, Retention } from "./programme.js";

/**
 * What Karta keeps how long (DOMAIN.md, data protection; docs/data-protection.md). Hour
 * confirmations and accounting documents are kept for their legal periods; what the law does
 * not ask for goes as soon as it has served: a draft never submitted some days after its
 * month's deadline, a session or sign-in link at its expiry, an e-mail's recipient and subject
 * some days after it was sent.
 */
export type RetentionItem =
  /** A report never submitted (status draft, no version), of a programme month with this deadline. */
  | { kind: "draft"; deadline: string }
  /** An approved report and its versions, approvals and audit events; `paidAt` once a batch paid it. */
  | { kind: "hourConfirmation"; paidAt?: string }
  /** A batch, its lines and its files, of a settled month; `paidAt` once sent to finance. */
  | { kind: "accounting"; month: string; paidAt?: string }
  | { kind: "session"; expiresAt: string }
  | { kind: "signInLink"; expiresAt: string }
  /** An outbox record: the idempotency claim stays (never sent twice), the recipient and subject go. */
  | { kind: "outbox"; createdAt: string };

export type RetentionAction = "keep" | "remove" | "anonymise";

export interface RetentionDecision {
  action: RetentionAction;
  /** Until when the item is kept as it is; undefined: for as long as nothing starts its period (not yet paid). */
  keepUntil?: string;
  /** Who removes it: DynamoDB TTL (sessions, links), the daily clean-up, or a person after the controller's decision. */
  by: "ttl" | "clean-up" | "controller";
}

/** Days an outbox record keeps its recipient and subject (long after any re-run of the step that sent it). */
export const OUTBOX_KEEP_DAYS = 90;
/** Months the first clean-up of a programme looks back for drafts (later runs continue from their mark). */
export const FIRST_RUN_LOOKBACK_MONTHS = 36;

const DAY_MS = 86_400_000;
const plusDays = (instant: string, days: number) => new Date(Date.parse(instant) + days * DAY_MS).toISOString();
function plusYears(instant: string, years: number): string {
  const d = new Date(instant);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString();
}
const later = (a: string, b: string | undefined) => (b && Date.parse(b) > Date.parse(a) ? b : a);

/** Decides keep / remove / anonymise for one item at `now`, from the programme's retention setting. */
export function retentionDecision(item: RetentionItem, retention: Retention, now: Date, outboxDays = OUTBOX_KEEP_DAYS): RetentionDecision {
  const past = (until: string) => now.getTime() >= Date.parse(until);
  const decide = (keepUntil: string | undefined, after: RetentionAction, by: RetentionDecision["by"]): RetentionDecision =>
    ({ action: keepUntil && past(keepUntil) ? after : "keep", keepUntil, by });
  const project = (paidAt: string) => (retention.projectYearsAfterLastPayment ? plusYears(paidAt, retention.projectYearsAfterLastPayment) : undefined);
  switch (item.kind) {
    case "draft":
      // Never while a late report may still be submitted and paid (the supplementary batches' horizon).
      return decide(plusDays(item.deadline, Math.max(retention.draftDaysAfterDeadline, SUPPLEMENTARY_HORIZON_DAYS)), "remove", "clean-up");
    case "hourConfirmation":
      if (!item.paidAt) return { action: "keep", keepUntil: undefined, by: "controller" };
      return decide(later(plusYears(item.paidAt, retention.hourConfirmationYearsAfterPayment), project(item.paidAt)), "remove", "controller");
    case "accounting":
      if (!item.paidAt) return { action: "keep", keepUntil: undefined, by: "controller" };
      return decide(later(retainUntil(item.month, retention.accountingYearsAfterYearEnd, item.paidAt), project(item.paidAt)), "remove", "controller");
    case "session":
    case "signInLink":
      return decide(item.expiresAt, "remove", "ttl");
    case "outbox":
      return decide(plusDays(item.createdAt, outboxDays), "anonymise", "clean-up");
  }
}

/**
 * The months of a programme whose drafts are past retention at `now` and not cleaned yet: from
 * the month after `doneThrough` (or FIRST_RUN_LOOKBACK_MONTHS back) up to the last month whose
 * deadline + the setting's days has passed, oldest first.
 */
export function draftMonthsDue(programme: Pick<Programme, "deadlineWorkingDay" | "extraDaysOff" | "retention">, now: Date, doneThrough?: string): string[] {
  const due = (month: string) => retentionDecision({ kind: "draft", deadline: reportDeadline(month, programme).instant }, programme.retention, now).action === "remove";
  let month = doneThrough && isMonth(doneThrough) ? nextMonth(doneThrough) : monthsBefore(monthOf(now.toISOString()), FIRST_RUN_LOOKBACK_MONTHS);
  const months: string[] = [];
  while (due(month)) {
    months.push(month);
    month = nextMonth(month);
  }
  return months;
}

/** The UTC months (YYYY-MM of createdAt, as the outbox index files them) holding records past `outboxDays` at `now`, from `from` on. */
export function outboxMonthsDue(now: Date, from?: string, outboxDays = OUTBOX_KEEP_DAYS): { months: string[]; before: string } {
  const before = plusDays(now.toISOString(), -outboxDays);
  const last = before.slice(0, 7);
  let month = from && isMonth(from) ? from : monthsBefore(last, FIRST_RUN_LOOKBACK_MONTHS);
  const months: string[] = [];
  while (month <= last) {
    months.push(month);
    month = nextMonth(month);
  }
  return { months, before };
}

function monthsBefore(month: string, n: number): string {
  let m = month;
  for (let i = 0; i < n; i++) m = previousMonth(m);
  return m;
}

/** What one clean-up run did: counts only, never contents (the audit record). */
export const RetentionRunCounts = z.object({
  draftsRemoved: z.number().int().nonnegative(),
  draftItemsRemoved: z.number().int().nonnegative(),
  outboxAnonymised: z.number().int().nonnegative(),
});
export type RetentionRunCounts = z.infer<typeof RetentionRunCounts>;
