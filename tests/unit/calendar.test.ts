import { describe, expect, it } from "vitest";
import {
  displayDate,
  displayDateTime,
  displaySpan,
  stillDue,
  isPublicHoliday,
  addWorkingDays,
  isWorkingDay,
  lastWorkingDay,
  monthOf,
  nextMonth,
  nthWorkingDay,
  reminderInstants,
  reportDeadline,
  warsawDate,
  warsawInstant,
  warsawTime,
  workingDaysBetween,
} from "../../functions/core/calendar.js";
import { InvalidMonthError, NoWorkingDayError } from "../../functions/core/errors.js";

const krakow = () => ({ deadlineWorkingDay: 3, extraDaysOff: [] as string[], reminderRules: [
  { id: "r1-last-working-day", anchor: "last_working_day_of_month" as const, offsetWorkingDays: 0, time: "09:00" },
  { id: "r2-day-before-deadline", anchor: "deadline" as const, offsetWorkingDays: -1, time: "09:00" },
  { id: "r3-deadline-day", anchor: "deadline" as const, offsetWorkingDays: 0, time: "08:00" },
] });

// Expected deadlines (3rd working day of the next month) computed outside this code base: a
// separate script with the Meeus/Jones/Butcher Easter algorithm and the statutory list
// (24 Dec from 2025), then spot-checked by hand against a calendar (e.g. 2026-11, 2026-12,
// 2026-04, 2027-03 after Easter Monday 29 Mar, 2028-04 around 1 and 3 May).
const deadlines: [string, string][] = [
  ["2025-01", "2025-02-05"], ["2025-02", "2025-03-05"], ["2025-03", "2025-04-03"], ["2025-04", "2025-05-06"],
  ["2025-05", "2025-06-04"], ["2025-06", "2025-07-03"], ["2025-07", "2025-08-05"], ["2025-08", "2025-09-03"],
  ["2025-09", "2025-10-03"], ["2025-10", "2025-11-05"], ["2025-11", "2025-12-03"], ["2025-12", "2026-01-07"],
  ["2026-01", "2026-02-04"], ["2026-02", "2026-03-04"], ["2026-03", "2026-04-03"], ["2026-04", "2026-05-06"],
  ["2026-05", "2026-06-03"], ["2026-06", "2026-07-03"], ["2026-07", "2026-08-05"], ["2026-08", "2026-09-03"],
  ["2026-09", "2026-10-05"], ["2026-10", "2026-11-04"], ["2026-11", "2026-12-03"], ["2026-12", "2027-01-07"],
  ["2027-01", "2027-02-03"], ["2027-02", "2027-03-03"], ["2027-03", "2027-04-05"], ["2027-04", "2027-05-06"],
  ["2027-05", "2027-06-03"], ["2027-06", "2027-07-05"], ["2027-07", "2027-08-04"], ["2027-08", "2027-09-03"],
  ["2027-09", "2027-10-05"], ["2027-10", "2027-11-04"], ["2027-11", "2027-12-03"], ["2027-12", "2028-01-05"],
  ["2028-01", "2028-02-03"], ["2028-02", "2028-03-03"], ["2028-03", "2028-04-05"], ["2028-04", "2028-05-05"],
  ["2028-05", "2028-06-05"], ["2028-06", "2028-07-05"], ["2028-07", "2028-08-03"], ["2028-08", "2028-09-05"],
  ["2028-09", "2028-10-04"], ["2028-10", "2028-11-06"], ["2028-11", "2028-12-05"], ["2028-12", "2029-01-04"],
  ["2029-01", "2029-02-05"], ["2029-02", "2029-03-05"], ["2029-03", "2029-04-05"], ["2029-04", "2029-05-07"],
  ["2029-05", "2029-06-05"], ["2029-06", "2029-07-04"], ["2029-07", "2029-08-03"], ["2029-08", "2029-09-05"],
  ["2029-09", "2029-10-03"], ["2029-10", "2029-11-06"], ["2029-11", "2029-12-05"], ["2029-12", "2030-01-04"],
  ["2030-01", "2030-02-05"], ["2030-02", "2030-03-05"], ["2030-03", "2030-04-03"], ["2030-04", "2030-05-07"],
  ["2030-05", "2030-06-05"], ["2030-06", "2030-07-03"], ["2030-07", "2030-08-05"], ["2030-08", "2030-09-04"],
  ["2030-09", "2030-10-03"], ["2030-10", "2030-11-06"], ["2030-11", "2030-12-04"], ["2030-12", "2031-01-07"],
];

describe("report deadline", () => {
  it("covers every month of 2025–2030", () => {
    expect(deadlines).toHaveLength(72);
  });

  it.each(deadlines)("reports of %s are due on %s", (month, expected) => {
    expect(reportDeadline(month, krakow()).date).toBe(expected);
  });

  it("ends at the end of the deadline day in Warsaw (next day 00:00 local, in UTC)", () => {
    expect(reportDeadline("2026-11", krakow())).toEqual({ date: "2026-12-03", instant: "2026-12-03T23:00:00.000Z" });
    expect(reportDeadline("2026-04", krakow())).toEqual({ date: "2026-05-06", instant: "2026-05-06T22:00:00.000Z" });
  });

  it("moves the deadline past New Year and Epiphany", () => {
    expect(reportDeadline("2026-12", krakow()).date).toBe("2027-01-07");
  });

  it("moves the deadline past a programme's extra day off", () => {
    expect(reportDeadline("2026-11", { ...krakow(), extraDaysOff: ["2026-12-02"] }).date).toBe("2026-12-04");
  });

  it("uses the programme's working-day number", () => {
    expect(reportDeadline("2026-11", { ...krakow(), deadlineWorkingDay: 5 }).date).toBe("2026-12-07");
  });
});

describe("working days", () => {
  it.each([
    ["2025-12-24", false, "Christmas Eve is a day off from 2025"],
    ["2026-12-24", false, "Christmas Eve 2026"],
    ["2024-12-24", true, "Christmas Eve 2024 was still a working day"],
    ["2026-04-05", false, "Easter Sunday 2026"],
    ["2026-04-06", false, "Easter Monday 2026"],
    ["2026-04-03", true, "Good Friday is a working day"],
    ["2026-06-04", false, "Corpus Christi 2026 (Easter + 60)"],
    ["2027-05-27", false, "Corpus Christi 2027"],
    ["2026-05-01", false, "Labour Day"],
    ["2026-08-14", true, "the Friday before Assumption"],
    ["2026-08-15", false, "Assumption"],
    ["2026-11-11", false, "Independence Day"],
    ["2026-11-07", false, "a Saturday"],
    ["2026-11-08", false, "a Sunday"],
    ["2026-11-09", true, "an ordinary Monday"],
  ])("%s working day: %s (%s)", (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it("treats a programme's extra day off as non-working", () => {
    expect(isWorkingDay("2026-11-09", ["2026-11-09"])).toBe(false);
  });

  it("finds the n-th and last working days of a month", () => {
    expect(nthWorkingDay("2027-01", 1)).toBe("2027-01-04");
    expect(nthWorkingDay("2026-05", 1)).toBe("2026-05-04");
    expect(lastWorkingDay("2026-05")).toBe("2026-05-29");
    expect(lastWorkingDay("2025-12")).toBe("2025-12-31");
  });

  it("refuses a working-day number the month does not have", () => {
    expect(() => nthWorkingDay("2026-02", 25)).toThrow(NoWorkingDayError);
  });

  it("adds working days across weekends and holidays", () => {
    expect(addWorkingDays("2026-11-06", 1)).toBe("2026-11-09");
    expect(addWorkingDays("2026-12-23", 1)).toBe("2026-12-28");
    expect(addWorkingDays("2027-01-07", -1)).toBe("2027-01-05");
    expect(addWorkingDays("2026-11-10", 0)).toBe("2026-11-10");
  });

  it("counts working days after `from` up to and including `to`", () => {
    expect(workingDaysBetween("2026-12-23", "2026-12-31")).toBe(4);
    expect(workingDaysBetween("2026-11-02", "2026-11-02")).toBe(0);
    expect(workingDaysBetween("2026-11-09", "2026-11-02")).toBe(-5);
  });

  it("steps months and refuses malformed ones", () => {
    expect(nextMonth("2026-12")).toBe("2027-01");
    expect(nextMonth("2026-04")).toBe("2026-05");
    expect(() => nextMonth("2026-13")).toThrow(InvalidMonthError);
    expect(() => nextMonth("26-1")).toThrow(InvalidMonthError);
  });
});

describe("Europe/Warsaw time", () => {
  it("converts wall times to instants in winter and summer", () => {
    expect(warsawInstant("2026-01-15", "09:00")).toBe("2026-01-15T08:00:00.000Z");
    expect(warsawInstant("2026-07-15", "09:00")).toBe("2026-07-15T07:00:00.000Z");
  });

  it.each([
    ["2026-10-24", "22:00", "2026-10-25", "06:00", 540],
    ["2027-03-27", "22:00", "2027-03-28", "06:00", 420],
    ["2026-03-28", "22:00", "2026-03-29", "06:00", 420],
    ["2027-10-30", "22:00", "2027-10-31", "06:00", 540],
    ["2026-11-10", "22:00", "2026-11-11", "06:00", 480],
  ])("a visit %s %s → %s %s lasts %i minutes (difference of instants)", (d1, t1, d2, t2, minutes) => {
    expect((Date.parse(warsawInstant(d2, t2)) - Date.parse(warsawInstant(d1, t1))) / 60_000).toBe(minutes);
  });

  it("reads the Warsaw date, time and month of an instant", () => {
    expect(warsawDate("2026-11-30T23:30:00.000Z")).toBe("2026-12-01");
    expect(warsawTime("2026-11-30T23:30:00.000Z")).toBe("00:30");
    expect(monthOf("2026-11-30T23:30:00.000Z")).toBe("2026-12");
    expect(monthOf("2026-11-30T22:59:00.000Z")).toBe("2026-11");
  });

  it("maps a time skipped by the spring change to one hour later", () => {
    expect(warsawInstant("2026-03-29", "02:30")).toBe("2026-03-29T01:30:00.000Z");
  });
});

describe("reminder instants", () => {
  it("sends the default reminders for November 2026 (winter time)", () => {
    expect(reminderInstants("2026-11", krakow())).toEqual([
      { id: "r1-last-working-day", date: "2026-11-30", at: "2026-11-30T08:00:00.000Z" },
      { id: "r2-day-before-deadline", date: "2026-12-02", at: "2026-12-02T08:00:00.000Z" },
      { id: "r3-deadline-day", date: "2026-12-03", at: "2026-12-03T07:00:00.000Z" },
    ]);
  });

  it("sends the default reminders for May 2026 (summer time)", () => {
    expect(reminderInstants("2026-05", krakow())).toEqual([
      { id: "r1-last-working-day", date: "2026-05-29", at: "2026-05-29T07:00:00.000Z" },
      { id: "r2-day-before-deadline", date: "2026-06-02", at: "2026-06-02T07:00:00.000Z" },
      { id: "r3-deadline-day", date: "2026-06-03", at: "2026-06-03T06:00:00.000Z" },
    ]);
  });

  it("skips Epiphany for the reminder before the January deadline", () => {
    const byId = Object.fromEntries(reminderInstants("2026-12", krakow()).map((r) => [r.id, r.date]));
    expect(byId).toEqual({ "r1-last-working-day": "2026-12-31", "r2-day-before-deadline": "2027-01-05", "r3-deadline-day": "2027-01-07" });
  });
});

describe("dates as people read them", () => {
  it.each([
    ["2026-11-10", "10.11.2026"],
    ["2027-01-07", "07.01.2027"],
  ])("shows %s as %s", (date, shown) => {
    expect(displayDate(date)).toBe(shown);
  });
});

describe("instants as people read them, in Warsaw time", () => {
  it("shows a winter and a summer instant with the Warsaw hour, not UTC", () => {
    expect(displayDateTime("2026-12-25T17:31:02.157Z")).toBe("25.12.2026, 18:31");
    expect(displayDateTime("2026-07-01T10:00:00Z")).toBe("01.07.2026, 12:00");
  });

  it("shows a span on one day with one date, across midnight with both", () => {
    expect(displaySpan(warsawInstant("2026-11-10", "16:30"), warsawInstant("2026-11-10", "18:00"))).toBe("10.11.2026, 16:30–18:00");
    expect(displaySpan(warsawInstant("2026-10-24", "22:00"), warsawInstant("2026-10-25", "06:00"))).toBe("24.10.2026, 22:00 – 25.10.2026, 06:00");
  });
});

describe("the month still due (issue 15, case 12)", () => {
  const krakow = { deadlineWorkingDay: 3, extraDaysOff: [] };

  it("is the previous month until the end of its deadline day, then none", () => {
    // December 2026: Tue 1, Wed 2, Thu 3 — November's reports are due on the 3rd
    expect(stillDue(warsawInstant("2026-12-02", "09:00"), [krakow])).toEqual({ month: "2026-11", deadlineDate: "2026-12-03" });
    expect(stillDue(warsawInstant("2026-12-03", "23:59"), [krakow])).toEqual({ month: "2026-11", deadlineDate: "2026-12-03" });
    expect(stillDue(warsawInstant("2026-12-04", "00:00"), [krakow])).toBeUndefined();
    expect(stillDue(warsawInstant("2026-11-16", "18:00"), [krakow])).toBeUndefined();
  });

  it("skips the holidays of early January and takes the earliest deadline still ahead of several programmes", () => {
    // 1 January (Fri) and 6 January (Wed) are days off: 4, 5, 7 January are working days 1–3
    expect(stillDue(warsawInstant("2027-01-06", "12:00"), [krakow])).toEqual({ month: "2026-12", deadlineDate: "2027-01-07" });
    expect(stillDue(warsawInstant("2027-01-05", "12:00"), [krakow, { deadlineWorkingDay: 5, extraDaysOff: [] }])).toEqual({ month: "2026-12", deadlineDate: "2027-01-07" });
    expect(stillDue(warsawInstant("2026-12-02", "09:00"), [])).toBeUndefined();
  });
});

describe("Polish statutory days off", () => {
  it("match date-holidays' Polish public holidays, 1990–2150", async () => {
    // The calendar computes them itself (the library and its time-zone data were 1.4 MB of every
    // Lambda bundle); the library stays the reference here.
    const { default: Holidays } = await import("date-holidays");
    const reference = new Holidays("PL");
    for (let year = 1990; year <= 2150; year++) {
      const expected = reference
        .getHolidays(year)
        .filter((h) => h.type === "public")
        .map((h) => h.date.slice(0, 10))
        .sort();
      const actual: string[] = [];
      for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
        const date = new Date(t).toISOString().slice(0, 10);
        if (isPublicHoliday(date)) actual.push(date);
      }
      expect(actual, String(year)).toEqual(expected);
    }
  });
});
