import { RateBelowMinimumError } from "./errors.js";

/**
 * The statutory minimum hourly rate for civil contracts (minimalna stawka godzinowa), gross,
 * in grosze, by the date it takes effect. Add a row each year when the regulation is published.
 */
export const minimumHourlyRates: readonly { from: string; rateGrosze: number }[] = [
  { from: "2024-01-01", rateGrosze: 2770 },
  { from: "2024-07-01", rateGrosze: 2810 },
  { from: "2025-01-01", rateGrosze: 3050 },
  { from: "2026-01-01", rateGrosze: 3140 },
];

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}

/** minutes × hourly rate ÷ 60, rounded half-up to a grosz, in exact integer arithmetic. */
export function amountGrosze(minutes: number, rateGrosze: number): number {
  assertCount("minutes", minutes);
  assertCount("rateGrosze", rateGrosze);
  const scaled = minutes * rateGrosze + 30;
  if (!Number.isSafeInteger(scaled)) throw new RangeError("amount out of range");
  return (scaled - (scaled % 60)) / 60;
}

/** Grosze as Polish money text: `1 234,56 zł` (plain spaces as thousands separator). */
export function formatPln(grosze: number): string {
  if (!Number.isSafeInteger(grosze)) throw new RangeError(`grosze must be an integer, got ${grosze}`);
  const sign = grosze < 0 ? "-" : "";
  const abs = Math.abs(grosze);
  const zloty = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  return `${sign}${zloty},${String(abs % 100).padStart(2, "0")} zł`;
}

/** Minutes as `HH:MM` (hours may exceed 24: 2160 → `36:00`). */
export function formatHours(minutes: number): string {
  assertCount("minutes", minutes);
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** Minutes as decimal hours rounded to 2 places (80 → 1.33). */
export function decimalHours(minutes: number): number {
  assertCount("minutes", minutes);
  return Math.round((minutes * 100) / 60) / 100;
}

/** The statutory minimum hourly rate (grosze) in force on `date`, or undefined before the table starts. */
export function minimumRateFor(date: string): number | undefined {
  let rate: number | undefined;
  for (const row of minimumHourlyRates) if (row.from <= date) rate = row.rateGrosze;
  return rate;
}

/** Refuses a rate below the statutory minimum on `date`. */
export function assertLegalRate(rateGrosze: number, date: string): void {
  const minimum = minimumRateFor(date);
  if (minimum !== undefined && rateGrosze < minimum) throw new RateBelowMinimumError(rateGrosze, minimum, date);
}
