import { bilingual } from "./field-messages.js";
import { PolishIban } from "./bank-account.js";
import * as z from "zod";
import { addDays, displayDate, firstDayOf, IsoDate, lastDayOf } from "./calendar.js";
import { DomainError } from "./errors.js";
import { ProgrammeId } from "./programme.js";

/** A contract number as the centre writes it (e.g. AOU/2025/001); "#" separates key segments, so it is not allowed. */
export const ContractNumber = z
  .string()
  .trim()
  .min(1, bilingual("numer umowy jest wymagany", "the contract number is required"))
  .max(60, bilingual("najwyżej 60 znaków", "at most 60 characters"))
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ./_-]*$/u, bilingual("litery, cyfry, spacja oraz . / _ -", "letters, digits, space and . / _ -"));
export type ContractNumber = z.infer<typeof ContractNumber>;

export { PolishIban } from "./bank-account.js";

/**
 * The contractor's declarations that decide the deductions of an umowa zlecenie (DOMAIN.md, Money
 * and pay). Payroll reads them in this order: a student under 26 (before `turns26On`) pays no
 * contributions and no PIT; another employment at ≥ the minimum wage leaves health insurance
 * only; otherwise social contributions apply, with sickness only when `voluntarySickness` and
 * PPK only when `ppk`; `pit2` lowers the PIT advance. `turns26On` (the 26th birthday, not the
 * birth date: the least payroll needs) is required for a student and also gives the PIT relief
 * for the young until that day.
 */
export const Declarations = z
  .strictObject({
    studentUnder26: z.boolean(),
    turns26On: IsoDate.optional(),
    otherEmploymentAtMinimumWage: z.boolean(),
    pit2: z.boolean(),
    voluntarySickness: z.boolean(),
    ppk: z.boolean(),
  })
  .refine((d) => !d.studentUnder26 || d.turns26On !== undefined, {
    path: ["turns26On"],
    message: bilingual("dla studenta poniżej 26 lat podaj dzień 26. urodzin", "give the 26th birthday of a student under 26"),
  });
export type Declarations = z.infer<typeof Declarations>;

/** An assistant's civil contract in one programme: its number, its days (Warsaw calendar, both inclusive), the account paid into, the declarations. */
export const Contract = z
  .strictObject({
    number: ContractNumber,
    programmeId: ProgrammeId,
    from: IsoDate,
    to: IsoDate,
    bankAccount: PolishIban,
    declarations: Declarations,
  })
  .refine((c) => c.from <= c.to, { path: ["to"], message: bilingual("koniec umowy nie może być przed jej początkiem", "the contract cannot end before it starts") });
export type Contract = z.infer<typeof Contract>;
export type ContractInput = z.input<typeof Contract>;

/** A stored contract: who changed it last and when. */
export type StoredContract = Contract & { changedBy: string; changedAt: string };

/**
 * The days a contract covers. `from`/`to` are absent only for a legacy contract: a person stored
 * before contracts had dates, with only `contractNumber` (and `bankAccount`) on the person.
 */
export type ContractPeriod = { number: string; programmeId: string; from?: string; to?: string; legacy?: true };

/**
 * The contracts that count in each programme: the recorded ones; in a programme with none
 * recorded, a person's legacy `contractNumber` counts as a contract with open dates (the
 * migration rule, docs/admin.md §3: recording the first contract in a programme ends it there).
 */
export function contractPeriods(
  recorded: readonly ContractPeriod[],
  person: { contractNumber?: string; roles: readonly { programmeId: string; role: string }[] },
): ContractPeriod[] {
  const periods: ContractPeriod[] = recorded.map(({ number, programmeId, from, to }) => ({ number, programmeId, from, to }));
  if (person.contractNumber) {
    for (const programmeId of new Set(person.roles.filter((r) => r.role === "assistant").map((r) => r.programmeId))) {
      if (!recorded.some((c) => c.programmeId === programmeId)) periods.push({ number: person.contractNumber, programmeId, legacy: true });
    }
  }
  return periods;
}

/** Whether the contract covers the day (YYYY-MM-DD, a Warsaw calendar day). */
export function coversDay(contract: Pick<ContractPeriod, "from" | "to">, date: string): boolean {
  return (contract.from === undefined || contract.from <= date) && (contract.to === undefined || date <= contract.to);
}

/** Whether the contract covers at least one day of the month (YYYY-MM). */
export function coversMonth(contract: Pick<ContractPeriod, "from" | "to">, month: string): boolean {
  return (contract.from === undefined || contract.from <= lastDayOf(month)) && (contract.to === undefined || firstDayOf(month) <= contract.to);
}

/** The programme's contract covering the day, or undefined. */
export function contractOnDay<C extends ContractPeriod>(contracts: readonly C[], programmeId: string, date: string): C | undefined {
  return contracts.find((c) => c.programmeId === programmeId && coversDay(c, date));
}

/** The programme's contract covering the most days of the month (the later one on a tie), or undefined. */
export function contractForMonth<C extends ContractPeriod>(contracts: readonly C[], programmeId: string, month: string): C | undefined {
  const first = firstDayOf(month);
  const last = lastDayOf(month);
  const days = (c: ContractPeriod) => {
    const from = c.from && c.from > first ? c.from : first;
    const to = c.to && c.to < last ? c.to : last;
    return (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  };
  return contracts
    .filter((c) => c.programmeId === programmeId && coversMonth(c, month))
    .sort((a, b) => days(b) - days(a) || (b.from ?? "").localeCompare(a.from ?? ""))[0];
}

/** Refuses an order or a report of a month no contract of the assistant in the programme touches. */
export function requireContractForMonth(contracts: readonly ContractPeriod[], who: { assistantId: string; programmeId: string }, month: string): void {
  if (!contractForMonth(contracts, who.programmeId, month)) throw new NoContractForMonthError(who.assistantId, who.programmeId, month, inProgramme(contracts, who.programmeId));
}

/** Refuses a visit on a day no contract of the assistant in the programme covers. */
export function requireContractOnDay(contracts: readonly ContractPeriod[], who: { assistantId: string; programmeId: string }, date: string, visitId?: string): void {
  if (!contractOnDay(contracts, who.programmeId, date)) throw new VisitOutsideContractError(who.assistantId, who.programmeId, date, inProgramme(contracts, who.programmeId), visitId);
}

const inProgramme = (contracts: readonly ContractPeriod[], programmeId: string) => contracts.filter((c) => c.programmeId === programmeId);

/**
 * The person's contracts after recording `contract` (a new number, or a change of the contract
 * with that number). Two contracts of one programme may not share a day: the day's contract
 * decides the account paid into and the deductions.
 */
export function withContract<C extends Contract>(existing: readonly C[], contract: C): C[] {
  const others = existing.filter((c) => c.number !== contract.number);
  const clash = others.find((c) => c.programmeId === contract.programmeId && c.from <= contract.to && contract.from <= c.to);
  if (clash) throw new ContractOverlapError(contract, clash);
  return [...others, contract].sort((a, b) => a.programmeId.localeCompare(b.programmeId) || a.from.localeCompare(b.from) || a.number.localeCompare(b.number));
}

/** The contract number and account a month's bill names: the recorded contract covering most of the month, else the person's legacy fields. */
export function billContract(
  person: { contractNumber?: string; bankAccount?: string },
  contracts: readonly Contract[],
  programmeId: string,
  month: string,
): { contractNumber?: string; bankAccount?: string } {
  const contract = contractForMonth(contracts, programmeId, month);
  return contract ? { contractNumber: contract.number, bankAccount: contract.bankAccount } : { contractNumber: person.contractNumber, bankAccount: person.bankAccount };
}

/** Whether a contract ends soon (within `days` from `today`, inclusive) or has ended, for the coordinator's board. */
export function endingState(contract: Pick<Contract, "to">, today: string, days = 31): "ended" | "ending" | undefined {
  if (contract.to < today) return "ended";
  if (contract.to <= addDays(today, days)) return "ending";
  return undefined;
}

/** The board's list: people of the programme whose last contract there ends within `days` of `today` or has ended, with the state of each. */
export function contractEndsOnBoard<E extends Pick<Contract, "to">>(ends: readonly E[], today: string, days = 31): (E & { state: "ended" | "ending" })[] {
  return ends.flatMap((e) => {
    const state = endingState(e, today, days);
    return state ? [{ ...e, state }] : [];
  });
}

/** Who may read a person's contracts of a programme: the person, the centre's administrator, and the programme's admins, coordinators and finance. */
export function mayReadContracts(
  reader: { id: string; centreAdmin?: boolean; roles: readonly { programmeId: string; role: string }[] },
  personId: string,
  programmeId: string,
): boolean {
  if (reader.id === personId || reader.centreAdmin) return true;
  return reader.roles.some((r) => r.programmeId === programmeId && (r.role === "admin" || r.role === "coordinator" || r.role === "finance"));
}

const span = (c: ContractPeriod, lang: "pl" | "en") =>
  c.legacy ? (lang === "pl" ? `${c.number} (bez dat)` : `${c.number} (no dates)`) : `${c.number}: ${displayDate(c.from!)}–${displayDate(c.to!)}`;
const spans = (contracts: readonly ContractPeriod[], lang: "pl" | "en") =>
  contracts.length ? contracts.map((c) => span(c, lang)).join(", ") : lang === "pl" ? "brak umów" : "no contracts";

export class NoContractForMonthError extends DomainError {
  constructor(assistantId: string, programmeId: string, month: string, contracts: readonly ContractPeriod[]) {
    super("NO_CONTRACT_FOR_MONTH", 422, {
      pl: `Asystent ${assistantId} nie ma w programie ${programmeId} umowy obejmującej miesiąc ${month} (umowy: ${spans(contracts, "pl")}). Administrator programu musi najpierw dodać lub przedłużyć umowę.`,
      en: `Assistant ${assistantId} has no contract in programme ${programmeId} covering ${month} (contracts: ${spans(contracts, "en")}). The programme's administrator must first add or extend a contract.`,
    }, { details: { assistantId, programmeId, month, contracts } });
  }
}

export class VisitOutsideContractError extends DomainError {
  constructor(assistantId: string, programmeId: string, date: string, contracts: readonly ContractPeriod[], visitId?: string) {
    super("VISIT_OUTSIDE_CONTRACT", 422, {
      pl: `Wizyta z dnia ${displayDate(date)} jest poza okresem umowy asystenta w programie ${programmeId} (umowy: ${spans(contracts, "pl")}). Popraw datę wizyty albo poproś administratora o przedłużenie umowy.`,
      en: `The visit on ${displayDate(date)} is outside the assistant's contract in programme ${programmeId} (contracts: ${spans(contracts, "en")}). Correct the visit's date or ask the administrator to extend the contract.`,
    }, { details: { assistantId, programmeId, date, visitId, contracts } });
  }
}

export class ContractOverlapError extends DomainError {
  constructor(contract: Pick<Contract, "number" | "programmeId" | "from" | "to">, other: Pick<Contract, "number" | "from" | "to">) {
    super("CONTRACT_OVERLAP", 422, {
      pl: `Umowa ${contract.number} (${displayDate(contract.from)}–${displayDate(contract.to)}) nakłada się na umowę ${other.number} (${displayDate(other.from)}–${displayDate(other.to)}) tego samego asystenta w programie ${contract.programmeId}. Skróć jedną z umów: każdy dzień może mieć tylko jedną umowę.`,
      en: `Contract ${contract.number} (${displayDate(contract.from)}–${displayDate(contract.to)}) overlaps contract ${other.number} (${displayDate(other.from)}–${displayDate(other.to)}) of the same assistant in programme ${contract.programmeId}. Shorten one of them: each day can have only one contract.`,
    }, { details: { number: contract.number, other: other.number } });
  }
}

export class ContractNotAssistantError extends DomainError {
  constructor(personId: string, programmeId: string) {
    super("CONTRACT_NOT_ASSISTANT", 422, {
      pl: `Osoba ${personId} nie jest asystentem w programie ${programmeId}. Najpierw nadaj jej rolę asystenta w tym programie (POST /api/people/${personId}/roles), potem dodaj umowę.`,
      en: `${personId} is not an assistant in programme ${programmeId}. Give them the assistant role in that programme first (POST /api/people/${personId}/roles), then add the contract.`,
    }, { details: { personId, programmeId } });
  }
}

export class ContractProgrammeChangeError extends DomainError {
  constructor(number: string, from: string, to: string) {
    super("CONTRACT_PROGRAMME_CHANGE", 422, {
      pl: `Umowa ${number} należy do programu ${from}; nie można jej przenieść do programu ${to}. Dodaj w programie ${to} nową umowę z innym numerem.`,
      en: `Contract ${number} belongs to programme ${from} and cannot be moved to ${to}. Add a new contract with another number in ${to}.`,
    }, { details: { number, from, to } });
  }
}
