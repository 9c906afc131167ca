// Reading the spreadsheets centres keep (CSV with ";" or ",", UTF-8 with or without BOM, or
// XLSX) into rows of text, and finding the columns by their headings in Polish or English. Used
// by every import (orders, beneficiaries): one reader, one way of naming the file's problems.
import { parse as parseCsv } from "csv-parse/sync";
import type { DomainError } from "./errors.js";

export type RowError = { row: number; pl: string; en: string };
/** Turns the file's problems into the import's own error (it lists every row, refuses the whole file). */
export type RefuseFile = (rows: RowError[]) => DomainError;
export type TableRow = { row: number; cells: string[] };

/** A heading without accents, case and punctuation ("E-mail asystenta" → "emailasystenta"). */
export const normaliseHeader = (h: string) =>
  h
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/ł/g, "l")
    .toLowerCase()
    .replace(/[^a-z]/g, "");

/**
 * The data rows (empty ones skipped) as records of the named columns, found by any of their
 * accepted headings; a missing column refuses the file naming the required headings.
 */
export function namedRows<F extends string>(table: TableRow[], columns: Record<F, { names: string[]; pl: string; en: string }>, refuse: RefuseFile): ({ row: number } & Record<F, string>)[] {
  const [header, ...data] = table;
  if (!header) throw refuse([{ row: 1, pl: "plik jest pusty.", en: "the file is empty." }]);
  const normalised = header.cells.map((h) => normaliseHeader(h ?? ""));
  const found = Object.entries(columns).map(([field, c]) => [field, normalised.findIndex((h) => (c as { names: string[] }).names.includes(h))] as const);
  if (found.some(([, i]) => i < 0)) {
    const specs = Object.values(columns) as { pl: string; en: string }[];
    throw refuse([
      {
        row: 1,
        pl: `brak kolumn w nagłówku. Wymagane kolumny: ${specs.map((c) => `„${c.pl}”`).join(", ")} (znaleziono: ${header.cells.join(" | ")}).`,
        en: `the header lacks required columns. Required: ${specs.map((c) => `"${c.en}"`).join(", ")} (found: ${header.cells.join(" | ")}).`,
      },
    ]);
  }
  return data
    .filter((r) => r.cells.some((c) => c !== ""))
    .map((r) => ({ row: r.row, ...Object.fromEntries(found.map(([field, i]) => [field, r.cells[i] ?? ""])) }) as { row: number } & Record<F, string>);
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

function csvTable(bytes: Uint8Array, refuse: RefuseFile): TableRow[] {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw refuse([{ row: 1, pl: "plik nie jest zapisany w UTF-8. Zapisz go jako „CSV UTF-8”.", en: 'the file is not UTF-8. Save it as "CSV UTF-8".' }]);
  }
  text = text.replace(/^\uFEFF/, "");
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, { delimiter, info: true, relax_column_count: true, skip_empty_lines: false, trim: true }) as never;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    throw refuse([{ row: line, pl: `plik CSV jest uszkodzony (${(error as Error).message}).`, en: `the CSV file is malformed (${(error as Error).message}).` }]);
  }
  return records.map((r) => ({ row: r.info.lines, cells: r.record.map((c) => c.trim()) }));
}

async function xlsxTable(bytes: Uint8Array, refuse: RefuseFile): Promise<TableRow[]> {
  // Loaded here rather than at the top: a CommonJS package imported at module level stays in
  // every bundle that reaches this module (through the service-orders adapter, most API
  // functions), although only the imports read XLSX. Only exceljs's Workbook is loaded, not
  // its streaming reader and writer (functions/core/exceljs-parts.d.ts).
  const { default: Workbook } = await import("exceljs/lib/doc/workbook.js");
  const workbook = new Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw refuse([{ row: 1, pl: `nie można odczytać pliku XLSX (${(error as Error).message}).`, en: `the XLSX file cannot be read (${(error as Error).message}).` }]);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw refuse([{ row: 1, pl: "skoroszyt nie ma arkusza.", en: "the workbook has no sheet." }]);
  const table: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = Array.isArray(row.values) ? row.values.slice(1) : [];
    table.push({ row: rowNumber, cells: Array.from(values, cellText) });
  });
  return table;
}

/** Reads a CSV (`;` or `,`, UTF-8 with or without BOM) or XLSX file into rows of text; the kind is told by the name or the ZIP signature. */
export async function readTable(fileName: string, bytes: Uint8Array, refuse: RefuseFile): Promise<TableRow[]> {
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  return fileName.toLowerCase().endsWith(".xlsx") || isZip ? xlsxTable(bytes, refuse) : csvTable(bytes, refuse);
}
