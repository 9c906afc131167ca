import type { Beneficiary } from "./beneficiary.js";
import { contractForMonth, type ContractPeriod } from "./contract.js";
import { OrdersImportError } from "./errors.js";
import { hasRole, normaliseEmail, type Person } from "./person.js";
import type { Programme } from "./programme.js";
import { newServiceOrder, type ServiceOrder } from "./service-order.js";
import { namedRows, readTable, type RefuseFile, type RowError } from "./spreadsheet-import.js";

/** One data row of the coordinator's spreadsheet, as text, with its row number in the file (header = 1). */
export type OrderRow = { row: number; email: string; beneficiaryCode: string; hours: string };

export type { RowError };

export type OrdersImportContext = {
  programme: Programme;
  month: string;
  /** People of the programme (only those with the assistant role can receive orders). */
  assistants: readonly Person[];
  beneficiaries: readonly Beneficiary[];
  /** The contracts (contractPeriods) of the file's assistants by person id: a row of a month no contract touches is refused. */
  contracts?: ReadonlyMap<string, readonly ContractPeriod[]>;
  /** Orders already stored for the programme and month (they count towards the caseload). */
  existingOrders: readonly ServiceOrder[];
  issuedBy: string;
  now: string;
};

const MAX_ORDER_HOURS = 744; // every hour of a 31-day month

const orderColumns = {
  email: { names: ["emailasystenta", "adresemailasystenta", "email", "assistantemail", "emailassistant"], pl: "e-mail asystenta", en: "assistant e-mail" },
  beneficiaryCode: { names: ["koduczestnika", "kodbeneficjenta", "kodosoby", "kod", "uczestnik", "beneficiarycode", "beneficiary", "code"], pl: "kod uczestnika", en: "beneficiary code" },
  hours: { names: ["godziny", "liczbagodzin", "godz", "liczbagodzinzleconych", "hours", "orderedhours"], pl: "godziny", en: "hours" },
};

const refuseOrders: RefuseFile = (rows) => new OrdersImportError(rows);

/** Reads the data rows of a CSV (`;` or `,`, UTF-8 with or without BOM) or XLSX file; the kind is told by the name or the ZIP signature. */
export async function readOrderRows(fileName: string, bytes: Uint8Array): Promise<OrderRow[]> {
  return namedRows(await readTable(fileName, bytes, refuseOrders), orderColumns, refuseOrders);
}

/** Hours as text (`6`, `6,5`, `6.25`, `1:30`) to whole minutes, or undefined when not a positive whole number of minutes. */
export function parseHours(text: string): number | undefined {
  const t = text.trim();
  let minutes: number;
  const hhmm = /^(\d{1,3}):([0-5]\d)$/.exec(t);
  if (hhmm) minutes = +hhmm[1] * 60 + +hhmm[2];
  else if (/^\d{1,3}([.,]\d{1,4})?$/.test(t)) minutes = Number(t.replace(",", ".")) * 60;
  else return undefined;
  const whole = Math.round(minutes);
  if (Math.abs(minutes - whole) > 1e-6 || whole <= 0 || whole > MAX_ORDER_HOURS * 60) return undefined;
  return whole;
}

/** Validates every row and builds the orders; any error refuses the whole file with every row's error. */
export function ordersFromRows(rows: readonly OrderRow[], ctx: OrdersImportContext): ServiceOrder[] {
  const errors: RowError[] = [];
  const fail = (row: number, pl: string, en: string) => errors.push({ row, pl, en });
  if (rows.length === 0) fail(1, "plik nie zawiera żadnego zlecenia.", "the file contains no orders.");

  const assistantsByEmail = new Map(
    ctx.assistants.filter((p) => p.active && hasRole(p, ctx.programme.id, "assistant")).map((p) => [p.email, p]),
  );
  const codes = new Set(ctx.beneficiaries.filter((b) => b.programmeId === ctx.programme.id && b.active !== false).map((b) => b.code));
  const caseload = new Map<string, Set<string>>();
  for (const o of ctx.existingOrders) {
    if (o.programmeId !== ctx.programme.id || o.month !== ctx.month) continue;
    if (!caseload.has(o.assistantId)) caseload.set(o.assistantId, new Set());
    caseload.get(o.assistantId)!.add(o.beneficiaryCode);
  }
  const seen = new Map<string, number>();
  const orders: ServiceOrder[] = [];

  for (const r of rows) {
    const rowErrors = errors.length;
    const email = normaliseEmail(r.email);
    const code = r.beneficiaryCode.trim().toUpperCase();
    const assistant = assistantsByEmail.get(email);
    if (!email) fail(r.row, "brak e-maila asystenta.", "the assistant e-mail is missing.");
    else if (!assistant) fail(r.row, `„${r.email}” nie jest asystentem programu ${ctx.programme.id}. Sprawdź adres lub dodaj osobę.`, `"${r.email}" is not an assistant of programme ${ctx.programme.id}. Check the address or add the person.`);
    if (!code) fail(r.row, "brak kodu uczestnika.", "the beneficiary code is missing.");
    else if (!codes.has(code)) fail(r.row, `nieznany kod uczestnika „${r.beneficiaryCode}”. Sprawdź kod w rejestrze programu.`, `unknown beneficiary code "${r.beneficiaryCode}". Check the code in the programme's register.`);
    const minutes = parseHours(r.hours);
    if (minutes === undefined) fail(r.row, `„${r.hours}” to niepoprawna liczba godzin. Podaj liczbę dodatnią, np. 6 lub 6,5 (najwyżej ${MAX_ORDER_HOURS}).`, `"${r.hours}" is not a valid number of hours. Give a positive number, e.g. 6 or 6.5 (at most ${MAX_ORDER_HOURS}).`);
    if (assistant && ctx.contracts && !contractForMonth(ctx.contracts.get(assistant.id) ?? [], ctx.programme.id, ctx.month)) {
      fail(r.row, `asystent ${email} nie ma w programie ${ctx.programme.id} umowy obejmującej miesiąc ${ctx.month}. Administrator programu musi najpierw dodać lub przedłużyć umowę.`, `assistant ${email} has no contract in programme ${ctx.programme.id} covering ${ctx.month}. The programme's administrator must first add or extend a contract.`);
    }
    if (errors.length > rowErrors || !assistant || minutes === undefined) continue;

    const pair = `${assistant.id}\u0000${code}`;
    const earlier = seen.get(pair);
    if (earlier !== undefined) {
      fail(r.row, `powtarza zlecenie z wiersza ${earlier} (ten sam asystent i uczestnik). Zostaw jeden wiersz.`, `repeats the order of row ${earlier} (same assistant and beneficiary). Keep one row.`);
      continue;
    }
    seen.set(pair, r.row);
    const load = caseload.get(assistant.id) ?? new Set<string>();
    caseload.set(assistant.id, load);
    load.add(code);
    if (load.size > ctx.programme.maxBeneficiariesPerAssistant) {
      fail(r.row, `asystent ${email} miałby więcej niż ${ctx.programme.maxBeneficiariesPerAssistant} uczestników w ${ctx.month}. Przydziel uczestnika innemu asystentowi.`, `assistant ${email} would have more than ${ctx.programme.maxBeneficiariesPerAssistant} beneficiaries in ${ctx.month}. Assign the beneficiary to another assistant.`);
      continue;
    }
    orders.push(
      newServiceOrder({
        programmeId: ctx.programme.id,
        month: ctx.month,
        assistantId: assistant.id,
        beneficiaryCode: code,
        orderedMinutes: minutes,
        issuedBy: ctx.issuedBy,
        issuedAt: ctx.now,
      }),
    );
  }
  if (errors.length) throw new OrdersImportError(errors);
  return orders;
}

/** Reads and validates a coordinator's orders file: all orders, or an OrdersImportError listing every bad row. */
export async function importOrdersFile(fileName: string, bytes: Uint8Array, ctx: OrdersImportContext): Promise<ServiceOrder[]> {
  return ordersFromRows(await readOrderRows(fileName, bytes), ctx);
}
