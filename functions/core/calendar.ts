import { bilingual } from "./field-messages.js";
import * as z from "zod";
import { InvalidDateError, InvalidMonthError, NoWorkingDayError } from "./errors.js";
import { gregorianEaster } from "date-easter";

/** A calendar date, `YYYY-MM-DD` (a day in Poland, no time zone attached). */
export const IsoDate = z.iso.date();
export type IsoDate = z.infer<typeof IsoDate>;
/** A month, `YYYY-MM`. */
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, bilingual("oczekiwano RRRR-MM, np. 2026-11", "expected YYYY-MM"));
export type Month = z.infer<typeof Month>;
/** An instant as a UTC ISO string (`2026-11-03T23:00:00.000Z`). */
export const Instant = z.iso.datetime();
export type Instant = z.infer<typeof Instant>;
/** A wall-clock time in Warsaw, `HH:MM`. */
export const WallTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, bilingual("oczekiwano GG:MM, np. 16:00", "expected HH:MM"));
export type WallTime = z.infer<typeof WallTime>;

export const TIME_ZONE = "Europe/Warsaw";

/**
 * When a reminder goes out: a working day relative to an anchor (the last working day of the
 * reported month, or the deadline day), at a Warsaw wall time. `offsetWorkingDays` -1 means
 * "the working day before the anchor".
 */
export const ReminderRule = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/),
  anchor: z.enum(["last_working_day_of_month", "deadline"]),
  offsetWorkingDays: z.number().int().min(-10).max(10).default(0),
  time: WallTime,
});
export type ReminderRule = z.infer<typeof ReminderRule>;

export const defaultReminderRules: ReminderRule[] = [
  { id: "r1-last-working-day", anchor: "last_working_day_of_month", offsetWorkingDays: 0, time: "09:00" },
  { id: "r2-day-before-deadline", anchor: "deadline", offsetWorkingDays: -1, time: "09:00" },
  { id: "r3-deadline-day", anchor: "deadline", offsetWorkingDays: 0, time: "08:00" },
];

/** What the calendar needs from a programme. */
export type CalendarConfig = {
  deadlineWorkingDay: number;
  reminderRules: ReminderRule[];
  extraDaysOff: string[];
};

// The Polish statutory days off (ustawa z 18 stycznia 1951 r. o dniach wolnych od pracy, art. 1):
// fixed dates, Epiphany since 2011, Christmas Eve since 2025, and the movable feasts that follow
// Easter (from date-easter). The list of the Act is kept here rather than taken from date-holidays:
// that library, with every country's rules and its time-zone data, was 1.4 MB of every Lambda
// bundle. tests/unit/calendar.test.ts compares this list with date-holidays' Polish "public"
// days year by year (1990–2150), so the library still vouches for it.
const FIXED_DAYS_OFF: readonly { md: string; since?: number }[] = [
  { md: "01-01" },
  { md: "01-06", since: 2011 },
  { md: "05-01" },
  { md: "05-03" },
  { md: "08-15" },
  { md: "11-01" },
  { md: "11-11" },
  { md: "12-24", since: 2025 },
  { md: "12-25" },
  { md: "12-26" },
];
// Easter Sunday, Easter Monday, Pentecost Sunday (Zielone Świątki), Corpus Christi (Boże Ciało).
const DAYS_AFTER_EASTER = [0, 1, 49, 60];

/** Easter Sunday of the Gregorian calendar, as UTC midnight (date-easter: the Easter library date-holidays itself uses). */
function easterSunday(year: number): number {
  const { month, day } = gregorianEaster(year);
  return Date.UTC(year, month - 1, day);
}

const publicHolidaysByYear = new Map<number, Set<string>>();

function publicHolidays(year: number): Set<string> {
  let days = publicHolidaysByYear.get(year);
  if (!days) {
    const y = String(year).padStart(4, "0");
    const easter = easterSunday(year);
    days = new Set([
      ...FIXED_DAYS_OFF.filter((d) => d.since === undefined || year >= d.since).map((d) => `${y}-${d.md}`),
      ...DAYS_AFTER_EASTER.map((n) => new Date(easter + n * 86_400_000).toISOString().slice(0, 10)),
    ]);
    publicHolidaysByYear.set(year, days);
  }
  return days;
}

const DAY_MS = 86_400_000;

function parseDate(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new InvalidDateError(date);
  const t = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  if (new Date(t).toISOString().slice(0, 10) !== date) throw new InvalidDateError(date);
  return t;
}

function parseMonth(month: string): [number, number] {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new InvalidMonthError(month);
  return [+m[1], +m[2]];
}

const formatDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** True when `month` is a well-formed `YYYY-MM`. */
export function isMonth(month: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
}

/** Whether the date is a Polish public holiday (Sundays are not listed here). */
export function isPublicHoliday(date: string): boolean {
  parseDate(date);
  return publicHolidays(+date.slice(0, 4)).has(date);
}

/** Monday–Friday, not a Polish statutory day off, not one of the programme's extra days off. */
export function isWorkingDay(date: string, extraDaysOff: readonly string[] = []): boolean {
  const weekday = new Date(parseDate(date)).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  if (publicHolidays(+date.slice(0, 4)).has(date)) return false;
  return !extraDaysOff.includes(date);
}

/** The first day of the month, `YYYY-MM-01`. */
export function firstDayOf(month: string): string {
  parseMonth(month);
  return `${month}-01`;
}

/** The last calendar day of the month. */
export function lastDayOf(month: string): string {
  const [y, m] = parseMonth(month);
  return formatDay(Date.UTC(y, m, 0));
}

/** The month after `month`. */
export function nextMonth(month: string): string {
  const [y, m] = parseMonth(month);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

/** The month before `month`. */
export function previousMonth(month: string): string {
  const [y, m] = parseMonth(month);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** The calendar date `n` days after `date` (negative: before). */
export function addDays(date: string, n: number): string {
  return formatDay(parseDate(date) + n * DAY_MS);
}

/** The n-th (1-based) working day of the month. */
export function nthWorkingDay(month: string, n: number, extraDaysOff: readonly string[] = []): string {
  const last = lastDayOf(month);
  let count = 0;
  for (let d = firstDayOf(month); d <= last; d = addDays(d, 1)) {
    if (isWorkingDay(d, extraDaysOff) && ++count === n) return d;
  }
  throw new NoWorkingDayError(month, n);
}

/** The last working day of the month. */
export function lastWorkingDay(month: string, extraDaysOff: readonly string[] = []): string {
  const first = firstDayOf(month);
  for (let d = lastDayOf(month); d >= first; d = addDays(d, -1)) {
    if (isWorkingDay(d, extraDaysOff)) return d;
  }
  throw new NoWorkingDayError(month, -1);
}

/**
 * The date `n` working days after `date` (negative: before); the start date itself is not
 * counted, so `addWorkingDays(friday, 1)` is the next Monday. `n = 0` returns `date` unchanged.
 */
export function addWorkingDays(date: string, n: number, extraDaysOff: readonly string[] = []): string {
  const step = n < 0 ? -1 : 1;
  let d = date;
  parseDate(d);
  for (let left = Math.abs(n); left > 0; ) {
    d = addDays(d, step);
    if (isWorkingDay(d, extraDaysOff)) left--;
  }
  return d;
}

/**
 * The number of working days in (from, to] — after `from`, up to and including `to`; negative
 * when `to` is before `from`. So `addWorkingDays(from, workingDaysBetween(from, to))` is `to`
 * whenever `to` is a working day.
 */
export function workingDaysBetween(from: string, to: string, extraDaysOff: readonly string[] = []): number {
  if (to < from) return -workingDaysBetween(to, from, extraDaysOff);
  parseDate(from);
  parseDate(to);
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, extraDaysOff)) count++;
  return count;
}

// Intl knows the Europe/Warsaw rules (incl. DST) but formatToParts costs microseconds. Warsaw's
// offset only changes on a whole UTC hour, so it is asked once per UTC hour and cached; the
// wall time is then plain arithmetic (validating a 60-visit report stays far below 2 ms).
const warsawParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const HOUR_MS = 3_600_000;
const offsetByUtcHour = new Map<number, number>();

/** Minutes Warsaw is ahead of UTC at an instant (60 in winter, 120 in summer). */
function warsawOffsetMinutes(t: number): number {
  const hour = Math.floor(t / HOUR_MS);
  let offset = offsetByUtcHour.get(hour);
  if (offset === undefined) {
    const p: Record<string, string> = {};
    for (const part of warsawParts.formatToParts(hour * HOUR_MS)) p[part.type] = part.value;
    offset = Math.round((Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute) - hour * HOUR_MS) / 60_000);
    if (offsetByUtcHour.size > 100_000) offsetByUtcHour.clear();
    offsetByUtcHour.set(hour, offset);
  }
  return offset;
}

const wallTimes = Array.from({ length: 24 * 60 }, (_, m) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`);
const dateByDayNumber = new Map<number, string>();

function dayString(day: number): string {
  let text = dateByDayNumber.get(day);
  if (text === undefined) {
    text = formatDay(day * DAY_MS);
    if (dateByDayNumber.size > 100_000) dateByDayNumber.clear();
    dateByDayNumber.set(day, text);
  }
  return text;
}

/** The Warsaw wall date and time of an instant (ms or ISO string), for callers that already hold numbers. */
export function warsawWall(instant: string | number): { date: string; time: string } {
  const t = typeof instant === "number" ? instant : Date.parse(instant);
  if (Number.isNaN(t)) throw new InvalidDateError(String(instant));
  const local = t + warsawOffsetMinutes(t) * 60_000;
  const day = Math.floor(local / DAY_MS);
  return { date: dayString(day), time: wallTimes[Math.floor((local - day * DAY_MS) / 60_000)] };
}

/** The Warsaw calendar date of an instant. */
export function warsawDate(instant: string): string {
  return warsawWall(instant).date;
}

/** The Warsaw wall time `HH:MM` of an instant. */
export function warsawTime(instant: string): string {
  return warsawWall(instant).time;
}

/** The Warsaw month `YYYY-MM` of an instant. */
export function monthOf(instant: string): string {
  return warsawWall(instant).date.slice(0, 7);
}

/**
 * The UTC instant (ISO) of a Warsaw wall time on a date. A time skipped by the spring DST
 * change (02:00–02:59) maps to the instant one hour later; a repeated autumn time maps to
 * its first (summer-time) occurrence.
 */
export function warsawInstant(date: string, time: string): string {
  const wall = parseDate(date);
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!m) throw new InvalidDateError(time);
  const wallAsUtc = wall + (+m[1] * 60 + +m[2]) * 60_000;
  // Try the summer offset first so a repeated autumn hour resolves to its first occurrence.
  for (const offset of [120, 60]) {
    const t = wallAsUtc - offset * 60_000;
    if (warsawOffsetMinutes(t) === offset) return new Date(t).toISOString();
  }
  return new Date(wallAsUtc - 60 * 60_000).toISOString();
}

/**
 * The report deadline for `month`: the programme's N-th working day of the next month. The
 * instant is the end of that day in Warsaw, expressed as the next day's 00:00 Warsaw in UTC
 * (a report received at any time on the deadline day is on time; at `instant` it is late).
 */
export function reportDeadline(month: string, programme: Pick<CalendarConfig, "deadlineWorkingDay" | "extraDaysOff">): { date: string; instant: string } {
  const date = nthWorkingDay(nextMonth(month), programme.deadlineWorkingDay, programme.extraDaysOff);
  return { date, instant: warsawInstant(addDays(date, 1), "00:00") };
}

/** The reminder instants for the reports of `month`, from the programme's reminder rules, in time order. */
export function reminderInstants(month: string, programme: CalendarConfig): { id: string; at: string; date: string }[] {
  const deadline = reportDeadline(month, programme).date;
  const lastDay = lastWorkingDay(month, programme.extraDaysOff);
  return programme.reminderRules
    .map((rule) => {
      const anchor = rule.anchor === "deadline" ? deadline : lastDay;
      const date = addWorkingDays(anchor, rule.offsetWorkingDays, programme.extraDaysOff);
      return { id: rule.id, date, at: warsawInstant(date, rule.time) };
    })
    .sort((a, b) => a.at.localeCompare(b.at));
}

/** A calendar date as people in Poland read it: "2026-11-10" → "10.11.2026". */
export function displayDate(date: string): string {
  const [year, month, day] = date.split("-");
  return `${day}.${month}.${year}`;
}

/** An instant as people in Poland read it, in Warsaw wall time: "2026-11-10T13:30:00Z" → "10.11.2026, 14:30". */
export function displayDateTime(instant: string): string {
  const wall = warsawWall(instant);
  return `${displayDate(wall.date)}, ${wall.time}`;
}

/** Two instants as a span in Warsaw wall time: "10.11.2026, 14:30–16:00", or with both dates when they differ. */
export function displaySpan(start: string, end: string): string {
  const from = warsawWall(start);
  const to = warsawWall(end);
  return from.date === to.date ? `${displayDate(from.date)}, ${from.time}–${to.time}` : `${displayDateTime(start)} – ${displayDateTime(end)}`;
}

/**
 * The previous month while its reports are still due (the first working days of a month, before
 * the deadline of any of `programmes` has passed), with the earliest deadline still ahead; else
 * undefined. The app opens that month first: in early December, November is what is owed.
 */
export function stillDue(now: string, programmes: readonly Pick<CalendarConfig, "deadlineWorkingDay" | "extraDaysOff">[]): { month: string; deadlineDate: string } | undefined {
  const month = previousMonth(monthOf(now));
  const ahead = programmes.map((p) => reportDeadline(month, p)).filter((d) => Date.parse(d.instant) > Date.parse(now));
  if (ahead.length === 0) return undefined;
  return { month, deadlineDate: ahead.map((d) => d.date).sort()[0] };
}
