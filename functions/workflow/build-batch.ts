import { BuildBatchInput, keepWatching } from "../core/cycle.js";
import { printProblem } from "../core/set-aside.js";
import { clock } from "../adapters/clock.js";
import { assembleBatch } from "../adapters/batches.js";
import { planBatchPages } from "../adapters/batch-pages.js";
import { cycleCounts, getCycle, updateCycle } from "../adapters/cycles.js";
import { getProgramme } from "../adapters/programmes.js";
import { setAsideReport } from "./lib/set-aside.js";
import { instrumented } from "../adapters/observability.js";

/**
 * "Build the payment batch": approved reports no batch has claimed become the month's next
 * batch (main, then supplementary), a bounded number per call — a result with `cursor` is
 * called again from there. One the payment files cannot print is set aside (returned for
 * correction, coordinators and operators alerted) so that the rest is paid. Once the batch is
 * whole its files are planned page by page (`plan`, read by the Distributed Map), unless they are
 * already stored (`filesStored`). `batchId` is present only when there is a batch to send;
 * `keepWatching` says whether reports may still be approved before the horizon.
 */
export const handler = instrumented(async (event: unknown) => {
  const { programmeId, month, batch: previous } = BuildBatchInput.parse(event);
  const now = clock.now();
  const programme = await getProgramme(programmeId);
  const step = await assembleBatch(programme, month, now.toISOString(), {
    printProblem,
    setAside: (stored, problem) => setAsideReport(programme, stored, problem, now),
  }, { cursor: previous?.cursor });
  if (step.cursor) return { cursor: step.cursor };
  const { batch } = step;
  const cycle = await getCycle(programmeId, month);
  const watching = keepWatching(await cycleCounts(programmeId, month), cycle.plan, now.toISOString());
  if (!watching && cycle.status !== "settled") await updateCycle(programmeId, month, { status: "settled", settledAt: now.toISOString() });
  if (!batch) return { keepWatching: watching };
  const filesStored = Boolean(batch.files?.length && batch.files.every((f) => f.key));
  return {
    batchId: batch.batchId,
    kind: batch.kind,
    totals: batch.totals,
    keepWatching: watching,
    filesStored,
    ...(filesStored ? {} : { plan: await planBatchPages(batch) }),
  };
});
