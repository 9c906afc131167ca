import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { writeBatchCsv } from "./csv.js";
import { slug } from "./format.js";
import { Sha256PassThrough } from "./hash.js";
import { BatchHeader, CONTENT_TYPES, type BatchLine, type ReportCard, type Rows } from "./model.js";
import { writeBillPdf, writeReportCardPdf } from "./pdf.js";
import { writeBatchXlsx } from "./xlsx.js";
import { writePdfZip, type ZipEntry } from "./zip.js";

export * from "./amount-words.js";
export * from "./columns.js";
export * from "./csv.js";
export * from "./finance-email.js";
export * from "./format.js";
export * from "./hash.js";
export * from "./model.js";
export * from "./pdf.js";
export * from "./safe-cell.js";
export * from "./xlsx.js";
export * from "./zip.js";

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

function sequence(n: number): string {
  return String(n).padStart(6, "0");
}

async function* pdfEntries(
  header: BatchHeader,
  lines: () => Rows<BatchLine>,
  cards: () => Rows<ReportCard>,
): AsyncGenerator<ZipEntry> {
  let n = 0;
  for await (const line of lines()) {
    yield {
      name: `rachunki/${sequence(++n)}-${slug(line.assistantName)}.pdf`,
      write: (out) => writeBillPdf(line, header, out),
    };
  }
  n = 0;
  for await (const card of cards()) {
    yield {
      // by its readable number when it has one, so a card is found from a CSV row or a bill
      name: `sprawozdania/${sequence(++n)}-${slug(card.reportNumber ?? card.reportId, 64)}-v${card.version}.pdf`,
      write: (out) => writeReportCardPdf(card, out),
    };
  }
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
  await mkdir(dir, { recursive: true });
  const files: BatchFile[] = [];
  try {
    files.push(await produceFile(dir, names.csv, CONTENT_TYPES.csv, (out) => writeBatchCsv(h, lines(), out)));
    files.push(await produceFile(dir, names.xlsx, CONTENT_TYPES.xlsx, (out) => writeBatchXlsx(h, lines(), cards(), out)));
    files.push(
      await produceFile(dir, names.zip, CONTENT_TYPES.zip, (out) =>
        writePdfZip(pdfEntries(h, lines, cards), out, { mtime: new Date(h.createdAt) }),
      ),
    );
  } catch (error) {
    // a batch is sent whole or not at all
    await Promise.all(files.map((f) => rm(f.path, { force: true })));
    throw error;
  }
  return { files };
}
