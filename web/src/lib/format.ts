// The formats of Polish public administration in both languages: dates dd.mm.rrrr, 24-hour
// times, amounts `1 234,56 zł` — the same as on the bills and report cards finance receives.
import { warsawWall } from "./time";

/** `2026-11-05` → `05.11.2026`. */
export function formatDate(isoDate: string): string {
  return `${isoDate.slice(8, 10)}.${isoDate.slice(5, 7)}.${isoDate.slice(0, 4)}`;
}

/** An instant as Warsaw `dd.mm.rrrr HH:MM`. */
export function formatDateTime(instant: string): string {
  const { date, time } = warsawWall(instant);
  return `${formatDate(date)} ${time}`;
}

/** An instant as Warsaw `HH:MM`. */
export function formatTime(instant: string): string {
  return warsawWall(instant).time;
}

/** Grosze as `1 234,56 zł` (plain spaces, as core's formatPln). */
export function formatPln(grosze: number): string {
  const sign = grosze < 0 ? "-" : "";
  const abs = Math.abs(Math.round(grosze));
  const zloty = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
  return `${sign}${zloty},${String(abs % 100).padStart(2, "0")} zł`;
}

/** Minutes as `H:MM` (hours may exceed 24). */
export function formatHours(minutes: number): string {
  const sign = minutes < 0 ? "-" : "";
  const abs = Math.abs(minutes);
  return `${sign}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, "0")}`;
}

/** Minutes as decimal hours with a comma: 90 → `1,5`. */
export function formatDecimalHours(minutes: number): string {
  const value = Math.round((minutes * 100) / 60) / 100;
  return String(value).replace(".", ",");
}

/** `2026-11` → `11.2026`. */
export function formatMonthNumeric(month: string): string {
  return `${month.slice(5, 7)}.${month.slice(0, 4)}`;
}
