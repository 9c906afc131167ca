import { warsawWall } from "../calendar.js";
const MONTHS_NOMINATIVE = [
  "styczeń", "luty", "marzec", "kwiecień", "maj", "czerwiec",
  "lipiec", "sierpień", "wrzesień", "październik", "listopad", "grudzień",
];

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** Grosze as "1234,56": no thousands separator, so a Polish spreadsheet reads a number. */
export function plainZloty(grosze: number): string {
  const sign = grosze < 0 ? "-" : "";
  const abs = Math.abs(grosze);
  return `${sign}${Math.trunc(abs / 100)},${pad2(abs % 100)}`;
}

/** Grosze as "3 456,00 zł" for people (non-breaking space between thousands). */
export function displayZloty(grosze: number): string {
  const [whole, fraction] = plainZloty(grosze).split(",");
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0")},${fraction}\u00a0zł`;
}

/** Minutes as "36:00" (hours may exceed 24). */
export function clockHours(minutes: number): string {
  return `${Math.trunc(minutes / 60)}:${pad2(minutes % 60)}`;
}

/** Minutes as decimal hours rounded to 0,01, with a decimal comma: "6,50". */
export function decimalHours(minutes: number): string {
  const hundredths = Math.round((minutes * 100) / 60);
  return `${Math.trunc(hundredths / 100)},${pad2(hundredths % 100)}`;
}

/** Minutes as a number of hours rounded to 0.01 (for typed spreadsheet cells). */
export function hoursNumber(minutes: number): number {
  return Math.round((minutes * 100) / 60) / 100;
}

/** "2026-11" → "listopad 2026". */
export function monthLabel(month: string): string {
  const [year, mm] = month.split("-").map(Number);
  return `${MONTHS_NOMINATIVE[mm - 1]} ${year}`;
}

/** "2026-11" → a Date at midnight UTC on the 1st, which a spreadsheet shows as that day. */
export function monthDate(month: string): Date {
  const [year, mm] = month.split("-").map(Number);
  return new Date(Date.UTC(year, mm - 1, 1));
}

/** An instant as Europe/Warsaw wall time: "2026-12-04 14:05". */
export function warsawDateTime(iso: string): string {
  const wall = warsawWall(iso);
  return `${wall.date} ${wall.time}`;
}

/** An instant as a Date whose UTC fields are the Warsaw wall time, as spreadsheets expect. */
export function warsawWallDate(iso: string): Date {
  const [date, time] = warsawDateTime(iso).split(" ");
  return new Date(`${date}T${time}:00Z`);
}

/** A Polish account number (NRB/IBAN) grouped as "61 1090 1014 0000 0712 1981 2874"; other text unchanged. */
export function formatBankAccount(account: string): string {
  // It runs for every line of a batch, twice: a stored account is usually bare digits already.
  const compact = allDigits(account) ? account : account.replace(/[\s-]/g, "").toUpperCase();
  const prefix = compact.startsWith("PL") ? "PL" : "";
  const d = prefix ? compact.slice(2) : compact;
  if (d.length !== 26 || !allDigits(d)) return account.trim();
  return `${prefix}${d.slice(0, 2)} ${d.slice(2, 6)} ${d.slice(6, 10)} ${d.slice(10, 14)} ${d.slice(14, 18)} ${d.slice(18, 22)} ${d.slice(22, 26)}`;
}

function allDigits(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return value.length > 0;
}

/** ASCII file-name part: Polish letters transliterated, anything else a dash. */
export function slug(value: string, maxLength = 40): string {
  const ascii = value
    .replace(/ł/g, "l")
    .replace(/Ł/g, "L")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "");
  const cleaned = ascii
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, maxLength)
    .replace(/-+$/g, "");
  return cleaned.toLowerCase() || "x";
}
