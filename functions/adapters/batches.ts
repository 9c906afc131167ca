import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { Batch, batchLineOf, BatchReportLine, newBatch, type BatchFileRecord, type SetAside, type SetAsideEntry } from "../core/batch.js";
import type { Programme } from "../core/programme.js";
import { reportsByProgrammeMonthStatusPage, type StoredReport } from "./reports.js";
import { setAsidesOfCycle } from "./set-asides.js";
import { NotFoundError } from "../core/errors.js";
import type { BatchTotals } from "../core/exports/model.js";
import { createIfAbsent, documentClient, getItem, isConditionFailed, putItem, queryAll, queryPage, readTogether, tableName, withoutKeys, type Item, storedAs } from "./dynamo.js";
import { keys, queries } from "./keys.js";

const batchItem = (b: Batch) => ({ ...keys.batch(b.batchId, b.programmeId, b.month), entity: "Batch", ...b });

/** Stores a new batch unless its id exists; true when written. */
export async function createBatchIfAbsent(batch: Batch): Promise<boolean> {
  return createIfAbsent(batchItem(Batch.parse(batch)));
}

/** The batch, or NotFoundError. */
export async function getBatch(batchId: string): Promise<Batch> {
  const found = await getItem(keys.batchById(batchId));
  if (!found) throw new NotFoundError("batch", batchId);
  return storedAs(Batch, found);
}

/** Every batch of the programme's month, in sequence order (a Query on gsi1). */
export async function batchesOfCycle(programmeId: string, month: string): Promise<Batch[]> {
  return (await queryAll(queries.batchesOfProgrammeMonth(programmeId, month))).map((i) => storedAs(Batch, i)).sort((a, b) => a.seq - b.seq);
}

/** Every batch of the programme in the given months: months in the order given, each in sequence order (a Query per month). */
export async function batchesOfMonths(programmeId: string, months: readonly string[]): Promise<Batch[]> {
  return (await Promise.all(months.map((month) => batchesOfCycle(programmeId, month)))).flat();
}

/**
 * Claims a report for a batch with a conditional create: the first batch to claim it owns it
 * forever, so a report is never paid twice. Returns the owning batch id (this one or another).
 */
export async function claimReport(reportId: string, version: number, batchId: string, now: string): Promise<string> {
  const key = keys.reportExport(reportId);
  if (await createIfAbsent({ ...key, entity: "ReportExport", reportId, version, batchId, claimedAt: now })) return batchId;
  const existing = await getItem(key);
  return existing!.batchId as string;
}

/** Writes a report's line of a batch (same key and content on a re-run: no extra line). */
export async function putBatchLine(line: BatchReportLine): Promise<void> {
  const parsed = BatchReportLine.parse(line);
  await putItem({ ...keys.batchLine(parsed.batchId, parsed.assistantId, parsed.reportId), entity: "BatchLine", ...parsed });
}

/** The report lines of a batch, sorted by assistant, streamed page by page. */
export async function* batchLines(batchId: string): AsyncGenerator<BatchReportLine> {
  let cursor: string | undefined;
  do {
    const page = await queryPage(queries.batchLines(batchId), { limit: 200, cursor });
    for (const item of page.items) yield storedAs(BatchReportLine, item);
    cursor = page.cursor;
  } while (cursor);
}

/** The assistants with a line in a batch, read page by page; only their ids are kept. */
export async function batchAssistantIds(batchId: string): Promise<string[]> {
  const ids = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await queryPage(queries.batchLines(batchId), { limit: 500, cursor });
    for (const item of page.items) ids.add(String(item.assistantId));
    cursor = page.cursor;
  } while (cursor);
  return [...ids];
}

/** The report lines of a batch assistant by assistant, in the order given (one Query per assistant). */
export async function* batchLinesOfAssistants(batchId: string, assistantIds: Iterable<string>): AsyncGenerator<BatchReportLine> {
  for (const assistantId of assistantIds) {
    for (const item of await queryAll(queries.batchLinesOfAssistant(batchId, assistantId))) yield storedAs(BatchReportLine, item);
  }
}

/** An assistant's report lines in a batch. */
export type AssistantLines = { assistantId: string; lines: BatchReportLine[] };

/**
 * One page of a batch's lines (about `limit`), grouped by assistant, each group whole: a page
 * that ends inside an assistant's lines reads the rest of them. `after` (the page's last
 * assistant) continues with the next page; absent on the last page.
 */
export async function batchLinesByAssistant(batchId: string, options: { after?: string; limit?: number } = {}): Promise<{ assistants: AssistantLines[]; after?: string }> {
  const spec = options.after ? queries.batchLinesAfterAssistant(batchId, options.after) : queries.batchLines(batchId);
  const page = await queryPage(spec, { limit: options.limit ?? 200 });
  const assistants: AssistantLines[] = [];
  for (const item of page.items) {
    const line = storedAs(BatchReportLine, item);
    if (assistants.at(-1)?.assistantId !== line.assistantId) assistants.push({ assistantId: line.assistantId, lines: [] });
    assistants.at(-1)!.lines.push(line);
  }
  const last = assistants.at(-1);
  if (!page.cursor || !last) return { assistants };
  last.lines = (await queryAll(queries.batchLinesOfAssistant(batchId, last.assistantId))).map((i) => storedAs(BatchReportLine, i));
  return { assistants, after: last.assistantId };
}

async function transition(batchId: string, from: Batch["status"], fields: Record<string, unknown>, options: { filesAbsent?: boolean } = {}): Promise<boolean> {
  const key = keys.batchById(batchId);
  const entries = Object.entries(fields);
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: key.pk, sk: key.sk },
        UpdateExpression: "SET " + entries.map((_, i) => `#f${i} = :v${i}`).join(", "),
        ConditionExpression: options.filesAbsent ? "#status = :from AND attribute_not_exists(#files)" : "#status = :from",
        ExpressionAttributeNames: { "#status": "status", ...(options.filesAbsent ? { "#files": "files" } : {}), ...Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k])) },
        ExpressionAttributeValues: { ":from": from, ...Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])) },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

/** Fixes the control totals of a batch being built (building → ready); false if it had already moved on. */
export async function markBatchReady(batchId: string, totals: BatchTotals, setAside: SetAsideEntry[], now: string): Promise<boolean> {
  return transition(batchId, "building", { status: "ready", totals, readyAt: now, ...(setAside.length ? { setAside } : {}) });
}

/** Records the batch's stored files before it is e-mailed (stays ready); false if it was already sent. */
export async function recordBatchFiles(batchId: string, files: BatchFileRecord[]): Promise<boolean> {
  // First writer wins: a concurrent run that stored its own copies sends the recorded ones instead.
  return transition(batchId, "ready", { files }, { filesAbsent: true });
}

/** Records that finance received the batch (ready → sent); false if it was already sent. */
export async function markBatchSent(batchId: string, sent: { files: BatchFileRecord[]; delivery: "attached" | "link"; now: string }): Promise<boolean> {
  return transition(batchId, "ready", { status: "sent", files: sent.files, delivery: sent.delivery, sentAt: sent.now });
}

/** The batch that claimed the report, or undefined. */
export async function findClaim(reportId: string): Promise<string | undefined> {
  return (await getItem(keys.reportExport(reportId)))?.batchId as string | undefined;
}

/**
 * How the batch step finds and handles an approved, unclaimed report the payment files cannot
 * print (core/set-aside.ts; passed in, so the PNG decoder is bundled only into the batch step).
 */
export type SetAsidePolicy = {
  printProblem: (report: StoredReport["report"], programme: Programme) => SetAside["problem"] | undefined;
  setAside: (stored: StoredReport, problem: SetAside["problem"]) => Promise<void>;
};

/** Approved reports one call of the batch step looks at before it hands on a cursor (bounded work per step). */
export const CLAIM_BUDGET = 2_000;

/**
 * Builds the month's next batch from approved reports no batch has claimed, a bounded number
 * per call: `cursor` (absent on the first call) says where the last call stopped, and a result
 * with a cursor asks for another call. Safe to run again at any point: a batch not yet e-mailed
 * is returned as it is; one interrupted while claiming is resumed; a new batch is opened only
 * when an unclaimed approved report exists. Each report is claimed with a conditional create
 * before its line is written (never two batches). An unclaimed report the files cannot print
 * (`policy.printProblem`) goes to `policy.setAside` instead of being claimed, so the rest is
 * paid; the batch lists the month's set-asides not yet paid.
 */
export async function assembleBatch(
  programme: Programme,
  month: string,
  now: string,
  policy: SetAsidePolicy,
  options: { cursor?: string; budget?: number } = {},
): Promise<{ batch?: Batch; cursor?: string }> {
  const batches = await batchesOfCycle(programme.id, month);
  const unsent = batches.find((b) => b.status === "ready");
  if (unsent) return { batch: unsent };
  let batch = batches.find((b) => b.status === "building");
  const nextSeq = (batches.at(-1)?.seq ?? 0) + 1;
  const budget = options.budget ?? CLAIM_BUDGET;
  let cursor = options.cursor;
  let seen = 0;
  do {
    const page = await reportsByProgrammeMonthStatusPage(programme.id, month, "approved", { cursor, limit: 100 });
    // the page's claims in one BatchGetItem, not a GetItem per report
    const owners = await readTogether(page.reports.map((r) => ({ key: keys.reportExport(r.report.id), parse: (item: Item | undefined) => item?.batchId as string | undefined })));
    for (const [i, stored] of page.reports.entries()) {
      const { report } = stored;
      const owner = owners[i];
      if (owner && owner !== batch?.batchId) continue;
      if (!owner) {
        const problem = policy.printProblem(report, programme);
        if (problem) {
          await policy.setAside(stored, problem);
          continue;
        }
      }
      if (!batch) {
        const opened = newBatch(programme.id, month, nextSeq, now);
        batch = (await createBatchIfAbsent(opened)) ? opened : await getBatch(opened.batchId);
      }
      if ((await claimReport(report.id, report.version, batch.batchId, now)) === batch.batchId) {
        await putBatchLine(batchLineOf(report, programme, batch.batchId));
      }
    }
    seen += page.reports.length;
    cursor = page.cursor;
  } while (cursor && seen < budget);
  if (cursor) return { ...(batch ? { batch } : {}), cursor };
  if (!batch) return {};
  const totals = { reports: 0, minutes: 0, grosze: 0 };
  for await (const line of batchLines(batch.batchId)) {
    totals.reports += 1;
    totals.minutes += line.minutes;
    totals.grosze += line.amountGrosze;
  }
  await markBatchReady(batch.batchId, totals, await unpaidSetAsides(programme.id, month), now);
  return { batch: await getBatch(batch.batchId) };
}

/** The month's set-aside report versions whose report no batch has claimed yet (newest version per report). */
async function unpaidSetAsides(programmeId: string, month: string): Promise<SetAsideEntry[]> {
  const latest = new Map<string, SetAside>();
  for (const s of await setAsidesOfCycle(programmeId, month)) if ((latest.get(s.reportId)?.version ?? 0) < s.version) latest.set(s.reportId, s);
  const unpaid: SetAsideEntry[] = [];
  for (const s of latest.values()) {
    if (await findClaim(s.reportId)) continue;
    const { reportId, version, assistantId, beneficiaryCode, problem, at } = s;
    unpaid.push({ reportId, version, assistantId, beneficiaryCode, problem, at });
  }
  return unpaid;
}
