import { bilingual } from "./field-messages.js";
import * as z from "zod";
import { Month, nextMonth } from "./calendar.js";
import { reportMinutes, type Report } from "./report.js";
import type { ServiceOrder } from "./service-order.js";

/** Programme audits ask for a year at most; each month costs two Queries (orders, reports). */
export const MAX_OVERVIEW_MONTHS = 12;

const monthCount = (from: string, to: string) => (+to.slice(0, 4) - +from.slice(0, 4)) * 12 + (+to.slice(5, 7) - +from.slice(5, 7)) + 1;

/** `?from=YYYY-MM&to=YYYY-MM`: `to` not before `from`, at most 12 months. */
export const OverviewQuery = z
  .object({ from: Month, to: Month, lang: z.string().optional() })
  .refine((q) => q.from <= q.to, { path: ["to"], message: bilingual("„to” nie może być przed „from”", "`to` must not be before `from`") })
  .refine((q) => monthCount(q.from, q.to) <= MAX_OVERVIEW_MONTHS, { path: ["to"], message: bilingual(`najwyżej ${MAX_OVERVIEW_MONTHS} miesięcy w jednym zapytaniu`, `at most ${MAX_OVERVIEW_MONTHS} months per request`) });
export type OverviewQuery = z.infer<typeof OverviewQuery>;

/** Minutes of one beneficiary in one month: ordered (all orders), logged (current reports, any status), approved. */
export const OverviewRow = z.object({
  month: Month,
  beneficiaryCode: z.string(),
  orderedMinutes: z.number().int().nonnegative(),
  loggedMinutes: z.number().int().nonnegative(),
  approvedMinutes: z.number().int().nonnegative(),
});
export type OverviewRow = z.infer<typeof OverviewRow>;

export const Overview = z.object({
  programmeId: z.string(),
  from: Month,
  to: Month,
  rows: z.array(OverviewRow),
  totals: z.array(OverviewRow.omit({ beneficiaryCode: true })),
});
export type Overview = z.infer<typeof Overview>;

/** The months from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) months.push(m);
  return months;
}

/** Ordered vs logged vs approved minutes per beneficiary and month, and per month in total, sorted by month and code. */
export function utilisation(
  programmeId: string,
  range: { from: string; to: string },
  orders: readonly Pick<ServiceOrder, "programmeId" | "month" | "beneficiaryCode" | "orderedMinutes">[],
  reports: readonly Pick<Report, "programmeId" | "month" | "beneficiaryCode" | "status" | "visits">[],
): Overview {
  const rows = new Map<string, OverviewRow>();
  const inRange = (x: { programmeId: string; month: string }) => x.programmeId === programmeId && x.month >= range.from && x.month <= range.to;
  const row = (month: string, beneficiaryCode: string) => {
    const key = `${month}\u0000${beneficiaryCode}`;
    let found = rows.get(key);
    if (!found) rows.set(key, (found = { month, beneficiaryCode, orderedMinutes: 0, loggedMinutes: 0, approvedMinutes: 0 }));
    return found;
  };
  for (const o of orders.filter(inRange)) row(o.month, o.beneficiaryCode).orderedMinutes += o.orderedMinutes;
  for (const r of reports.filter(inRange)) {
    const minutes = reportMinutes(r);
    const target = row(r.month, r.beneficiaryCode);
    target.loggedMinutes += minutes;
    if (r.status === "approved") target.approvedMinutes += minutes;
  }
  const sorted = [...rows.values()].sort((a, b) => (a.month === b.month ? a.beneficiaryCode.localeCompare(b.beneficiaryCode) : a.month < b.month ? -1 : 1));
  const totals = monthsBetween(range.from, range.to).map((month) => {
    const of = sorted.filter((r) => r.month === month);
    const sum = (field: "orderedMinutes" | "loggedMinutes" | "approvedMinutes") => of.reduce((s, r) => s + r[field], 0);
    return { month, orderedMinutes: sum("orderedMinutes"), loggedMinutes: sum("loggedMinutes"), approvedMinutes: sum("approvedMinutes") };
  });
  return { programmeId, from: range.from, to: range.to, rows: sorted, totals };
}
