import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { batchHeader, contentTypeOf, kindOfFile, retainUntil, type Batch, type BatchFileRecord } from "../core/batch.js";
import { SendBatchInput } from "../core/cycle.js";
import { financeEmail } from "../core/exports/finance-email.js";
import { appUrl, retentionYears } from "../adapters/config.js";
import { clock } from "../adapters/clock.js";
import { storeBatchFiles, writeStoredBatchFiles } from "../adapters/batch-files.js";
import { getBatch, markBatchSent, recordBatchFiles } from "../adapters/batches.js";
import { sendOnce } from "../adapters/email.js";
import { findPerson } from "../adapters/people.js";
import { readStoredFile } from "../adapters/object-store.js";
import { getProgramme } from "../adapters/programmes.js";

// The web app's finance page, not the file route (GET /api/batches/{id}/files/{file}): the page
// signs the person in first and then lists the batch with its downloads; the API route would
// answer a browser without a session with a bare 401.
const financePage = () => `${appUrl()}/batches`;
/** SES accepts 40 MB raw messages, but many mailboxes refuse more than ~10 MB (base64 adds a third). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** The month's reports held back from the batch (set aside, not yet paid), with their assistants' names. */
const setAsideLines = (batch: Batch) =>
  Promise.all(
    (batch.setAside ?? []).map(async (s) => ({ ...s, assistantName: (await findPerson(s.assistantId))?.name ?? s.assistantId })),
  );

type ReadyFile = { record: BatchFileRecord; contentType: string; content: () => Promise<Buffer> };

/**
 * "E-mail the batch to finance": builds the batch's files from DynamoDB into a temporary folder,
 * stores each once in S3 and records them (key, bytes, SHA-256) on the batch, then e-mails them
 * (or, above 10 MB, a link to the web app's finance page) once per batch. A re-run that finds
 * the files recorded sends those stored bytes and builds nothing.
 */
export const handler = async (event: unknown) => {
  const input = SendBatchInput.parse(event);
  const now = clock.now();
  const batch = await getBatch(input.batch.batchId);
  if (batch.status === "sent") return { batchId: batch.batchId, status: "already-sent" };
  const programme = await getProgramme(batch.programmeId);
  const dir = await mkdtemp(join(tmpdir(), "karta-batch-"));
  try {
    const stored = (records: BatchFileRecord[]): ReadyFile[] =>
      records.map((record) => ({ record, contentType: contentTypeOf(kindOfFile(record.name)!), content: () => readStoredFile(record.key!, record.versionId) }));
    let files: ReadyFile[];
    if (batch.files?.length && batch.files.every((f) => f.key)) {
      files = stored(batch.files);
    } else {
      const built = (await writeStoredBatchFiles(batch, programme, dir)).files;
      const records = await storeBatchFiles(batch, built, retainUntil(batch.month, retentionYears(), now.toISOString()));
      if (await recordBatchFiles(batch.batchId, records)) {
        files = built.map((f, i) => ({ record: records[i], contentType: f.contentType, content: () => readFile(f.path) }));
      } else {
        // Another run recorded its files first (or sent the batch): what is recorded is what finance gets.
        const current = await getBatch(batch.batchId);
        if (current.status === "sent" || !current.files?.every((f) => f.key)) return { batchId: batch.batchId, status: "already-sent" };
        files = stored(current.files);
      }
    }
    const bytes = files.reduce((s, f) => s + f.record.bytes, 0);
    const delivery = bytes <= MAX_ATTACHMENT_BYTES ? "attached" : "link";
    const email = financeEmail(
      batchHeader(batch, programme),
      files.map(({ record: f }) => ({ name: f.name, bytes: f.bytes, sha256: f.sha256, ...(delivery === "link" ? { url: financePage() } : {}) })),
      { statusUrl: financePage(), setAside: await setAsideLines(batch) },
    );
    const attachments =
      delivery === "attached" ? await Promise.all(files.map(async (f) => ({ filename: f.record.name, contentType: f.contentType, content: await f.content() }))) : undefined;
    const result = await sendOnce({ outboxKey: `batch#${batch.batchId}`, to: programme.financeEmails, ...email, attachments, now });
    await markBatchSent(batch.batchId, { files: files.map((f) => f.record), delivery, now: now.toISOString() });
    return { batchId: batch.batchId, status: result, delivery, files: files.length };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
