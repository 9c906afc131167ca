import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Declarations } from "../../functions/core/contract.js";
import { allocate, estimatePay, payrollRatesOn, percentOf } from "../../functions/core/payroll.js";

/** Issue 17: gross → net of an umowa zlecenie from the contractor's declarations (DOMAIN.md, Money and pay). */
const over26: Declarations = { studentUnder26: false, otherEmploymentAtMinimumWage: false, pit2: false, voluntarySickness: false, ppk: false };
const on = "2026-12-10";
const accidentBp = 167;
const gross = 96_00 * 36; // 36 h × 96 zł = 3 456,00 zł

describe("the worked examples of DOMAIN.md, to the grosz", () => {
  it("over 26, no sickness, no PPK, no PIT-2: social 389,15, health 276,02, advance 294, net 2 496,83", () => {
    const pay = estimatePay({ grossGrosze: gross, declarations: over26, on, accidentBp });
    expect(pay.employee).toEqual({ pension: 337_31, disability: 51_84, sickness: 0, social: 389_15, health: 276_02, ppk: 0 });
    expect(pay.costsGrosze).toBe(613_37);
    expect(pay.taxBaseGrosze).toBe(2453_00);
    expect(pay.advanceGrosze).toBe(294_00);
    expect(pay.netGrosze).toBe(2496_83);
    // employer: pension 9,76 %, disability 6,5 %, accident 1,67 %; no Fundusz Pracy below the minimum wage (4 806 zł)
    expect(pay.employer).toEqual({ pension: 337_31, disability: 224_64, accident: 57_72, labourFund: 0, ppk: 0, total: 619_67 });
    expect(pay.employerCostGrosze).toBe(gross + 619_67);
  });

  it("with PIT-2 the 300 zł reduction takes the whole advance: net 2 790,83", () => {
    const pay = estimatePay({ grossGrosze: gross, declarations: { ...over26, pit2: true }, on, accidentBp });
    expect(pay.advanceGrosze).toBe(0);
    expect(pay.netGrosze).toBe(2790_83);
  });

  it("a student under 26: no contributions and no PIT, net 3 456,00 — until the 26th birthday", () => {
    const student: Declarations = { ...over26, studentUnder26: true, turns26On: "2027-03-01" };
    const pay = estimatePay({ grossGrosze: gross, declarations: student, on, accidentBp });
    expect(pay).toMatchObject({ basis: "student-under-26", netGrosze: 3456_00, advanceGrosze: 0, employerCostGrosze: 3456_00 });
    // on the birthday the student is 26: the contributions apply again
    expect(estimatePay({ grossGrosze: gross, declarations: student, on: "2027-03-01", accidentBp }).netGrosze).toBe(2496_83);
  });
});

describe("the other declarations", () => {
  it("another employment at ≥ the minimum wage: health only (on the whole gross), then PIT", () => {
    const pay = estimatePay({ grossGrosze: gross, declarations: { ...over26, otherEmploymentAtMinimumWage: true }, on, accidentBp });
    expect(pay.basis).toBe("other-employment");
    expect(pay.employee).toEqual({ pension: 0, disability: 0, sickness: 0, social: 0, health: 311_04, ppk: 0 });
    expect(pay.employer.total).toBe(0);
    // base: 3 456,00 − 20 % costs (691,20) = 2 764,80 → 2 765 zł; advance 12 % = 331,80 → 332 zł
    expect(pay.taxBaseGrosze).toBe(2765_00);
    expect(pay.advanceGrosze).toBe(332_00);
    expect(pay.netGrosze).toBe(gross - 311_04 - 332_00);
  });

  it("voluntary sickness insurance adds 2,45 % to the employee's social contributions", () => {
    const pay = estimatePay({ grossGrosze: gross, declarations: { ...over26, voluntarySickness: true }, on, accidentBp });
    expect(pay.employee.sickness).toBe(84_67);
    expect(pay.employee.social).toBe(389_15 + 84_67);
  });

  it("PPK: 2 % from the assistant, 1,5 % from the centre, which is the assistant's taxable revenue too", () => {
    const pay = estimatePay({ grossGrosze: gross, declarations: { ...over26, ppk: true }, on, accidentBp });
    expect(pay.employee.ppk).toBe(69_12);
    expect(pay.employer.ppk).toBe(51_84);
    // revenue 3 507,84 − social 389,15 = 3 118,69; costs 623,74; base 2 494,95 → 2 495 zł; advance 299,40 → 299 zł
    expect(pay.taxBaseGrosze).toBe(2495_00);
    expect(pay.advanceGrosze).toBe(299_00);
    expect(pay.netGrosze).toBe(gross - 389_15 - 276_02 - 69_12 - 299_00);
  });

  it("Fundusz Pracy 2,45 % once the month's base reaches the minimum wage", () => {
    const minimum = payrollRatesOn(on).minimumWageGrosze;
    expect(estimatePay({ grossGrosze: minimum - 1, declarations: over26, on, accidentBp }).employer.labourFund).toBe(0);
    expect(estimatePay({ grossGrosze: minimum, declarations: over26, on, accidentBp }).employer.labourFund).toBe(percentOf(minimum, 245));
  });

  it("under 26, not a student: contributions apply, PIT exempt up to the year's limit, taxed above it", () => {
    const young: Declarations = { ...over26, turns26On: "2030-01-01" };
    const free = estimatePay({ grossGrosze: gross, declarations: young, on, accidentBp });
    expect(free).toMatchObject({ advanceGrosze: 0, netGrosze: gross - 389_15 - 276_02 });
    const limit = payrollRatesOn(on).youngReliefLimitGrosze;
    // the whole limit used up earlier in the year: taxed as over 26
    expect(estimatePay({ grossGrosze: gross, declarations: young, on, accidentBp, youngReliefUsedGrosze: limit }).netGrosze).toBe(2496_83);
    // half of this payment above the limit: about half the advance
    const half = estimatePay({ grossGrosze: gross, declarations: young, on, accidentBp, youngReliefUsedGrosze: limit - gross / 2 });
    expect(half.advanceGrosze).toBeGreaterThan(0);
    expect(half.advanceGrosze).toBeLessThan(294_00);
  });

  it("refuses a day before the rates table and a negative or fractional gross", () => {
    expect(() => estimatePay({ grossGrosze: gross, declarations: over26, on: "2024-12-31", accidentBp })).toThrow(/no payroll rates/);
    expect(() => estimatePay({ grossGrosze: -1, declarations: over26, on, accidentBp })).toThrow(RangeError);
    expect(() => estimatePay({ grossGrosze: 1.5, declarations: over26, on, accidentBp })).toThrow(RangeError);
  });
});

const declarations = fc.record({
  studentUnder26: fc.boolean(),
  turns26On: fc.constantFrom(undefined, "2020-01-01", "2030-01-01"),
  otherEmploymentAtMinimumWage: fc.boolean(),
  pit2: fc.boolean(),
  voluntarySickness: fc.boolean(),
  ppk: fc.boolean(),
}).map((d) => (d.studentUnder26 && !d.turns26On ? { ...d, turns26On: "2030-01-01" } : d) as Declarations);

describe("properties", () => {
  it("the parts add up: net + deductions = gross; employer cost = gross + employer's contributions", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000_000 }), declarations, (g, d) => {
        const pay = estimatePay({ grossGrosze: g, declarations: d, on, accidentBp });
        expect(pay.netGrosze + pay.employee.social + pay.employee.health + pay.employee.ppk + pay.advanceGrosze).toBe(g);
        const { total, ...parts } = pay.employer;
        expect(Object.values(parts).reduce((s, x) => s + x, 0)).toBe(total);
        expect(pay.employerCostGrosze).toBe(g + total);
        expect(pay.netGrosze).toBeGreaterThanOrEqual(0);
        expect(pay.netGrosze).toBeLessThanOrEqual(g);
      }),
      { numRuns: 2000, seed: 17 },
    );
  });

  it("monotone: more gross never lowers the contributions, the advance or the employer's cost, and 10 zł more is more net", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 1, max: 100_000 }), declarations, (g, more, d) => {
        const a = estimatePay({ grossGrosze: g, declarations: d, on, accidentBp });
        const b = estimatePay({ grossGrosze: g + more, declarations: d, on, accidentBp });
        expect(b.employee.social).toBeGreaterThanOrEqual(a.employee.social);
        expect(b.employee.health).toBeGreaterThanOrEqual(a.employee.health);
        expect(b.advanceGrosze).toBeGreaterThanOrEqual(a.advanceGrosze);
        expect(b.employerCostGrosze).toBeGreaterThan(a.employerCostGrosze);
        if (more >= 1_000) expect(b.netGrosze).toBeGreaterThan(a.netGrosze);
      }),
      { numRuns: 2000, seed: 17 },
    );
  });

  it("allocate splits a payment over its lines in whole grosze that sum exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 30 }), (total, weights) => {
        const parts = allocate(total, weights);
        expect(parts.reduce((s, p) => s + p, 0)).toBe(total);
        for (const p of parts) expect(Number.isInteger(p) && p >= 0).toBe(true);
      }),
      { seed: 17 },
    );
    expect(allocate(2496_83, [1, 1, 1])).toEqual([832_28, 832_28, 832_27]);
  });
});
