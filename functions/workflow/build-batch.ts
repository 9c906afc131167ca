import { CycleInput, keepWatching } from "../core/cycle.js";
import { printProblem } from "../core/set-aside.js";
import { clock } from "../adapters/clock.js";
import { assembleBatch } from "../adapters/batches.js";
import { cycleCounts, getCycle, updateCycle } from "../adapters/cycles.js";
import { getProgramme } from "../adapters/programmes.js";
import { setAsideReport } from "./lib/set-aside.js";

/**
 * "Build the payment batch": approved reports no batch has claimed become the month's next
 * batch (main, then supplementary); one the payment files cannot print is set aside (returned
 * for correction, coordinators and operators alerted) so that the rest is paid. `batchId` is
 * present only when there is a batch to send; `keepWatching` says whether reports may still be
 * approved before the horizon.
 */
export const handler = async (event: unknown) => {
  const { programmeId, month } = CycleInput.parse(event);
  const now = clock.now();
  const programme = await getProgramme(programmeId);
  const cycle = await getCycle(programmeId, month);
  const batch = await assembleBatch(programme, month, now.toISOString(), {
    printProblem,
    setAside: (stored, problem) => setAsideReport(programme, stored, problem, now),
  });
  const watching = keepWatching(await cycleCounts(programmeId, month), cycle.plan, now.toISOString());
  if (!watching && cycle.status !== "settled") await updateCycle(programmeId, month, { status: "settled", settledAt: now.toISOString() });
  return batch ? { batchId: batch.batchId, kind: batch.kind, totals: batch.totals, keepWatching: watching } : { keepWatching: watching };
};
