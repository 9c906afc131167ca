import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";

/** Everything a writer puts into its output stream. */
export async function bytesOf(write: (out: PassThrough) => Promise<unknown>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  await write(out);
  return Buffer.concat(chunks);
}

/** A fresh folder for files read back by external tools (LibreOffice keeps its profile there too). */
export function workDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

// Field separator ";", text delimiter '"', UTF-8 (76), from line 1, no column formats, Polish
// (1045), quoted fields not forced to text, special numbers detected, …, and token 13 set:
// formulas evaluated, as a user ticking "Evaluate formulas" in the Polish import dialogue would.
const POLISH_CSV_IMPORT = "CSV:59,34,76,1,,1045,false,true,false,false,false,false,true";

/** The cells of a CSV as LibreOffice's Polish import sees them, with any formula it would evaluate. */
export async function libreOfficeCsvCells(dir: string, name: string, csv: Buffer): Promise<{ value: unknown; formula?: string; row: number; col: number }[]> {
  mkdirSync(join(dir, "lo"), { recursive: true });
  const path = join(dir, `${name}.csv`);
  writeFileSync(path, csv);
  execFileSync(
    "soffice",
    [`-env:UserInstallation=file://${dir}/lo`, "--headless", `--infilter=${POLISH_CSV_IMPORT}`, "--convert-to", "xlsx", "--outdir", dir, path],
    { stdio: "ignore", timeout: 120_000 },
  );
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync(join(dir, `${name}.xlsx`)) as unknown as ArrayBuffer);
  const cells: { value: unknown; formula?: string; row: number; col: number }[] = [];
  workbook.worksheets[0].eachRow((row, r) =>
    row.eachCell((cell, c) => cells.push({ value: cell.value, formula: cell.formula || undefined, row: r, col: c })),
  );
  return cells;
}

/** The text layer of a PDF as pdftotext reads it. */
export function pdfTextOf(dir: string, name: string, pdf: Buffer, args: string[] = []): string {
  const path = join(dir, `${name}.pdf`);
  writeFileSync(path, pdf);
  return execFileSync("pdftotext", [...args, path, "-"]).toString("utf8");
}

export type WordBox = { page: number; text: string; xMin: number; yMin: number; xMax: number; yMax: number };

/** Every word of a PDF with its box, from `pdftotext -bbox`. */
export function pdfWordBoxes(dir: string, name: string, pdf: Buffer): WordBox[] {
  const html = pdfTextOf(dir, name, pdf, ["-bbox"]);
  const words: WordBox[] = [];
  let page = 0;
  for (const m of html.matchAll(/<page[^>]*>|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
    if (m[0].startsWith("<page")) {
      page++;
      continue;
    }
    words.push({ page, text: m[5], xMin: +m[1], yMin: +m[2], xMax: +m[3], yMax: +m[4] });
  }
  return words;
}

/** Pairs of words on the same page whose boxes overlap by more than `tolerance` points both ways. */
export function overlappingWords(words: WordBox[], tolerance = 0.5): [WordBox, WordBox][] {
  const overlaps: [WordBox, WordBox][] = [];
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 1; j < words.length; j++) {
      const a = words[i];
      const b = words[j];
      if (a.page !== b.page) continue;
      const x = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
      const y = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin);
      if (x > tolerance && y > tolerance) overlaps.push([a, b]);
    }
  }
  return overlaps;
}
