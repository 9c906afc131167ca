import { retainUntil } from "../core/batch.js";
import { AssembleBatchInput } from "../core/cycle.js";
import { retentionYears } from "../adapters/config.js";
import { clock } from "../adapters/clock.js";
import { assembleStoredBatch } from "../adapters/batch-pages.js";
import { getBatch, recordBatchFiles } from "../adapters/batches.js";
import { getProgramme } from "../adapters/programmes.js";
import { instrumented } from "../adapters/observability.js";

/**
 * "Assemble the payment files": joins the pages the map wrote into the batch's CSV, XLSX and
 * ZIP of PDFs, streamed into S3 with their sizes and SHA-256, and records them on the batch —
 * first writer wins, so a re-run (or a late twin) never changes what finance gets. Nothing is
 * rendered here: the pages did that.
 */
export const handler = instrumented(async (event: unknown) => {
  const { batch: ref } = AssembleBatchInput.parse(event);
  const batch = await getBatch(ref.batchId);
  if (batch.status === "sent" || batch.files?.every((f) => f.key)) return { batchId: batch.batchId, status: "already-stored" };
  const programme = await getProgramme(batch.programmeId);
  const records = await assembleStoredBatch(batch, programme, ref.plan.pages, retainUntil(batch.month, retentionYears(), clock.now().toISOString()));
  const recorded = await recordBatchFiles(batch.batchId, records);
  return { batchId: batch.batchId, status: recorded ? "stored" : "already-stored", files: records.length, bytes: records.reduce((s, r) => s + r.bytes, 0) };
});
