import {
  assistantsBySurname,
  batchHeader,
  numberedLines,
  paymentLines,
  reportCardOf,
  reportNumbering,
  type Batch,
  type BatchFileRecord,
} from "../core/batch.js";
import { writeBatchFiles, type BatchFile, type ReportCard } from "../core/exports/index.js";
import type { Person } from "../core/person.js";
import type { Programme } from "../core/programme.js";
import { beneficiariesOfProgramme } from "./beneficiaries.js";
import { batchAssistantIds, batchLinesOfAssistants } from "./batches.js";
import { findPerson } from "./people.js";
import { getReportVersion } from "./reports.js";
import { objectKeys } from "./keys.js";
import { storeFile } from "./object-store.js";

/**
 * Writes a batch's CSV, XLSX and ZIP of PDFs into `dir` from what DynamoDB holds: the batch
 * record, its report lines and the immutable approved versions. Nothing else is read, so the
 * same batch always yields the same content. The workflow builds them once (send-batch); a
 * download hands out the stored copy.
 */
export async function writeStoredBatchFiles(batch: Batch, programme: Programme, dir: string): Promise<{ files: BatchFile[] }> {
  const header = batchHeader(batch, programme);
  const people = new Map<string, Promise<Person | undefined>>();
  const person = (id: string) => {
    let found = people.get(id);
    if (!found) people.set(id, (found = findPerson(id)));
    return found;
  };
  const initials = new Map((await beneficiariesOfProgramme(programme.id)).map((b) => [b.code, b.initials]));
  const assistant = async (id: string) => (await person(id)) ?? { name: id };
  // Bills, rows and cards follow the assistants' surnames; DynamoDB keeps the lines by assistant id.
  const order = await assistantsBySurname(await batchAssistantIds(batch.batchId), async (id) => (await assistant(id)).name);
  const ordered = () => numberedLines(batchLinesOfAssistants(batch.batchId, order), reportNumbering(batch, programme));
  const approverName = async (id: string) => (await person(id))?.name ?? id;
  const lines = () => paymentLines(ordered(), batch.month, assistant, approverName);
  async function* cards(): AsyncGenerator<ReportCard> {
    for await (const line of ordered()) {
      const version = await getReportVersion(line.reportId, line.version);
      yield reportCardOf(version, line, {
        programme,
        assistantName: (await assistant(line.assistantId)).name,
        beneficiaryInitials: initials.get(line.beneficiaryCode),
        approverName: await approverName(line.approvedBy),
      });
    }
  }
  return writeBatchFiles(header, lines, cards, dir);
}

/**
 * Stores each built file of the batch once in S3 under its key (objectKeys.batchFile), kept
 * until `retainUntil`, and returns the records to keep on the batch: name, bytes, SHA-256, key.
 */
export async function storeBatchFiles(batch: Pick<Batch, "programmeId" | "month" | "batchId">, files: readonly BatchFile[], until: string): Promise<BatchFileRecord[]> {
  const records: BatchFileRecord[] = [];
  for (const file of files) {
    const stored = await storeFile({ ...file, key: objectKeys.batchFile(batch, file.name), retainUntil: until });
    records.push({ name: file.name, bytes: file.bytes, sha256: file.sha256, ...stored });
  }
  return records;
}
