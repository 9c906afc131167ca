// Every time a person reads or types is Europe/Warsaw wall time, whatever the device's zone.
const TIME_ZONE = "Europe/Warsaw";

const wallFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** The Warsaw wall date (`YYYY-MM-DD`) and time (`HH:MM`) of an instant. */
export function warsawWall(instant: string | number | Date): { date: string; time: string } {
  const ms = typeof instant === "number" ? instant : new Date(instant).getTime();
  const parts: Record<string, string> = {};
  for (const p of wallFormat.formatToParts(ms)) parts[p.type] = p.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

function offsetAt(ms: number): number {
  const { date, time } = warsawWall(ms);
  const asUtc = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10), +time.slice(0, 2), +time.slice(3, 5));
  return asUtc - Math.floor(ms / 60_000) * 60_000;
}

/** The instant (UTC ISO) of a Warsaw wall date and time; a time skipped by the spring DST change moves forward. */
export function warsawInstant(date: string, time: string): string {
  const asUtc = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10), +time.slice(0, 2), +time.slice(3, 5));
  const first = asUtc - offsetAt(asUtc);
  const second = asUtc - offsetAt(first);
  return new Date(second).toISOString();
}

/**
 * Whether a date field's value is a whole calendar date (`YYYY-MM-DD`, a real day, year 1900 or
 * later): while a date is typed digit by digit the field passes through years such as 0002.
 */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || text < "1900") return false;
  const t = Date.UTC(+text.slice(0, 4), +text.slice(5, 7) - 1, +text.slice(8, 10));
  return new Date(t).toISOString().slice(0, 10) === text;
}

/** `YYYY-MM-DD` plus n days (calendar arithmetic, no zone). */
export function addDays(date: string, n: number): string {
  const t = Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** `YYYY-MM` plus n months. */
export function addMonths(month: string, n: number): string {
  const index = +month.slice(0, 4) * 12 + (+month.slice(5, 7) - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** Accepts `14:30`, `1430`, `930`, `9:30`, `9` and gives `HH:MM`, or undefined when it is not a 24-hour time. */
export function parseTime(text: string): string | undefined {
  const t = text.trim().replace(/[.,;h ]/g, ":");
  let m = /^(\d{1,2}):(\d{2})$/.exec(t);
  if (!m) m = /^(\d{1,2})(\d{2})$/.exec(t);
  if (!m && /^\d{1,2}$/.test(t)) m = [t, t, "00"] as unknown as RegExpExecArray;
  if (!m) return undefined;
  const h = +m[1];
  const min = +m[2];
  if (h > 23 || min > 59) return undefined;
  return `${String(h).padStart(2, "0")}:${String(min).padStart(2, "0")}`;
}

/** Minutes between two instants (DST-safe: the difference of instants). */
export function minutesBetween(start: string, end: string): number {
  return Math.round((Date.parse(end) - Date.parse(start)) / 60_000);
}

/** `HH:MM` plus minutes, wrapping past midnight. */
export function addMinutesToTime(time: string, minutes: number): string {
  const total = (((+time.slice(0, 2) * 60 + +time.slice(3, 5) + minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;
}
