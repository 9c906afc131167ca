import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { slug } from "./format.js";
import { Sha256PassThrough } from "./hash.js";
import { BatchHeader, CONTENT_TYPES, type BatchLine, type ReportCard, type Rows } from "./model.js";
import { assembleBatchFile, PAGE_PARTS, writeBatchPage, type PagePart, type PageSource } from "./pages.js";

export * from "./amount-words.js";
export * from "./columns.js";
export * from "./csv.js";
export * from "./finance-email.js";
export * from "./format.js";
export * from "./hash.js";
export * from "./model.js";
export * from "./pages.js";
export * from "./pdf.js";
export * from "./safe-cell.js";
export * from "./xlsx.js";
export * from "./zip.js";
export * from "./zip-container.js";

/** One produced file of a batch, as the workflow uploads and lists it. */
export type BatchFile = { name: string; path: string; bytes: number; sha256: string; contentType: string };

/**
 * The deterministic file names of a batch, karta-<programme>-<month>-<sequence>.csv / .xlsx / -pdf.zip
 * (`karta-krakow-aou-2026-12-p01.csv`): a batch id already starts with its programme and month
 * (core/batch.ts, batchIdOf), so only the rest of it, unique within the month, is added.
 */
export function batchFileNames(header: Pick<BatchHeader, "programmeId" | "month" | "batchId">): {
  csv: string;
  xlsx: string;
  zip: string;
} {
  const cycle = `${header.programmeId}-${header.month}-`;
  const own = header.batchId.startsWith(cycle) && header.batchId.length > cycle.length ? header.batchId.slice(cycle.length) : header.batchId;
  const base = `karta-${slug(header.programmeId)}-${header.month}-${slug(own, 64)}`;
  return { csv: `${base}.csv`, xlsx: `${base}.xlsx`, zip: `${base}-pdf.zip` };
}

/** Writes one file through a SHA-256 counter; the file appears under its name only when complete. */
async function produceFile(
  dir: string,
  name: string,
  contentType: string,
  write: (out: Writable) => Promise<unknown>,
): Promise<BatchFile> {
  const path = join(dir, name);
  const partial = `${path}.part`;
  const hash = new Sha256PassThrough();
  const saved = pipeline(hash, createWriteStream(partial));
  saved.catch(() => undefined); // awaited below, after the writer
  try {
    await write(hash);
    await saved;
  } catch (error) {
    hash.destroy(error as Error);
    await saved.catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
  await rename(partial, path);
  return { name, path, bytes: hash.bytes, sha256: hash.sha256, contentType };
}

/**
 * Writes the batch's CSV, XLSX and ZIP of PDFs (bills, then report cards) into `dir`, streaming;
 * `lines` and `cards` are called once per file that needs them, so each call must start a fresh iteration.
 */
export async function writeBatchFiles(
  header: BatchHeader,
  lines: () => Rows<BatchLine>,
  cards: () => Rows<ReportCard>,
  dir: string,
): Promise<{ files: BatchFile[] }> {
  const h = BatchHeader.parse(header);
  const names = batchFileNames(h);
  const parts = join(dir, ".parts");
  await mkdir(parts, { recursive: true });
  const files: BatchFile[] = [];
  try {
    // one page holding the whole batch, joined as the workflow joins many (core/exports/pages.ts)
    const outs = Object.fromEntries(PAGE_PARTS.map((p) => [p, createWriteStream(join(parts, p)) as Writable])) as Record<PagePart, Writable>;
    const index = await writeBatchPage(h, { page: 0, assistantsBefore: 0, reportsBefore: 0, rowsBefore: 0 }, lines, cards, outs);
    const page: PageSource = { index, open: (part) => createReadStream(join(parts, part)) };
    for (const kind of ["csv", "xlsx", "zip"] as const) {
      files.push(await produceFile(dir, names[kind], CONTENT_TYPES[kind], (out) => assembleBatchFile(kind, h, [page], out)));
    }
  } catch (error) {
    // a batch is sent whole or not at all
    await Promise.all(files.map((f) => rm(f.path, { force: true })));
    throw error;
  } finally {
    await rm(parts, { recursive: true, force: true });
  }
  return { files };
}
