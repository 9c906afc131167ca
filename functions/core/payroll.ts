import type { Declarations } from "./contract.js";

/**
 * Gross → net of an umowa zlecenie, as an estimate for the centre's payroll to confirm
 * (DOMAIN.md, Money and pay). Integer grosze; each contribution rounded half-up to a grosz; the
 * tax base and the PIT advance to whole złoty.
 */

/** A percentage in hundredths of a per cent: 9,76 % = 976. */
type Bp = number;

/** The dated rates of contributions and tax (one row per year; add a row when the law changes). */
export interface PayrollRates {
  from: string;
  employee: { pension: Bp; disability: Bp; sickness: Bp; health: Bp; ppk: Bp };
  employer: { pension: Bp; disability: Bp; labourFund: Bp; ppk: Bp };
  /** Deductible costs of a civil contract, of the revenue less the employee's social contributions. */
  costs: Bp;
  pit: Bp;
  /** The monthly reduction of the advance with PIT-2 (grosze). */
  pit2ReductionGrosze: number;
  /** Fundusz Pracy is due only when the month's base reaches the minimum wage (grosze). */
  minimumWageGrosze: number;
  /** PIT relief for the young (under 26): revenue exempt per calendar year (grosze). */
  youngReliefLimitGrosze: number;
}

const contributions2025on = {
  employee: { pension: 976, disability: 150, sickness: 245, health: 900, ppk: 200 },
  employer: { pension: 976, disability: 650, labourFund: 245, ppk: 150 },
  costs: 2000,
  pit: 1200,
  pit2ReductionGrosze: 30_000,
  youngReliefLimitGrosze: 8_552_800,
};

export const payrollRates: readonly PayrollRates[] = [
  { from: "2025-01-01", ...contributions2025on, minimumWageGrosze: 466_600 },
  { from: "2026-01-01", ...contributions2025on, minimumWageGrosze: 480_600 },
];

export function payrollRatesOn(date: string): PayrollRates {
  let found: PayrollRates | undefined;
  for (const row of payrollRates) if (row.from <= date) found = row;
  if (!found) throw new RangeError(`no payroll rates for ${date} (the table starts on ${payrollRates[0].from})`);
  return found;
}

/** `amount × bp / 10 000` rounded half-up to a grosz, in exact integer arithmetic. */
export function percentOf(amountGrosze: number, bp: Bp): number {
  if (!Number.isSafeInteger(amountGrosze) || amountGrosze < 0) throw new RangeError(`amount must be a non-negative integer of grosze, got ${amountGrosze}`);
  const scaled = amountGrosze * bp + 5_000;
  if (!Number.isSafeInteger(scaled)) throw new RangeError("amount out of range");
  return (scaled - (scaled % 10_000)) / 10_000;
}

/** Grosze rounded half-up to whole złoty (a negative amount counts as 0). */
const wholeZloty = (grosze: number) => (grosze <= 0 ? 0 : Math.floor((grosze + 50) / 100) * 100);

/** Which rule of the declarations decided the deductions. */
export type PayBasis = "student-under-26" | "other-employment" | "contributions";

export interface PayEstimate {
  grossGrosze: number;
  basis: PayBasis;
  employee: { pension: number; disability: number; sickness: number; social: number; health: number; ppk: number };
  /** Deductible costs and the tax base (whole złoty; 0 when the PIT relief for the young covers it). */
  costsGrosze: number;
  taxBaseGrosze: number;
  /** The PIT advance withheld (whole złoty). */
  advanceGrosze: number;
  /** Paid to the assistant: gross − social − health − PPK − advance. */
  netGrosze: number;
  employer: { pension: number; disability: number; accident: number; labourFund: number; ppk: number; total: number };
  /** What the contract costs the centre: gross + the employer's contributions. */
  employerCostGrosze: number;
}

export interface PayInput {
  grossGrosze: number;
  declarations: Declarations;
  /** The day of payment (rates, age): ISO date. */
  on: string;
  /** The centre's accident insurance rate (hundredths of a per cent, 1,67 % = 167): a programme setting. */
  accidentBp: Bp;
  /** Revenue already exempt under the PIT relief for the young this calendar year (grosze). */
  youngReliefUsedGrosze?: number;
}

const zeroEmployee = { pension: 0, disability: 0, sickness: 0, social: 0, health: 0, ppk: 0 };
const zeroEmployer = { pension: 0, disability: 0, accident: 0, labourFund: 0, ppk: 0, total: 0 };

/** The estimate of one payment (one assistant's lines of a batch, summed). */
export function estimatePay(input: PayInput): PayEstimate {
  const { grossGrosze: gross, declarations: d, on } = input;
  if (!Number.isSafeInteger(gross) || gross < 0) throw new RangeError(`gross must be a non-negative integer of grosze, got ${gross}`);
  const rates = payrollRatesOn(on);
  const under26 = d.turns26On !== undefined && on < d.turns26On;
  if (d.studentUnder26 && under26) {
    return { grossGrosze: gross, basis: "student-under-26", employee: zeroEmployee, costsGrosze: 0, taxBaseGrosze: 0, advanceGrosze: 0, netGrosze: gross, employer: zeroEmployer, employerCostGrosze: gross };
  }
  const social = !d.otherEmploymentAtMinimumWage;
  const e = rates.employee;
  const pension = social ? percentOf(gross, e.pension) : 0;
  const disability = social ? percentOf(gross, e.disability) : 0;
  const sickness = social && d.voluntarySickness ? percentOf(gross, e.sickness) : 0;
  const employeeSocial = pension + disability + sickness;
  const ppkEmployee = social && d.ppk ? percentOf(gross, e.ppk) : 0;
  const health = percentOf(gross - employeeSocial, e.health);

  const r = rates.employer;
  const employer = social
    ? {
        pension: percentOf(gross, r.pension),
        disability: percentOf(gross, r.disability),
        accident: percentOf(gross, input.accidentBp),
        labourFund: gross >= rates.minimumWageGrosze ? percentOf(gross, r.labourFund) : 0,
        ppk: d.ppk ? percentOf(gross, r.ppk) : 0,
      }
    : { pension: 0, disability: 0, accident: 0, labourFund: 0, ppk: 0 };
  const employerTotal = employer.pension + employer.disability + employer.accident + employer.labourFund + employer.ppk;

  // The employer's PPK contribution is the assistant's taxable revenue too.
  const revenue = gross + employer.ppk;
  const costs = percentOf(revenue - employeeSocial, rates.costs);
  // Relief for the young: revenue up to the year's limit is exempt; the rest is taxed.
  const exempt = under26 ? Math.max(0, Math.min(revenue, rates.youngReliefLimitGrosze - (input.youngReliefUsedGrosze ?? 0))) : 0;
  const taxedShare = revenue === 0 ? 0 : (revenue - exempt) / revenue;
  const taxBase = taxedShare === 0 ? 0 : wholeZloty(Math.round((revenue - employeeSocial - costs) * taxedShare));
  const advance = wholeZloty(percentOf(taxBase, rates.pit) - (d.pit2 ? rates.pit2ReductionGrosze : 0));

  return {
    grossGrosze: gross,
    basis: social ? "contributions" : "other-employment",
    employee: { pension, disability, sickness, social: employeeSocial, health, ppk: ppkEmployee },
    costsGrosze: taxedShare === 0 ? 0 : costs,
    taxBaseGrosze: taxBase,
    advanceGrosze: advance,
    netGrosze: gross - employeeSocial - health - ppkEmployee - advance,
    employer: { ...employer, total: employerTotal },
    employerCostGrosze: gross + employerTotal,
  };
}

/**
 * Splits `total` over parts in proportion to `weights`, by largest remainder, so the parts are
 * whole grosze summing exactly to `total` (a payment's net shown per report line).
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((s, p) => s + p, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    parts[i] += 1;
    left -= 1;
  }
  return parts;
}
