import { parse as parseCsv } from "csv-parse/sync";
import type { Beneficiary } from "./beneficiary.js";
import { OrdersImportError } from "./errors.js";
import { hasRole, normaliseEmail, type Person } from "./person.js";
import type { Programme } from "./programme.js";
import { newServiceOrder, type ServiceOrder } from "./service-order.js";

/** One data row of the coordinator's spreadsheet, as text, with its row number in the file (header = 1). */
export type OrderRow = { row: number; email: string; beneficiaryCode: string; hours: string };

export type RowError = { row: number; pl: string; en: string };

export type OrdersImportContext = {
  programme: Programme;
  month: string;
  /** People of the programme (only those with the assistant role can receive orders). */
  assistants: readonly Person[];
  beneficiaries: readonly Beneficiary[];
  /** Orders already stored for the programme and month (they count towards the caseload). */
  existingOrders: readonly ServiceOrder[];
  issuedBy: string;
  now: string;
};

const MAX_ORDER_HOURS = 744; // every hour of a 31-day month

const normaliseHeader = (h: string) =>
  h
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/ł/g, "l")
    .toLowerCase()
    .replace(/[^a-z]/g, "");

const headerNames: Record<keyof Omit<OrderRow, "row">, string[]> = {
  email: ["emailasystenta", "adresemailasystenta", "email", "assistantemail", "emailassistant"],
  beneficiaryCode: ["koduczestnika", "kodbeneficjenta", "kodosoby", "kod", "uczestnik", "beneficiarycode", "beneficiary", "code"],
  hours: ["godziny", "liczbagodzin", "godz", "liczbagodzinzleconych", "hours", "orderedhours"],
};

function columnsOf(header: string[]): Record<keyof Omit<OrderRow, "row">, number> | RowError {
  const normalised = header.map((h) => normaliseHeader(h ?? ""));
  const found = Object.fromEntries(
    Object.entries(headerNames).map(([field, names]) => [field, normalised.findIndex((h) => names.includes(h))]),
  ) as Record<keyof Omit<OrderRow, "row">, number>;
  const missing = Object.entries(found).filter(([, i]) => i < 0).map(([f]) => f);
  if (missing.length === 0) return found;
  return {
    row: 1,
    pl: `brak kolumn w nagłówku. Wymagane kolumny: „e-mail asystenta”, „kod uczestnika”, „godziny” (znaleziono: ${header.join(" | ")}).`,
    en: `the header lacks required columns. Required: "assistant e-mail", "beneficiary code", "hours" (found: ${header.join(" | ")}).`,
  };
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return value.trim();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") {
    const v = value as { text?: unknown; result?: unknown; richText?: { text: string }[]; hyperlink?: string };
    if (v.richText) return v.richText.map((t) => t.text).join("").trim();
    if (v.text !== undefined) return cellText(v.text);
    if (v.result !== undefined) return cellText(v.result);
  }
  return String(value).trim();
}

function rowsFromTable(table: { row: number; cells: string[] }[]): OrderRow[] {
  const [header, ...data] = table;
  if (!header) throw new OrdersImportError([{ row: 1, pl: "plik jest pusty.", en: "the file is empty." }]);
  const columns = columnsOf(header.cells);
  if ("row" in columns) throw new OrdersImportError([columns]);
  return data
    .filter((r) => r.cells.some((c) => c !== ""))
    .map((r) => ({
      row: r.row,
      email: r.cells[columns.email] ?? "",
      beneficiaryCode: r.cells[columns.beneficiaryCode] ?? "",
      hours: r.cells[columns.hours] ?? "",
    }));
}

function csvRows(bytes: Uint8Array): OrderRow[] {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new OrdersImportError([{ row: 1, pl: "plik nie jest zapisany w UTF-8. Zapisz go jako „CSV UTF-8”.", en: 'the file is not UTF-8. Save it as "CSV UTF-8".' }]);
  }
  text = text.replace(/^\uFEFF/, "");
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, { delimiter, info: true, relax_column_count: true, skip_empty_lines: false, trim: true }) as never;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    throw new OrdersImportError([{ row: line, pl: `plik CSV jest uszkodzony (${(error as Error).message}).`, en: `the CSV file is malformed (${(error as Error).message}).` }]);
  }
  return rowsFromTable(records.map((r) => ({ row: r.info.lines, cells: r.record.map((c) => c.trim()) })));
}

async function xlsxRows(bytes: Uint8Array): Promise<OrderRow[]> {
  // Loaded here rather than at the top: a CommonJS package imported at module level stays in
  // every bundle that reaches this module (through the service-orders adapter, most API
  // functions), although only the orders import reads XLSX. Only exceljs's Workbook is
  // loaded, not its streaming reader and writer (functions/core/exceljs-parts.d.ts).
  const { default: Workbook } = await import("exceljs/lib/doc/workbook.js");
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw new OrdersImportError([{ row: 1, pl: `nie można odczytać pliku XLSX (${(error as Error).message}).`, en: `the XLSX file cannot be read (${(error as Error).message}).` }]);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new OrdersImportError([{ row: 1, pl: "skoroszyt nie ma arkusza.", en: "the workbook has no sheet." }]);
  const table: { row: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    table.push({ row: rowNumber, cells: Array.from(values, cellText) });
  });
  return rowsFromTable(table);
}

/** Reads the data rows of a CSV (`;` or `,`, UTF-8 with or without BOM) or XLSX file; the kind is told by the name or the ZIP signature. */
export async function readOrderRows(fileName: string, bytes: Uint8Array): Promise<OrderRow[]> {
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  return fileName.toLowerCase().endsWith(".xlsx") || isZip ? xlsxRows(bytes) : csvRows(bytes);
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
    ctx.assistants.filter((p) => hasRole(p, ctx.programme.id, "assistant")).map((p) => [p.email, p]),
  );
  const codes = new Set(ctx.beneficiaries.filter((b) => b.programmeId === ctx.programme.id).map((b) => b.code));
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
