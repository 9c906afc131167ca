import { fieldMessages, type FieldIssue } from "../field-messages.js";
import { stringify } from "csv-stringify/sync";
import iconv from "iconv-lite";
import { PolishIban } from "../bank-account.js";
import type { Declarations } from "../contract.js";
import { DomainError } from "../errors.js";
import { estimatePay, type PayEstimate } from "../payroll.js";
import type { PaymentSettings } from "../programme.js";
import { TOTALS_LABEL } from "./columns.js";
import { formatBankAccount, plainZloty, slug } from "./format.js";
import type { BatchHeader } from "./model.js";
import { safeCellText } from "./safe-cell.js";

/**
 * From gross to the bank (issue 17): one payment per assistant of a batch — the gross of their
 * lines, the net estimate from the contract's declarations — written as the payroll export and
 * as the bank transfer file (Elixir-O, and a plain CSV). Pure: the adapter gathers the payees.
 */

/** One assistant of a batch: what the lines add up to and what the month's contract says. */
export interface Payee {
  assistantId: string;
  assistantName: string;
  contractNumber: string;
  /** As recorded (the contract's, or a legacy person's); checked again here. */
  bankAccount?: string;
  /** Absent for a legacy person with no recorded contract. */
  declarations?: Declarations;
  /** Paid by an earlier batch of the month: the PIT-2 reduction (once a month) was applied there. */
  pit2UsedThisMonth?: true;
  reports: number;
  minutes: number;
  grossGrosze: number;
}

export type PaymentProblem = { assistantId: string; assistantName: string; field: string; pl: string; en: string };

/** A payment file that cannot be written for some assistants: all of them listed, nothing written. */
export class PaymentFileRefusedError extends DomainError {
  constructor(file: { pl: string; en: string }, problems: PaymentProblem[]) {
    const list = (lang: "pl" | "en") => problems.map((p) => `${p.assistantName}: ${p[lang]}`).join("; ");
    super(
      "PAYMENT_FILE_REFUSED",
      422,
      {
        pl: `${file.pl} nie powstał — popraw dane ${problems.length === 1 ? "asystenta" : `${problems.length} asystentów`} i pobierz go ponownie: ${list("pl")}.`,
        en: `${file.en} was not written — fix the data of ${problems.length === 1 ? "the assistant" : `${problems.length} assistants`} and download it again: ${list("en")}.`,
      },
      { details: { problems } },
    );
  }
}

const PAYROLL_FILE = { pl: "Plik dla płac", en: "The payroll file" };
const TRANSFER_FILE = { pl: "Plik przelewów", en: "The transfer file" };

/** A payee's estimate, or why there is none. */
function estimateOf(payee: Payee, on: string, accidentBp: number): PayEstimate | PaymentProblem {
  if (!payee.declarations) {
    return {
      ...who(payee),
      field: "declarations",
      pl: `brak oświadczeń zleceniobiorcy w umowie ${payee.contractNumber} — uzupełnij umowę asystenta (Administracja → Osoby)`,
      en: `no contractor's declarations on contract ${payee.contractNumber} — complete the assistant's contract (Administration → People)`,
    };
  }
  if (payee.grossGrosze <= 0) return { ...who(payee), field: "gross", pl: "kwota brutto wynosi 0 zł", en: "the gross amount is 0 PLN" };
  const declarations = payee.pit2UsedThisMonth ? { ...payee.declarations, pit2: false } : payee.declarations;
  return estimatePay({ grossGrosze: payee.grossGrosze, declarations, on, accidentBp });
}

const who = (p: Payee) => ({ assistantId: p.assistantId, assistantName: p.assistantName });
const isProblem = (x: PayEstimate | PaymentProblem): x is PaymentProblem => "field" in x;

export type PayrollRow = { payee: Payee; estimate: PayEstimate };
export type PayrollTotals = PayEstimate & { reports: number };
export type Payroll = { header: BatchHeader; on: string; rows: PayrollRow[]; totals: PayrollTotals };

/** Every payee's estimate on the day of payment `on`; refused, listing every assistant, when any lacks what it needs. */
export function payrollOf(header: BatchHeader, payees: readonly Payee[], on: string, settings?: Pick<PaymentSettings, "accidentBp">): Payroll {
  const accidentBp = settings?.accidentBp ?? 167;
  const results = payees.map((payee) => ({ payee, result: estimateOf(payee, on, accidentBp) }));
  const problems = results.flatMap((r) => (isProblem(r.result) ? [r.result] : []));
  if (problems.length) throw new PaymentFileRefusedError(PAYROLL_FILE, problems);
  const rows = results.map(({ payee, result }) => ({ payee, estimate: result as PayEstimate }));
  const totals = { ...sumEstimates(rows.map((r) => r.estimate)), reports: payees.reduce((s, p) => s + p.reports, 0) };
  if (totals.grossGrosze !== header.totals.grosze) throw new Error(`payroll gross ${totals.grossGrosze} differs from the batch total ${header.totals.grosze}`);
  return { header, on, rows, totals };
}

function sumEstimates(estimates: readonly PayEstimate[]): PayEstimate {
  const zero: PayEstimate = {
    grossGrosze: 0,
    basis: "contributions",
    employee: { pension: 0, disability: 0, sickness: 0, social: 0, health: 0, ppk: 0 },
    costsGrosze: 0,
    taxBaseGrosze: 0,
    advanceGrosze: 0,
    netGrosze: 0,
    employer: { pension: 0, disability: 0, accident: 0, labourFund: 0, ppk: 0, total: 0 },
    employerCostGrosze: 0,
  };
  const add = <T extends Record<string, number>>(a: T, b: T): T => Object.fromEntries(Object.keys(a).map((k) => [k, a[k] + b[k]])) as T;
  return estimates.reduce(
    (t, e) => ({
      ...t,
      grossGrosze: t.grossGrosze + e.grossGrosze,
      employee: add(t.employee, e.employee),
      costsGrosze: t.costsGrosze + e.costsGrosze,
      taxBaseGrosze: t.taxBaseGrosze + e.taxBaseGrosze,
      advanceGrosze: t.advanceGrosze + e.advanceGrosze,
      netGrosze: t.netGrosze + e.netGrosze,
      employer: add(t.employer, e.employer),
      employerCostGrosze: t.employerCostGrosze + e.employerCostGrosze,
    }),
    zero,
  );
}

const BASIS: Record<PayEstimate["basis"], string> = {
  "student-under-26": "student do 26 lat",
  "other-employment": "inne zatrudnienie (tylko zdrowotna)",
  contributions: "składki ZUS",
};

/** The payroll export's columns, in order: one list drives the CSV and the XLSX. Money in grosze. */
export const PAYROLL_COLUMNS: readonly { heading: string; money?: true; value: (r: PayrollRow) => string | number; total?: (t: PayrollTotals) => number }[] = [
  { heading: "Asystent", value: (r) => r.payee.assistantName },
  { heading: "Nr umowy", value: (r) => r.payee.contractNumber },
  { heading: "Podstawa oskładkowania", value: (r) => BASIS[r.estimate.basis] },
  { heading: "Liczba sprawozdań", value: (r) => r.payee.reports, total: (t) => t.reports },
  { heading: "Brutto (zł)", money: true, value: (r) => r.estimate.grossGrosze, total: (t) => t.grossGrosze },
  { heading: "Emerytalna — zleceniobiorca (zł)", money: true, value: (r) => r.estimate.employee.pension, total: (t) => t.employee.pension },
  { heading: "Rentowa — zleceniobiorca (zł)", money: true, value: (r) => r.estimate.employee.disability, total: (t) => t.employee.disability },
  { heading: "Chorobowa (zł)", money: true, value: (r) => r.estimate.employee.sickness, total: (t) => t.employee.sickness },
  { heading: "Zdrowotna (zł)", money: true, value: (r) => r.estimate.employee.health, total: (t) => t.employee.health },
  { heading: "PPK — zleceniobiorca (zł)", money: true, value: (r) => r.estimate.employee.ppk, total: (t) => t.employee.ppk },
  { heading: "Koszty uzyskania (zł)", money: true, value: (r) => r.estimate.costsGrosze, total: (t) => t.costsGrosze },
  { heading: "Podstawa opodatkowania (zł)", money: true, value: (r) => r.estimate.taxBaseGrosze, total: (t) => t.taxBaseGrosze },
  { heading: "Zaliczka PIT (zł)", money: true, value: (r) => r.estimate.advanceGrosze, total: (t) => t.advanceGrosze },
  { heading: "Netto do wypłaty (zł)", money: true, value: (r) => r.estimate.netGrosze, total: (t) => t.netGrosze },
  { heading: "Emerytalna — zleceniodawca (zł)", money: true, value: (r) => r.estimate.employer.pension, total: (t) => t.employer.pension },
  { heading: "Rentowa — zleceniodawca (zł)", money: true, value: (r) => r.estimate.employer.disability, total: (t) => t.employer.disability },
  { heading: "Wypadkowa (zł)", money: true, value: (r) => r.estimate.employer.accident, total: (t) => t.employer.accident },
  { heading: "Fundusz Pracy (zł)", money: true, value: (r) => r.estimate.employer.labourFund, total: (t) => t.employer.labourFund },
  { heading: "PPK — zleceniodawca (zł)", money: true, value: (r) => r.estimate.employer.ppk, total: (t) => t.employer.ppk },
  { heading: "Koszt zleceniodawcy (zł)", money: true, value: (r) => r.estimate.employerCostGrosze, total: (t) => t.employerCostGrosze },
];

/** The line above the headings of every payroll file: it is an estimate. */
export function payrollNotice(payroll: Payroll): string {
  return `SZACUNEK do potwierdzenia przez płace (estimate for payroll to confirm) — partia ${payroll.header.batchId}, ${payroll.header.programmeName}, miesiąc ${payroll.header.month}, stawki na dzień ${payroll.on}`;
}

const CSV_OPTIONS = { delimiter: ";", record_delimiter: "windows" } as const;

/** The payroll export as CSV for Polish Excel: UTF-8 with a BOM, `;`, decimal commas, a totals record. */
export function payrollCsv(payroll: Payroll): Buffer {
  const records: string[][] = [
    [payrollNotice(payroll)],
    PAYROLL_COLUMNS.map((c) => c.heading),
    ...payroll.rows.map((r) => PAYROLL_COLUMNS.map((c) => cellText(c.money, c.value(r)))),
    PAYROLL_COLUMNS.map((c, i) => (i === 0 ? TOTALS_LABEL : c.total ? cellText(c.money, c.total(payroll.totals)) : "")),
  ];
  return Buffer.from(stringify(records, { ...CSV_OPTIONS, bom: true }), "utf8");
}

const cellText = (money: boolean | undefined, value: string | number) => (typeof value === "string" ? safeCellText(value) : money ? plainZloty(value) : String(value));

// ---- transfers -----------------------------------------------------------------------------

export type Transfer = { payee: Payee; account: string; amountGrosze: number; title: string };

/** The title of an assistant's transfer: "Rachunek AOU/2025/001 za 11.2026". */
export function transferTitle(contractNumber: string, month: string): string {
  return `Rachunek ${contractNumber} za ${month.slice(5, 7)}.${month.slice(0, 4)}`;
}

/** One transfer per assistant, of the net estimate or the gross (per the programme); refused, listing every assistant, when any account is missing or invalid. */
export function transfersOf(header: BatchHeader, payees: readonly Payee[], on: string, settings: PaymentSettings | undefined): Transfer[] {
  if (!settings) {
    throw new DomainError("PAYMENTS_NOT_CONFIGURED", 422, {
      pl: "Plik przelewów nie powstał: program nie ma rachunku ośrodka. Uzupełnij w ustawieniach programu dane płatnika (nazwa, rachunek).",
      en: "The transfer file was not written: the programme has no centre account. Add the payer's name and account in the programme's settings.",
    });
  }
  const problems: PaymentProblem[] = [];
  const accounts = payees.map((payee) => {
    const parsed = PolishIban.safeParse(payee.bankAccount ?? "");
    if (parsed.success) return parsed.data;
    const why = fieldMessages(parsed.error.issues[0] as FieldIssue);
    problems.push({
      ...who(payee),
      field: "bankAccount",
      pl: payee.bankAccount ? `numer rachunku „${payee.bankAccount}” jest niepoprawny (${why.pl})` : "brak numeru rachunku w umowie",
      en: payee.bankAccount ? `the account number "${payee.bankAccount}" is invalid (${why.en})` : "no account number on the contract",
    });
    return undefined;
  });
  let amounts: number[];
  if (settings.transferAmount === "net") {
    amounts = payees.map((payee) => {
      const result = estimateOf(payee, on, settings.accidentBp);
      if (isProblem(result)) {
        problems.push(result);
        return 0;
      }
      return result.netGrosze;
    });
  } else {
    amounts = payees.map((p) => p.grossGrosze);
    for (const p of payees) if (p.grossGrosze <= 0) problems.push({ ...who(p), field: "gross", pl: "kwota wynosi 0 zł", en: "the amount is 0 PLN" });
  }
  if (problems.length) throw new PaymentFileRefusedError(TRANSFER_FILE, problems);
  return payees.map((payee, i) => ({ payee, account: accounts[i]!, amountGrosze: amounts[i], title: transferTitle(payee.contractNumber, header.month) }));
}

/** Text as Elixir-O takes it: no quotes or "|" (its field and line separators), at most `lines` lines of 35 characters joined by "|". */
function elixirText(lines: readonly string[], max = 4): string {
  const chunks: string[] = [];
  for (const line of lines) {
    const clean = line.replace(/["|\r\n]+/g, " ").replace(/\s+/g, " ").trim();
    for (let i = 0; i < clean.length; i += 35) chunks.push(clean.slice(i, i + 35).trim());
  }
  return chunks.slice(0, max).join("|");
}

const nrb = (iban: string) => iban.slice(2);
const bankNumber = (iban: string) => iban.slice(4, 12);

/**
 * The transfers as an Elixir-O file (the domestic format Polish banks import): one "110" record
 * per transfer, 16 comma-separated fields, text quoted, amounts in grosze, the day as RRRRMMDD;
 * Windows-1250 with CRLF, as the banks' import screens expect.
 */
export function elixirO(transfers: readonly Transfer[], settings: PaymentSettings, day: string): Buffer {
  const date = day.replaceAll("-", "");
  const payer = PolishIban.parse(settings.payerAccount);
  const records = transfers.map((t) =>
    [
      "110",
      date,
      String(t.amountGrosze),
      bankNumber(payer),
      "0",
      `"${nrb(payer)}"`,
      `"${nrb(t.account)}"`,
      `"${elixirText(settings.payerName)}"`,
      `"${elixirText([t.payee.assistantName])}"`,
      "0",
      bankNumber(t.account),
      `"${elixirText([t.title])}"`,
      '""',
      '""',
      '"51"',
      `"${elixirText([t.payee.contractNumber], 1)}"`,
    ].join(","),
  );
  return iconv.encode(records.map((r) => `${r}\r\n`).join(""), "win1250");
}

/** The same transfers as a plain CSV for banks without Elixir-O import (UTF-8 with a BOM, `;`). */
export const TRANSFER_COLUMNS: readonly { heading: string; value: (t: Transfer, day: string) => string }[] = [
  { heading: "Data wykonania", value: (_, day) => day },
  { heading: "Odbiorca", value: (t) => safeCellText(t.payee.assistantName) },
  { heading: "Rachunek odbiorcy", value: (t) => formatBankAccount(nrb(t.account)) },
  { heading: "Kwota (zł)", value: (t) => plainZloty(t.amountGrosze) },
  { heading: "Tytuł", value: (t) => safeCellText(t.title) },
];

export function transfersCsv(transfers: readonly Transfer[], day: string): Buffer {
  const records = [TRANSFER_COLUMNS.map((c) => c.heading), ...transfers.map((t) => TRANSFER_COLUMNS.map((c) => c.value(t, day)))];
  return Buffer.from(stringify(records, { ...CSV_OPTIONS, bom: true }), "utf8");
}

/** File names finance sees: `przelewy-<programme>-<month>-<batch seq>.pli` and the like. */
export function paymentFileName(header: BatchHeader, kind: "elixir" | "transfers-csv" | "payroll-csv" | "payroll-xlsx"): string {
  const base = `${slug(header.programmeId)}-${header.month}-${header.batchId.split("-").at(-1)}`;
  switch (kind) {
    case "elixir":
      return `przelewy-${base}.pli`;
    case "transfers-csv":
      return `przelewy-${base}.csv`;
    case "payroll-csv":
      return `place-${base}.csv`;
    case "payroll-xlsx":
      return `place-${base}.xlsx`;
  }
}
