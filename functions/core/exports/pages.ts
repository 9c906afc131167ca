import { PassThrough, type Readable, type Writable } from "node:stream";
import * as z from "zod";
import { writeCsvFromPages, writeCsvRecords } from "./csv.js";
import { slug } from "./format.js";
import { BatchHeader, BatchTotals, forEachRow, type BatchLine, type ReportCard, type Rows } from "./model.js";
import { writeBillPdf, writeReportCardPdf } from "./pdf.js";
import { writeXlsxFromPages, writeXlsxPageRows } from "./xlsx.js";
import { ZipRecord, ZipWriter } from "./zip-container.js";

/**
 * A batch's files written page by page: each page of assistants (whole, in file order) writes
 * its share of every file as parts — CSV records, the rows of both sheets, the bills and the
 * report cards as ZIP entries — and one last step joins the parts into the three files,
 * streaming, without rendering anything again. Bounded work per step whatever the batch's size:
 * the national month (60,000 reports) is some 150 pages of 400.
 */

/** Reports a page holds, about: pages end at an assistant's last report. */
export const PAGE_REPORTS = 400;

/** The parts a page writes, in the order the files need them. */
export const PAGE_PARTS = ["csv", "summary", "reports", "bills", "cards"] as const;
export type PagePart = (typeof PAGE_PARTS)[number];

/** Where a page starts in the files: what the pages before it hold. */
export const PageStart = z.object({
  /** Bills (assistants) before this page: a bill's number in the archive. */
  assistantsBefore: z.number().int().nonnegative(),
  /** Report cards before this page. */
  reportsBefore: z.number().int().nonnegative(),
  /** Sheet rows (rate lines) before this page, on either sheet. */
  rowsBefore: z.number().int().nonnegative(),
});
export type PageStart = z.infer<typeof PageStart>;

/** One page of a batch's plan: its assistants, in file order, and where it starts. */
export const PagePlan = PageStart.extend({
  batchId: z.string().min(1),
  page: z.number().int().nonnegative(),
  assistantIds: z.array(z.string().min(1)).min(1),
});
export type PagePlan = z.infer<typeof PagePlan>;

const ZipPartIndex = z.object({ bytes: z.number().int().nonnegative(), records: z.array(ZipRecord) });
const ReportSums = z.object({ minutes: z.number().int().nonnegative(), grosze: z.number().int().nonnegative() });

/** What a page wrote: enough to join its parts without reading them first. */
export const PageIndex = z.object({
  page: z.number().int().nonnegative(),
  totals: BatchTotals,
  rows: z.number().int().nonnegative(),
  reportSums: ReportSums,
  bills: ZipPartIndex,
  cards: ZipPartIndex,
});
export type PageIndex = z.infer<typeof PageIndex>;

/** Cuts assistants (in file order, with their report and rate-line counts) into pages of about `size` reports, each assistant whole. */
export function planPages(
  batchId: string,
  assistants: readonly { assistantId: string; reports: number; rateLines: number }[],
  size = PAGE_REPORTS,
): PagePlan[] {
  const pages: PagePlan[] = [];
  const before = { assistantsBefore: 0, reportsBefore: 0, rowsBefore: 0 };
  let current: PagePlan | undefined;
  let reports = 0;
  for (const a of assistants) {
    if (!current || reports >= size) {
      current = { batchId, page: pages.length, assistantIds: [], ...before };
      pages.push(current);
      reports = 0;
    }
    current.assistantIds.push(a.assistantId);
    reports += a.reports;
    before.assistantsBefore += 1;
    before.reportsBefore += a.reports;
    before.rowsBefore += a.rateLines;
  }
  return pages;
}

function sequence(n: number): string {
  return String(n).padStart(6, "0");
}

/** The archive's names: bills by their assistant's place, cards by their readable number. */
export function billEntryName(position: number, assistantName: string): string {
  return `rachunki/${sequence(position)}-${slug(assistantName)}.pdf`;
}
export function cardEntryName(position: number, card: Pick<ReportCard, "reportNumber" | "reportId" | "version">): string {
  return `sprawozdania/${sequence(position)}-${slug(card.reportNumber ?? card.reportId, 64)}-v${card.version}.pdf`;
}

async function rendered(write: (out: Writable) => Promise<void>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (chunk: Buffer) => chunks.push(chunk));
  await write(out);
  return Buffer.concat(chunks);
}

/** Writes one page's parts into `outs`; `lines` and `cards` (the page's, in file order) are called once per part that needs them. */
export async function writeBatchPage(
  header: BatchHeader,
  start: PageStart & { page: number },
  lines: () => Rows<BatchLine>,
  cards: () => Rows<ReportCard>,
  outs: Record<PagePart, Writable>,
): Promise<PageIndex> {
  const h = BatchHeader.parse(header);
  const totals = await writeCsvRecords(h, lines(), outs.csv);
  const sheets = await writeXlsxPageRows(h, lines(), cards(), start.rowsBefore, outs.summary, outs.reports);
  const bills = new ZipWriter(outs.bills);
  let n = start.assistantsBefore;
  try {
    await forEachRow(lines(), async (line) => bills.addBuffer(billEntryName(++n, line.assistantName), await rendered((out) => writeBillPdf(line, h, out))));
  } catch (error) {
    await bills.destroy(error as Error);
    throw error;
  }
  const cardsZip = new ZipWriter(outs.cards);
  n = start.reportsBefore;
  try {
    await forEachRow(cards(), async (card) => cardsZip.addBuffer(cardEntryName(++n, card), await rendered((out) => writeReportCardPdf(card, out))));
  } catch (error) {
    await cardsZip.destroy(error as Error);
    throw error;
  }
  return { page: start.page, totals, rows: sheets.rows, reportSums: sheets.reports, bills: await bills.endPart(), cards: await cardsZip.endPart() };
}

/** A page written earlier: its index and its parts to read. */
export type PageSource = { index: PageIndex; open(part: PagePart): Promise<Readable> | Readable };

/** The three files of a batch. */
export type AssembledKind = "csv" | "xlsx" | "zip";

/**
 * Joins the pages' parts, in page order, into one of the batch's files — CSV, XLSX, or the ZIP
 * of PDFs (bills, then report cards) — streaming; the CSV and XLSX reject before writing
 * anything when the pages do not add up to the header's control totals.
 */
export async function assembleBatchFile(kind: AssembledKind, header: BatchHeader, pages: readonly PageSource[], out: Writable): Promise<void> {
  const h = BatchHeader.parse(header);
  if (kind === "csv") {
    await writeCsvFromPages(h, pages.map((p) => ({ totals: p.index.totals, open: () => p.open("csv") })), out);
    return;
  }
  if (kind === "xlsx") {
    const parts = pages.map((p) => ({ rows: p.index.rows, totals: p.index.totals, reports: p.index.reportSums, summaryXml: () => p.open("summary"), reportsXml: () => p.open("reports") }));
    await writeXlsxFromPages(h, parts, out);
    return;
  }
  const zip = new ZipWriter(out);
  try {
    for (const part of ["bills", "cards"] as const) {
      for (const p of pages) await zip.addPart({ ...p.index[part], open: () => p.open(part) });
    }
    await zip.end();
  } catch (error) {
    await zip.destroy(error as Error);
    throw error;
  }
}
