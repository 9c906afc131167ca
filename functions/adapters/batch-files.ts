import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  assistantsBySurname,
  batchHeader,
  fileOfKind,
  numberedLines,
  paymentLines,
  reportCardOf,
  reportNumbering,
  type Batch,
  type BatchFileKind,
} from "../core/batch.js";
import { writeBatchFiles, type BatchFile, type ReportCard } from "../core/exports/index.js";
import type { Person } from "../core/person.js";
import type { Programme } from "../core/programme.js";
import { beneficiariesOfProgramme } from "./beneficiaries.js";
import { batchAssistantIds, batchLinesOfAssistants } from "./batches.js";
import { findPerson } from "./people.js";
import { getReportVersion } from "./reports.js";

/**
 * Writes a batch's CSV, XLSX and ZIP of PDFs into `dir` from what DynamoDB holds: the batch
 * record, its report lines and the immutable approved versions. Nothing else is read, so the
 * same batch always yields the same content (what a later download regenerates).
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

/** One file of a batch rebuilt from DynamoDB in a temporary folder (removed afterwards), with its content. */
export async function regenerateBatchFile(batch: Batch, programme: Programme, kind: BatchFileKind): Promise<BatchFile & { content: Buffer }> {
  const dir = await mkdtemp(join(tmpdir(), "karta-download-"));
  try {
    const { files } = await writeStoredBatchFiles(batch, programme, dir);
    const file = fileOfKind(files, kind)!;
    return { ...file, content: await readFile(file.path) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
