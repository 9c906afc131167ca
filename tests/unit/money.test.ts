import { describe, expect, it } from "vitest";
import { RateBelowMinimumError } from "../../functions/core/errors.js";
import { amountGrosze, assertLegalRate, decimalHours, formatHours, formatPln, minimumRateFor } from "../../functions/core/money.js";
import { checkProgrammeRates, parseProgramme, rateFor, seedProgramme } from "../../functions/core/programme.js";

describe("amounts", () => {
  it.each([
    [36 * 60, 9600, 345_600, "36 h at 96 zł"],
    [80, 9600, 12_800, "1 h 20 min at 96 zł"],
    [7, 9600, 1_120, "7 min at 96 zł"],
    [1, 5200, 87, "1 min at 52 zł: 86,666… rounds up"],
    [1, 3050, 51, "1 min at 30,50 zł: 50,833… rounds up"],
    [1, 3030, 51, "1 min at 30,30 zł: exactly 50,5 rounds half up"],
    [1, 3029, 50, "1 min at 30,29 zł: 50,483… rounds down"],
    [0, 9600, 0, "no minutes"],
  ])("%i min at %i gr/h = %i gr (%s)", (minutes, rate, expected) => {
    expect(amountGrosze(minutes, rate)).toBe(expected);
  });

  it("refuses fractional or negative minutes", () => {
    expect(() => amountGrosze(1.5, 9600)).toThrow(RangeError);
    expect(() => amountGrosze(-1, 9600)).toThrow(RangeError);
  });
});

describe("formatting", () => {
  it.each([
    [345_600, "3 456,00 zł"],
    [12_800, "128,00 zł"],
    [1_120, "11,20 zł"],
    [5, "0,05 zł"],
    [123_456_789, "1 234 567,89 zł"],
    [-12_345, "-123,45 zł"],
  ])("%i gr is %s", (grosze, text) => {
    expect(formatPln(grosze)).toBe(text);
  });

  it("uses plain spaces, not non-breaking ones", () => {
    expect([...formatPln(345_600)].filter((c) => c === " ")).toHaveLength(2);
    expect(formatPln(345_600)).not.toMatch(/[\u00a0\u202f]/);
  });

  it.each([
    [2160, "36:00", 36],
    [80, "01:20", 1.33],
    [7, "00:07", 0.12],
  ])("%i min is %s and %d decimal hours", (minutes, hhmm, decimal) => {
    expect(formatHours(minutes)).toBe(hhmm);
    expect(decimalHours(minutes)).toBe(decimal);
  });
});

describe("minimum hourly rate", () => {
  it.each([
    ["2025-06-30", 3050],
    ["2025-12-31", 3050],
    ["2026-01-01", 3140],
    ["2026-11-15", 3140],
  ])("on %s is %i gr", (date, rate) => {
    expect(minimumRateFor(date)).toBe(rate);
  });

  it("refuses a rate below the minimum with a message in both languages", () => {
    const error = (() => {
      try {
        assertLegalRate(3100, "2026-03-01");
      } catch (e) {
        return e as RateBelowMinimumError;
      }
    })();
    expect(error).toBeInstanceOf(RateBelowMinimumError);
    expect(error?.code).toBe("RATE_BELOW_MINIMUM");
    expect(error?.messages.pl).toContain("31,40 zł");
    expect(error?.messages.en).toContain("31,40 PLN");
  });

  it("accepts 30,50 zł in 2025 but not in 2026", () => {
    expect(() => assertLegalRate(3050, "2025-11-01")).not.toThrow();
    expect(() => assertLegalRate(3050, "2026-01-02")).toThrow(RateBelowMinimumError);
  });

  it("refuses a programme whose rate falls below the minimum during its validity", () => {
    const programme = { ...seedProgramme("krakow-aou")!, rates: [{ from: "2025-09-01", rateGrosze: 3100 }] };
    expect(() => checkProgrammeRates(programme)).toThrow(RateBelowMinimumError);
    expect(() => parseProgramme(programme)).toThrow(RateBelowMinimumError);
  });

  it("refuses to price a day whose configured rate is below the minimum", () => {
    const programme = { ...seedProgramme("krakow-aou")!, rates: [{ from: "2025-01-01", to: "2026-12-31", rateGrosze: 3050 }] };
    expect(rateFor(programme, "2025-05-05")).toBe(3050);
    expect(() => rateFor(programme, "2026-05-05")).toThrow(RateBelowMinimumError);
  });

  it("gives Kraków 96,00 zł/h until the end of 2027", () => {
    const krakow = seedProgramme("krakow-aou")!;
    expect(rateFor(krakow, "2026-11-10")).toBe(9600);
    expect(rateFor(krakow, "2027-12-31")).toBe(9600);
    expect(() => rateFor(krakow, "2028-01-03")).toThrow(/no hourly rate/);
  });
});
