import type { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import * as z from "zod";
import { Instant, Month } from "../core/calendar.js";
import { jsonEntry, PackLink } from "../core/audit-pack.js";
import type { BatchFileRecord } from "../core/batch.js";
import type { ZipEntry } from "../core/exports/zip.js";
import type { Programme } from "../core/programme.js";
import { contentHash } from "../core/report.js";
import { approvalsOfReport } from "./approvals.js";
import { auditEventsOfBatch, auditEventsOfReport } from "./audit-events.js";
import { batchesOfCycle, batchLines } from "./batches.js";
import { createIfAbsent, queryAll, withoutKeys, storedAs } from "./dynamo.js";
import { keys, queries } from "./keys.js";
import { findPerson } from "./people.js";
import { reportsByProgrammeMonthPage, reportVersions } from "./reports.js";
import { setAsidesOfCycle } from "./set-asides.js";

/** A stored pack in the programme's chain: where it is and the SHA-256 of its manifest. */
export const AuditPackRecord = PackLink.extend({
  programmeId: z.string().min(1),
  month: Month,
  key: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: Instant,
});
export type AuditPackRecord = z.infer<typeof AuditPackRecord>;

/** The programme's packs, oldest first. */
export async function auditPacksOfProgramme(programmeId: string): Promise<AuditPackRecord[]> {
  return (await queryAll(queries.auditPacksOfProgramme(programmeId))).map((i) => storedAs(AuditPackRecord, i));
}

/** Records a pack at its place in the chain; false when another pack took that place first (build again on the new head). */
export async function recordAuditPack(record: AuditPackRecord): Promise<boolean> {
  const parsed = AuditPackRecord.parse(record);
  return createIfAbsent({ ...keys.auditPack(parsed.programmeId, parsed.seq), entity: "AuditPack", ...parsed });
}

/** Opens a stored batch file as finance received it (from the files bucket). */
export type OpenBatchFile = (file: BatchFileRecord & { key: string }) => Promise<Readable>;

function streamEntry(path: string, open: () => Promise<Readable>): ZipEntry {
  return { name: path, write: async (out: Writable) => pipeline(await open(), out) };
}

/**
 * The entries of a month's audit pack, read from the table one report and one batch at a time:
 * the programme's settings, per report its current state, every submitted version (visits,
 * signatures with their images, content hash), approvals and audit events; the set-asides; per
 * batch its record, its lines and its files as finance received them; the people named.
 */
export async function* auditPackEntries(
  programme: Programme,
  month: string,
  openBatchFile: OpenBatchFile,
  counts: { reports: number; versions: number; batches: number },
): AsyncGenerator<ZipEntry> {
  yield jsonEntry("programme.json", programme);
  const people = new Set<string>();
  // Page by page (a month's reports with their signature images do not fit in memory at once), in index order.
  let cursor: string | undefined;
  do {
    const page = await reportsByProgrammeMonthPage(programme.id, month, { cursor, limit: 50 });
    for (const { report } of page.reports) {
      counts.reports += 1;
      people.add(report.assistantId);
      const dir = `reports/${report.id}`;
      yield jsonEntry(`${dir}/current.json`, report);
      for (const version of await reportVersions(report.id)) {
        counts.versions += 1;
        yield jsonEntry(`${dir}/v${String(version.version).padStart(3, "0")}.json`, { ...version, contentHash: contentHash(version) });
      }
      const approvals = (await approvalsOfReport(report.id)).map((a) => a.approval);
      for (const a of approvals) if (a.decision?.by) people.add(a.decision.by);
      yield jsonEntry(`${dir}/approvals.json`, approvals);
      yield jsonEntry(`${dir}/audit-events.json`, await auditEventsOfReport(report.id));
    }
    cursor = page.cursor;
  } while (cursor);
  yield jsonEntry("set-asides.json", await setAsidesOfCycle(programme.id, month));
  for (const batch of await batchesOfCycle(programme.id, month)) {
    counts.batches += 1;
    const dir = `batches/${batch.batchId}`;
    yield jsonEntry(`${dir}/batch.json`, batch);
    const lines = [];
    for await (const line of batchLines(batch.batchId)) lines.push(line);
    yield jsonEntry(`${dir}/lines.json`, lines);
    // who was handed which file, when (the audited downloads)
    yield jsonEntry(`${dir}/audit-events.json`, await auditEventsOfBatch(batch.batchId));
    for (const file of batch.files ?? []) if (file.key) yield streamEntry(`${dir}/${file.name}`, () => openBatchFile({ ...file, key: file.key! }));
    const unstored = (batch.files ?? []).filter((f) => !f.key);
    if (unstored.length) {
      // Sent before Karta stored payment files: the e-mailed copies are the record; their hashes are in batch.json.
      yield jsonEntry(`${dir}/files-not-stored.json`, { reason: "sent before payment files were stored; compare the e-mailed copies with these SHA-256", files: unstored });
    }
  }
  const named = [];
  for (const id of [...people].sort()) {
    const person = await findPerson(id);
    if (person) named.push({ id: person.id, name: person.name, ...(person.contractNumber ? { contractNumber: person.contractNumber } : {}) });
  }
  yield jsonEntry("people.json", named);
}
