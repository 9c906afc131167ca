import { batchHeader, contentTypeOf, kindOfFile, type Batch, type BatchFileRecord } from "../core/batch.js";
import { SendBatchInput } from "../core/cycle.js";
import { financeEmail } from "../core/exports/finance-email.js";
import { appUrl } from "../adapters/config.js";
import { clock } from "../adapters/clock.js";
import { getBatch, markBatchSent } from "../adapters/batches.js";
import { sendOnce } from "../adapters/email.js";
import { findPerson } from "../adapters/people.js";
import { readStoredFile } from "../adapters/object-store.js";
import { getProgramme } from "../adapters/programmes.js";
import { count, instrumented } from "../adapters/observability.js";
import { outboxKeys } from "../adapters/keys.js";

// The web app's finance page, not the file route (GET /api/batches/{id}/files/{file}): the page
// signs the person in first and then lists the batch with its downloads; the API route would
// answer a browser without a session with a bare 401.
const financePage = () => `${appUrl()}/batches`;
/** SES accepts 40 MB raw messages, but many mailboxes refuse more than ~10 MB (base64 adds a third). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** The error name of a batch e-mailed before its files were recorded (the machine assembles again). */
export const BATCH_FILES_MISSING = "BatchFilesMissing";

/** The month's reports held back from the batch (set aside, not yet paid), with their assistants' names. */
const setAsideLines = (batch: Batch) =>
  Promise.all(
    (batch.setAside ?? []).map(async (s) => ({ ...s, assistantName: (await findPerson(s.assistantId))?.name ?? s.assistantId })),
  );

type ReadyFile = { record: BatchFileRecord; contentType: string; content: () => Promise<Buffer> };

/**
 * "E-mail the batch to finance": e-mails the batch's stored files ("Assemble the payment files"
 * stored and recorded them) — attached when small, otherwise a link to the web app's finance
 * page — once per batch. It builds nothing: what finance gets is what was recorded.
 */
export const handler = instrumented(async (event: unknown) => {
  const input = SendBatchInput.parse(event);
  const now = clock.now();
  const batch = await getBatch(input.batch.batchId);
  if (batch.status === "sent") return { batchId: batch.batchId, status: "already-sent" };
  if (!batch.files?.length || !batch.files.every((f) => f.key)) {
    // The machine catches this name and writes the pages and assembles them again (stacks/Workflow.ts):
    // seen after a crash at the step boundary, the files' record missing on a batch the machine had assembled.
    const error = new Error(`batch ${batch.batchId} has no stored files: "Assemble the payment files" must run first`);
    error.name = BATCH_FILES_MISSING;
    throw error;
  }
  const programme = await getProgramme(batch.programmeId);
  const files: ReadyFile[] = batch.files.map((record) => ({
    record,
    contentType: contentTypeOf(kindOfFile(record.name)!),
    content: () => readStoredFile(record.key!, record.versionId),
  }));
  const bytes = files.reduce((s, f) => s + f.record.bytes, 0);
  const delivery = bytes <= MAX_ATTACHMENT_BYTES ? "attached" : "link";
  const email = financeEmail(
    batchHeader(batch, programme),
    files.map(({ record: f }) => ({ name: f.name, bytes: f.bytes, sha256: f.sha256, ...(delivery === "link" ? { url: financePage() } : {}) })),
    { statusUrl: financePage(), payrollUrl: `${financePage()}/${encodeURIComponent(batch.batchId)}/payroll`, setAside: await setAsideLines(batch) },
  );
  const attachments =
    delivery === "attached" ? await Promise.all(files.map(async (f) => ({ filename: f.record.name, contentType: f.contentType, content: await f.content() }))) : undefined;
  const result = await sendOnce({ outboxKey: outboxKeys.batchToFinance(batch.batchId), to: programme.financeEmails, ...email, attachments, now });
  await markBatchSent(batch.batchId, { files: files.map((f) => f.record), delivery, now: now.toISOString() });
  if (batch.totals) count.batchSent(batch.totals);
  return { batchId: batch.batchId, status: result, delivery, files: files.length };
});
