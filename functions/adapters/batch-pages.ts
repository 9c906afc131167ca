import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  assistantsBySurname,
  batchHeader,
  numberedLines,
  paymentLines,
  reportCardOf,
  reportNumbering,
  type Batch,
  type BatchFileRecord,
  type NumberedReportLine,
} from "../core/batch.js";
import type { Report } from "../core/report.js";
import {
  assembleBatchFile,
  batchFileNames,
  CONTENT_TYPES,
  PAGE_PARTS,
  PAGE_REPORTS,
  PageIndex,
  PagePlan,
  planPages,
  Sha256PassThrough,
  writeBatchPage,
  type AssembledKind,
  type PagePart,
  type PageSource,
  type ReportCard,
} from "../core/exports/index.js";
import { NotFoundError } from "../core/errors.js";
import type { Person } from "../core/person.js";
import type { Programme } from "../core/programme.js";
import { billContract } from "../core/contract.js";
import { getBeneficiary } from "./beneficiaries.js";
import { findContracts, type PersonContracts } from "./contracts.js";
import { batchLines, batchLinesOfAssistants } from "./batches.js";
import { objectKeys } from "./keys.js";
import { openStoredFile, readStoredFile, storeBuffer, storeFile, uploadStream } from "./object-store.js";
import { findPerson } from "./people.js";
import { reportVersionRead } from "./reports.js";
import { readTogether } from "./dynamo.js";

/**
 * The payment files of a batch, built page by page (core/exports/pages.ts): "Build the payment
 * batch" plans the pages, "Write the payment files page by page" (a Distributed Map) writes each
 * page's parts to S3, "Assemble the payment files" joins them into the three files. Each step
 * reads and writes a bounded amount whatever the batch's size, and every step can run again.
 */

/** Page parts are working copies: kept a week (the bucket's lifecycle rule removes them), the files themselves for years. */
const PAGE_PART_DAYS = 7;

type BatchRef = Pick<Batch, "programmeId" | "month" | "batchId">;

/** Runs `each` over `items` with at most `limit` at once, keeping the order of the results. */
async function inParallel<T, R>(items: readonly T[], limit: number, each: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await each(items[i]);
      }
    }),
  );
  return results;
}

/**
 * Plans the batch's pages: its assistants by surname (the files' order), each with how many
 * reports and rate lines it has, cut into pages of whole assistants; stores the plan as the
 * JSON array the Distributed Map reads. Returns its key and the number of pages.
 */
export async function planBatchPages(batch: Batch, size = PAGE_REPORTS): Promise<{ key: string; pages: number }> {
  const counts = new Map<string, { reports: number; rateLines: number }>();
  for await (const line of batchLines(batch.batchId)) {
    const c = counts.get(line.assistantId) ?? { reports: 0, rateLines: 0 };
    c.reports += 1;
    c.rateLines += line.rateLines.length;
    counts.set(line.assistantId, c);
  }
  const ids = [...counts.keys()];
  const names = new Map(ids.map((id, i) => [id, i]));
  const people = await inParallel(ids, 16, (id) => findPerson(id));
  const order = await assistantsBySurname(ids, async (id) => people[names.get(id)!]?.name ?? id);
  const plan = planPages(batch.batchId, order.map((id) => ({ assistantId: id, ...counts.get(id)! })), size);
  const key = objectKeys.batchPlan(batch);
  await storeBuffer({ key, data: Buffer.from(JSON.stringify(plan), "utf8"), contentType: "application/json", retainUntil: partsRetainUntil(batch) });
  return { key, pages: plan.length };
}

function partsRetainUntil(batch: Pick<Batch, "createdAt">): string {
  // from the batch's own time, so a re-run stores the same retention
  return new Date(Date.parse(batch.createdAt) + PAGE_PART_DAYS * 86_400_000).toISOString();
}

/** What the files of one page print beyond the lines: names, initials, approvers, and each assistant's contract number and account of `month`. */
function lookups(programme: Programme, month?: string) {
  const people = new Map<string, Promise<Person | undefined>>();
  const person = (id: string) => {
    let found = people.get(id);
    if (!found) people.set(id, (found = findPerson(id)));
    return found;
  };
  const initials = new Map<string, Promise<string | undefined>>();
  const initialsOf = (code: string) => {
    let found = initials.get(code);
    if (!found) {
      found = getBeneficiary(programme.id, code).then(
        (b) => b.initials,
        (error) => (error instanceof NotFoundError ? undefined : Promise.reject(error)),
      );
      initials.set(code, found);
    }
    return found;
  };
  const contracts = new Map<string, Promise<PersonContracts>>();
  const assistant = async (id: string) => {
    const found = await person(id);
    if (!found || !month) return found ?? { name: id };
    let recorded = contracts.get(id);
    if (!recorded) contracts.set(id, (recorded = findContracts(id)));
    return { ...found, ...billContract(found, (await recorded).contracts, programme.id, month) };
  };
  const approverName = async (id: string) => (await person(id))?.name ?? id;
  return { assistant, approverName, initialsOf };
}

/**
 * Writes one page's parts into `outs` from DynamoDB: the page's assistants' lines (in the
 * plan's order), numbered from the assistants before it, their immutable approved versions and
 * the names they print.
 */
export async function writePageParts(batch: Batch, programme: Programme, plan: PagePlan, outs: Record<PagePart, Writable>): Promise<PageIndex> {
  const header = batchHeader(batch, programme);
  const { assistant, approverName, initialsOf } = lookups(programme, batch.month);
  const numbering = reportNumbering(batch, programme);
  const ordered = () => numberedLines(batchLinesOfAssistants(batch.batchId, plan.assistantIds), numbering, plan.assistantsBefore);
  const lines = () => paymentLines(ordered(), batch.month, assistant, approverName);
  async function* cards(): AsyncGenerator<ReportCard> {
    const page: NumberedReportLine[] = [];
    for await (const line of ordered()) page.push(line);
    // the approved versions 100 to a BatchGetItem (a page is some 400 reports)
    const versions: (Report & { contentHash: string })[] = [];
    for (let i = 0; i < page.length; i += 100) {
      const found = await readTogether(page.slice(i, i + 100).map((l) => reportVersionRead(l.reportId, l.version)));
      found.forEach((v, j) => {
        if (!v) throw new NotFoundError("report version", `${page[i + j].reportId}/v${page[i + j].version}`);
        versions.push(v);
      });
    }
    for (const [i, line] of page.entries()) {
      const version = versions[i];
      yield reportCardOf(version, line, {
        programme,
        assistantName: (await assistant(line.assistantId)).name,
        beneficiaryInitials: await initialsOf(line.beneficiaryCode),
        approverName: await approverName(line.approvedBy),
      });
    }
  }
  // held for the page (some 400 reports): each part reads them again
  const pageLines = await arrayOf(lines());
  const pageCards = await arrayOf(cards());
  return writeBatchPage(header, plan, () => pageLines, () => pageCards, outs);
}

async function arrayOf<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

/** Writes one page of the batch and stores its parts and index in S3 (the same keys and bytes on a re-run). */
export async function writeStoredBatchPage(batch: Batch, programme: Programme, plan: PagePlan): Promise<PageIndex> {
  const dir = await mkdtemp(join(tmpdir(), "karta-page-"));
  try {
    const hashes = PAGE_PARTS.map(() => new Sha256PassThrough());
    const saved = PAGE_PARTS.map((part, i) => pipeline(hashes[i], createWriteStream(join(dir, part))));
    saved.forEach((s) => s.catch(() => undefined)); // awaited below
    const outs = Object.fromEntries(PAGE_PARTS.map((part, i) => [part, hashes[i] as Writable])) as Record<PagePart, Writable>;
    const index = await writePageParts(batch, programme, plan, outs);
    await Promise.all(saved);
    const until = partsRetainUntil(batch);
    await inParallel([...PAGE_PARTS], 5, (part) => {
      const h = hashes[PAGE_PARTS.indexOf(part)];
      const key = objectKeys.batchPagePart(batch, plan.page, part);
      return storeFile({ key, path: join(dir, part), bytes: h.bytes, sha256: h.sha256, contentType: "application/octet-stream", retainUntil: until });
    });
    await storeBuffer({
      key: objectKeys.batchPagePart(batch, plan.page, "index.json"),
      data: Buffer.from(JSON.stringify(index), "utf8"),
      contentType: "application/json",
      retainUntil: until,
    });
    return index;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The pages a step wrote, read back from S3 (indexes now, parts as each is joined). */
async function storedPages(batch: BatchRef, pages: number): Promise<PageSource[]> {
  const indexes = await inParallel(
    Array.from({ length: pages }, (_, i) => i),
    16,
    async (page) => PageIndex.parse(JSON.parse((await readStoredFile(objectKeys.batchPagePart(batch, page, "index.json"))).toString("utf8"))),
  );
  return indexes.map((index) => ({ index, open: (part: PagePart) => openStoredFile(objectKeys.batchPagePart(batch, index.page, part)) }));
}

const KINDS: AssembledKind[] = ["csv", "xlsx", "zip"];

/**
 * Joins the stored pages into the batch's three files, each streamed into S3 (a multipart
 * upload) under its key with its size and SHA-256 counted on the way; returns the records
 * to keep on the batch.
 */
export async function assembleStoredBatch(batch: Batch, programme: Programme, pages: number, retainUntil: string): Promise<BatchFileRecord[]> {
  const header = batchHeader(batch, programme);
  const names = batchFileNames(header);
  const sources = await storedPages(batch, pages);
  const records: BatchFileRecord[] = [];
  for (const kind of KINDS) {
    const name = names[kind];
    const hash = new Sha256PassThrough();
    const key = objectKeys.batchFile(batch, name);
    const uploaded = uploadStream({ key, body: hash, contentType: CONTENT_TYPES[kind], retainUntil });
    uploaded.catch(() => undefined); // awaited below, after the writer
    try {
      await assembleBatchFile(kind, header, sources, hash);
    } catch (error) {
      hash.destroy(error as Error);
      await uploaded.catch(() => undefined);
      throw error;
    }
    const stored = await uploaded;
    records.push({ name, bytes: hash.bytes, sha256: hash.sha256, ...stored });
  }
  return records;
}

/**
 * Writes a batch's CSV, XLSX and ZIP of PDFs into `dir` from what DynamoDB holds, as one page
 * joined the way the workflow joins many: the same bytes the workflow stores.
 */
export async function writeStoredBatchFiles(batch: Batch, programme: Programme, dir: string): Promise<{ files: { name: string; path: string; bytes: number; sha256: string; contentType: string }[] }> {
  const header = batchHeader(batch, programme);
  const parts = join(dir, ".parts");
  await mkdir(parts, { recursive: true });
  try {
    const assistants: { assistantId: string; reports: number; rateLines: number }[] = [];
    for await (const line of batchLines(batch.batchId)) {
      if (assistants.at(-1)?.assistantId !== line.assistantId) assistants.push({ assistantId: line.assistantId, reports: 0, rateLines: 0 });
      assistants.at(-1)!.reports += 1;
      assistants.at(-1)!.rateLines += line.rateLines.length;
    }
    const { assistant } = lookups(programme);
    const order = await assistantsBySurname(assistants.map((a) => a.assistantId), async (id) => (await assistant(id)).name);
    const plan: PagePlan = { batchId: batch.batchId, page: 0, assistantIds: order, assistantsBefore: 0, reportsBefore: 0, rowsBefore: 0 };
    const written = PAGE_PARTS.map((part) => createWriteStream(join(parts, part)));
    const outs = Object.fromEntries(PAGE_PARTS.map((part, i) => [part, written[i] as Writable])) as Record<PagePart, Writable>;
    const index = order.length ? await writePageParts(batch, programme, plan, outs) : undefined;
    if (!index) written.forEach((w) => w.end());
    const sources: PageSource[] = index ? [{ index, open: (part) => createReadStream(join(parts, part)) }] : [];
    const names = batchFileNames(header);
    const files = [];
    for (const kind of KINDS) {
      const path = join(dir, names[kind]);
      const hash = new Sha256PassThrough();
      const saved = pipeline(hash, createWriteStream(path));
      await assembleBatchFile(kind, header, sources, hash);
      await saved;
      files.push({ name: names[kind], path, bytes: hash.bytes, sha256: hash.sha256, contentType: CONTENT_TYPES[kind] });
    }
    return { files };
  } finally {
    await rm(parts, { recursive: true, force: true });
  }
}

/**
 * Stores each built file of the batch once in S3 under its key (objectKeys.batchFile), kept
 * until `retainUntil`, and returns the records to keep on the batch: name, bytes, SHA-256, key.
 */
export async function storeBatchFiles(batch: BatchRef, files: readonly { name: string; path: string; bytes: number; sha256: string; contentType: string }[], until: string): Promise<BatchFileRecord[]> {
  const records: BatchFileRecord[] = [];
  for (const file of files) {
    const stored = await storeFile({ ...file, key: objectKeys.batchFile(batch, file.name), retainUntil: until });
    records.push({ name: file.name, bytes: file.bytes, sha256: file.sha256, ...stored });
  }
  return records;
}
