import { bilingual } from "./field-messages.js";
import * as z from "zod";
import { PolishIban } from "./bank-account.js";
import { defaultReminderRules, firstDayOf, IsoDate, lastDayOf, monthOf, previousMonth, ReminderRule, WallTime } from "./calendar.js";
import { NoRateError, ProgrammeChangeRefusedError, ValidationError } from "./errors.js";
import { assertLegalRate, minimumHourlyRates } from "./money.js";

export const ProgrammeId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, bilingual("małe litery, cyfry i myślniki", "lowercase letters, digits and dashes"));
export type ProgrammeId = z.infer<typeof ProgrammeId>;

export const Label = z.object({ pl: z.string().min(1).max(200), en: z.string().min(1).max(200) });
export type Label = z.infer<typeof Label>;

export const RatePeriod = z.object({
  from: IsoDate,
  to: IsoDate.optional(),
  rateGrosze: z.number().int().positive(),
});
export type RatePeriod = z.infer<typeof RatePeriod>;

export const ScopeCategory = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/),
  label: Label,
  /** The area (group) this task belongs to; absent for the areas themselves. */
  area: z.string().optional(),
});
export type ScopeCategory = z.infer<typeof ScopeCategory>;

export const ServiceModeId = z.enum(["in_person", "remote", "without_beneficiary"]);
export type ServiceModeId = z.infer<typeof ServiceModeId>;

export const ServiceMode = z.object({ id: ServiceModeId, justificationRequired: z.boolean() });
export type ServiceMode = z.infer<typeof ServiceMode>;

export const SignatureEvidence = z.enum(["drawn", "paper_scan"]);
export type SignatureEvidence = z.infer<typeof SignatureEvidence>;

export const Retention = z.object({
  /** Hour confirmations: 3 years from the payment date (civil-contract minimum-rate law). */
  hourConfirmationYearsAfterPayment: z.number().int().positive().default(3),
  /** Accounting documents: 5 years from the end of the year. */
  accountingYearsAfterYearEnd: z.number().int().positive().default(5),
  /** EU-funded projects: per the grant agreement, at least 5 years after the last payment. */
  projectYearsAfterLastPayment: z.number().int().positive().optional(),
  /**
   * Drafts never submitted: removed this many days after their month's deadline (core/retention.ts);
   * at least the 60 days in which a late report may still be submitted and paid in a supplementary batch.
   */
  draftDaysAfterDeadline: z.number().int().min(60).max(3650).default(90),
});
export type Retention = z.infer<typeof Retention>;

/** Polish budget classification of an expense (klasyfikacja budżetowa): dział, rozdział, paragraf with its funding digit. */
export const BudgetClassification = z.object({
  section: z.string().regex(/^\d{3}$/, bilingual("dział: 3 cyfry", "dział (section): 3 digits")),
  chapter: z.string().regex(/^\d{5}$/, bilingual("rozdział: 5 cyfr", "rozdział (chapter): 5 digits")),
  paragraph: z.string().regex(/^\d{3,4}$/, bilingual("paragraf: 3 lub 4 cyfry", "paragraf (paragraph): 3 or 4 digits")),
});
export type BudgetClassification = z.infer<typeof BudgetClassification>;

/** No programme allows a visit longer than a day (the overlap check across months relies on it). */
export const MAX_VISIT_MINUTES = 24 * 60;

/**
 * The centre's side of the payments (issue 17): its name and address as the bank prints them on
 * the transfer (up to 4 lines of 35 characters), its account, whether the transfers carry the
 * net estimate or the gross, and the centre's accident insurance rate in hundredths of a per
 * cent (1,67 % = 167) for the employer's cost.
 */
export const PaymentSettings = z.strictObject({
  payerName: z.array(z.string().trim().min(1).max(35, bilingual("najwyżej 35 znaków w wierszu", "at most 35 characters a line"))).min(1).max(4),
  payerAccount: PolishIban,
  transferAmount: z.enum(["net", "gross"]).default("net"),
  accidentBp: z.number().int().min(0).max(1_000).default(167),
});
export type PaymentSettings = z.infer<typeof PaymentSettings>;

export const Programme = z.object({
  id: ProgrammeId,
  /** Short code that starts the report numbers finance reads ("KRK-AOU/2026-12/P1/003/2"); the id in capitals when absent. */
  code: z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,19}$/, bilingual("wielkie litery, cyfry i myślniki", "capital letters, digits and dashes")).optional(),
  name: Label,
  city: z.string().trim().min(1).max(100),
  rates: z.array(RatePeriod).min(1),
  maxBeneficiariesPerAssistant: z.number().int().positive(),
  deadlineWorkingDay: z.number().int().min(1).max(20).default(3),
  reminderRules: z.array(ReminderRule).default(defaultReminderRules),
  extraDaysOff: z.array(IsoDate).default([]),
  scopeCategories: z.array(ScopeCategory).min(1),
  serviceModes: z.array(ServiceMode).min(1),
  nightVisitsAllowed: z.boolean(),
  crossMidnightAllowed: z.boolean(),
  /** The night window checked when night visits are not allowed. */
  nightHours: z.object({ from: WallTime, to: WallTime }).default({ from: "22:00", to: "06:00" }),
  maxVisitMinutes: z.number().int().positive().max(MAX_VISIT_MINUTES),
  overOrderPolicy: z.enum(["refuse", "explain"]),
  approverIds: z.array(z.string().min(1)).min(1),
  deputyApproverId: z.string().min(1).optional(),
  financeEmails: z.array(z.email()).min(1),
  coordinatorIds: z.array(z.string().min(1)).default([]),
  approvalTimeoutWorkingDays: z.number().int().positive().default(3),
  approverReminderAfterWorkingDays: z.number().int().positive().default(2),
  /** Working day of the month after the deadline's month by which approvals must be in for the main batch. */
  paymentCutoffWorkingDay: z.number().int().min(1).max(20).default(10),
  signatureEvidence: z.array(SignatureEvidence).min(1).default(["drawn", "paper_scan"]),
  retention: Retention.default({ hourConfirmationYearsAfterPayment: 3, accountingYearsAfterYearEnd: 5, draftDaysAfterDeadline: 90 }),
  // Where finance books the pay; printed on bills and in the payment files. Each centre's own values, to confirm with its finance.
  /** Cost centre (miejsce powstania kosztów, MPK). */
  costCentre: z.string().trim().min(1).max(40).optional(),
  budgetClassification: BudgetClassification.optional(),
  /** Project or grant code, e.g. of an EU-funded project. */
  projectCode: z.string().trim().min(1).max(60).optional(),
  /** How finance pays a batch (issue 17): the transfer file's payer and what it transfers; payroll's accident insurance rate. */
  payments: PaymentSettings.optional(),
});
export type Programme = z.infer<typeof Programme>;
export type ProgrammeInput = z.input<typeof Programme>;

/** Parses a programme and checks every rate against the statutory minimum across its validity. */
export function parseProgramme(input: unknown): Programme {
  const result = Programme.safeParse(input);
  if (!result.success) throw new ValidationError(result.error, "programme");
  checkProgrammeRates(result.data);
  return result.data;
}

/** Refuses any rate period that is below the statutory minimum on any day it is valid. */
export function checkProgrammeRates(programme: Programme): void {
  for (const period of programme.rates) {
    assertLegalRate(period.rateGrosze, period.from);
    for (const row of minimumHourlyRates) {
      if (row.from > period.from && (!period.to || row.from <= period.to)) assertLegalRate(period.rateGrosze, row.from);
    }
  }
}

/** The hourly rate (grosze) valid on `date`; refused when none is configured or it is below the legal minimum. */
export function rateFor(programme: Pick<Programme, "id" | "rates">, date: string): number {
  const period = programme.rates.find((r) => r.from <= date && (!r.to || date <= r.to));
  if (!period) throw new NoRateError(programme.id, date);
  assertLegalRate(period.rateGrosze, date);
  return period.rateGrosze;
}

/** The service mode config for `mode`, or undefined when the programme does not allow it. */
export function serviceModeOf(programme: Pick<Programme, "serviceModes">, mode: string): ServiceMode | undefined {
  return programme.serviceModes.find((m) => m.id === mode);
}

/** Whether `personId` may decide on the programme's reports (an approver or the deputy). */
export function canApprove(programme: Pick<Programme, "approverIds" | "deputyApproverId">, personId: string): boolean {
  return programme.approverIds.includes(personId) || programme.deputyApproverId === personId;
}

const area = (id: string, pl: string, en: string): ScopeCategory => ({ id, label: { pl, en } });
const task = (id: string, areaId: string, pl: string, en: string): ScopeCategory => ({ id, label: { pl, en }, area: areaId });

// From the Kraków AOU job description (seed 000): the six areas and the twelve example tasks.
const krakowScopes: ScopeCategory[] = [
  area("education", "Edukacja i kwalifikacje zawodowe", "Education and vocational qualifications"),
  area("housing", "Warunki mieszkaniowe", "Housing"),
  area("work", "Aktywność zawodowa", "Work"),
  area("social-integration", "Integracja społeczna", "Social integration"),
  area("health", "Opieka zdrowotna", "Health care"),
  area("material", "Sytuacja materialna", "Material situation"),
  task("t01-contacts", "social-integration", "Budowanie sieci kontaktów", "Building a network of contacts"),
  task("t02-social-roles", "social-integration", "Pełnienie ról społecznych", "Fulfilling social roles"),
  task("t03-entitlements-medical", "health", "Uzyskanie przysługujących uprawnień, pomoc medyczna", "Obtaining entitlements, medical help"),
  task("t04-education-path", "education", "Ścieżka edukacyjna i zawodowa, kwalifikacje", "Education and career path, qualifications"),
  task("t05-job-activation", "work", "Aktywizacja zawodowa (CV, rozmowy, rejestracja w GUP)", "Job activation (CV, interviews, labour office registration)"),
  task("t06-housing", "housing", "Warunki mieszkaniowe (najem, umowa najmu)", "Housing (renting, tenancy obligations)"),
  task("t07-official-matters", "social-integration", "Sprawy urzędowe i dokumentacja", "Official matters and paperwork"),
  task("t08-family-court", "social-integration", "Integracja ze środowiskiem, kontakt z rodziną, orzeczenia sądowe", "Community integration, family contact, court duties"),
  task("t09-insurance-therapy", "health", "Ubezpieczenie zdrowotne, leczenie, terapia", "Health insurance, treatment, therapy"),
  task("t10-material", "material", "Poprawa sytuacji materialnej, budżet, świadczenia", "Improving the material situation, budget, benefits"),
  task("t11-ipu", "education", "Indywidualny Program Usamodzielnienia (diagnoza, ocena)", "Individual independence programme (IPU)"),
  task("t12-specialists", "social-integration", "Współpraca z innymi specjalistami", "Cooperation with other specialists"),
];

// From the Wrocław "Razem łatwiej" project page (seed 003).
const wroclawScopes: ScopeCategory[] = [
  area("everyday", "Czynności dnia codziennego", "Everyday activities"),
  area("social", "Aktywność społeczna", "Social activity"),
  area("work-education", "Wsparcie w pracy i edukacji", "Work and education support"),
  area("hygiene", "Opieka higieniczna", "Hygiene care"),
  area("physiological", "Pomoc w czynnościach fizjologicznych", "Help with physiological needs"),
  area("intervention", "Interwencja (także w nocy)", "Intervention (also at night)"),
  task("transport", "everyday", "Dojazdy i towarzyszenie poza domem", "Travel and accompanying outside home"),
  task("errands", "everyday", "Zakupy i sprawy urzędowe", "Shopping and official matters"),
];

/** The seeded programmes (`krakow-aou`, `wroclaw-ao`), parsed through the schema. */
export const seedProgrammes: Programme[] = [
  {
    id: "krakow-aou",
    code: "KRK-AOU",
    name: { pl: "Asystent Osoby Usamodzielnianej (MOPS Kraków)", en: "Assistant of a person leaving foster care (MOPS Kraków)" },
    city: "Kraków",
    // 96,00 zł gross per clock hour, contract until 2027-12-31.
    rates: [{ from: "2025-09-01", to: "2027-12-31", rateGrosze: 9600 }],
    maxBeneficiariesPerAssistant: 6,
    deadlineWorkingDay: 3,
    scopeCategories: krakowScopes,
    serviceModes: [
      { id: "in_person", justificationRequired: false },
      { id: "remote", justificationRequired: true },
      { id: "without_beneficiary", justificationRequired: true },
    ],
    nightVisitsAllowed: false,
    crossMidnightAllowed: false,
    maxVisitMinutes: 8 * 60,
    overOrderPolicy: "explain",
    approverIds: ["p-krakow-approver"],
    deputyApproverId: "p-krakow-deputy",
    financeEmails: ["ksiegowosc.krakow@mops.example.pl"],
    coordinatorIds: ["p-krakow-coordinator"],
    signatureEvidence: ["drawn", "paper_scan"],
  },
  {
    id: "wroclaw-ao",
    code: "WRO-AO",
    name: { pl: "Asystent osobisty osoby z niepełnosprawnością „Razem łatwiej” (MOPS Wrocław)", en: "Personal assistant of a person with disabilities \"Razem łatwiej\" (MOPS Wrocław)" },
    city: "Wrocław",
    // To confirm with the centre: 52,00 zł/h is an example within the draft law's 49–55 zł/h.
    rates: [{ from: "2025-01-01", rateGrosze: 5200 }],
    // To confirm: the seed does not cap clients per assistant; a small caseload is assumed.
    maxBeneficiariesPerAssistant: 4,
    // To confirm: the seed names no deadline; Kraków's 3rd working day is used.
    deadlineWorkingDay: 3,
    scopeCategories: wroclawScopes,
    serviceModes: [
      { id: "in_person", justificationRequired: false },
      { id: "remote", justificationRequired: true },
    ],
    // Intervention mode, also at night (seed 003).
    nightVisitsAllowed: true,
    crossMidnightAllowed: true,
    maxVisitMinutes: 12 * 60,
    overOrderPolicy: "refuse",
    approverIds: ["p-wroclaw-approver"],
    deputyApproverId: "p-wroclaw-deputy",
    financeEmails: ["ksiegowosc.wroclaw@mops.example.pl"],
    coordinatorIds: ["p-wroclaw-coordinator"],
    signatureEvidence: ["drawn"],
    retention: { hourConfirmationYearsAfterPayment: 3, accountingYearsAfterYearEnd: 5, projectYearsAfterLastPayment: 5 },
  },
].map(parseProgramme);

/** A seeded programme by id, or undefined. */
export function seedProgramme(id: string): Programme | undefined {
  return seedProgrammes.find((p) => p.id === id);
}

/** The people a programme names, as the change check needs them (undefined: no such person). */
export type NamedPeople = ReadonlyMap<string, { name: string; active: boolean } | undefined>;

/** Every person the programme names: approvers, the deputy and coordinators. */
export const namedPersonIds = (p: Pick<Programme, "approverIds" | "deputyApproverId" | "coordinatorIds">) => [...new Set([...p.approverIds, ...(p.deputyApproverId ? [p.deputyApproverId] : []), ...p.coordinatorIds])];

/**
 * Refuses a programme setting (new, or a change of `before`) that would break a running month,
 * saying what to do instead: an approver, deputy or coordinator who does not exist or is
 * deactivated; a deputy who is also an approver; and a rate change that leaves a day of the
 * month still being settled (the previous and the current Warsaw month at `now`) without a
 * rate. The statutory minimum is checked by parseProgramme; a rate change never alters an
 * approved report (its money is frozen at approval).
 */
export function checkProgrammeChange(before: Programme | undefined, after: Programme, ctx: { now: string; people: NamedPeople }): void {
  if (before && before.id !== after.id) {
    throw new ProgrammeChangeRefusedError("id", { pl: "Identyfikatora programu nie można zmienić. Utwórz nowy program.", en: "A programme's id cannot change. Create a new programme." });
  }
  for (const [field, ids] of [["approverIds", after.approverIds], ["deputyApproverId", after.deputyApproverId ? [after.deputyApproverId] : []], ["coordinatorIds", after.coordinatorIds]] as const) {
    for (const id of ids) {
      const person = ctx.people.get(id);
      if (!person) throw new ProgrammeChangeRefusedError(field, { pl: `Osoba „${id}” (${field}) nie istnieje. Najpierw dodaj ją w zakładce Osoby, potem wskaż ją w programie.`, en: `Person "${id}" (${field}) does not exist. Add the person under People first, then name them in the programme.` });
      if (!person.active) throw new ProgrammeChangeRefusedError(field, { pl: `Osoba „${person.name}” (${field}) jest nieaktywna. Wskaż aktywną osobę albo najpierw ją aktywuj.`, en: `"${person.name}" (${field}) is deactivated. Name an active person or activate them first.` });
    }
  }
  if (after.deputyApproverId && after.approverIds.includes(after.deputyApproverId)) {
    throw new ProgrammeChangeRefusedError("deputyApproverId", { pl: "Zastępca nie może być jednocześnie zatwierdzającym. Wskaż inną osobę jako zastępcę.", en: "The deputy cannot also be an approver. Name someone else as the deputy." });
  }
  if (!before) return;
  const current = monthOf(ctx.now);
  for (const month of [previousMonth(current), current]) {
    for (let day = firstDayOf(month); day <= lastDayOf(month); day = nextDay(day)) {
      const had = before.rates.some((r) => r.from <= day && (!r.to || day <= r.to));
      const has = after.rates.some((r) => r.from <= day && (!r.to || day <= r.to));
      if (had && !has) {
        throw new ProgrammeChangeRefusedError("rates", {
          pl: `Po tej zmianie ${day} nie ma stawki, a miesiąc ${month} jest jeszcze rozliczany. Dodaj nową stawkę od dnia, od którego obowiązuje, zamiast usuwać lub skracać obecną.`,
          en: `After this change ${day} has no rate while ${month} is still being settled. Add a new rate from the day it applies instead of removing or shortening the current one.`,
        });
      }
    }
  }
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Refuses taking a role away while the programme still needs it from the person: an approver or
 * the deputy named by the programme, a named coordinator (change the programme first), or an
 * assistant with orders this month or later (`ordersFrom`: how many; end or move them first).
 */
export function checkRoleRemoval(programme: Pick<Programme, "approverIds" | "deputyApproverId" | "coordinatorIds">, person: { id: string; name: string }, role: string, ordersFrom = 0): void {
  const named =
    (role === "approver" && (programme.approverIds.includes(person.id) || programme.deputyApproverId === person.id)) ||
    (role === "coordinator" && programme.coordinatorIds.includes(person.id));
  if (named) {
    throw new ProgrammeChangeRefusedError(role === "approver" ? "approverIds" : "coordinatorIds", {
      pl: `Program wskazuje osobę „${person.name}” jako ${role === "approver" ? "zatwierdzającą" : "koordynatora"}. Najpierw wskaż w ustawieniach programu kogoś innego, potem odbierz rolę.`,
      en: `The programme names "${person.name}" as its ${role === "approver" ? "approver" : "coordinator"}. Name someone else in the programme's settings first, then remove the role.`,
    });
  }
  if (role === "assistant" && ordersFrom > 0) {
    throw new ProgrammeChangeRefusedError("orders", {
      pl: `Asystent „${person.name}” ma ${ordersFrom} zleceń w tym miesiącu lub później. Najpierw przenieś je do innego asystenta, potem odbierz rolę (albo dezaktywuj osobę).`,
      en: `Assistant "${person.name}" has ${ordersFrom} orders this month or later. Move them to another assistant first, then remove the role (or deactivate the person).`,
    });
  }
}
