import { PagePlan } from "../core/exports/pages.js";
import { BatchPageInput } from "../core/cycle.js";
import { getBatch } from "../adapters/batches.js";
import { writeStoredBatchPage } from "../adapters/batch-pages.js";
import { getProgramme } from "../adapters/programmes.js";
import { instrumented } from "../adapters/observability.js";

/**
 * "Write one page of the payment files" (a child of the Distributed Map "Write the payment
 * files page by page"): one page of the batch's plan — some 400 reports of whole assistants —
 * becomes its CSV records, sheet rows, bills and report cards in S3. Run again, it stores the
 * same bytes under the same keys.
 */
export const handler = instrumented(async (event: unknown) => {
  const plan = PagePlan.parse(BatchPageInput.parse(event).page);
  const batch = await getBatch(plan.batchId);
  const programme = await getProgramme(batch.programmeId);
  const index = await writeStoredBatchPage(batch, programme, plan);
  return { page: plan.page, reports: index.totals.reports };
});
