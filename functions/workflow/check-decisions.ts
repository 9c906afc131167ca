import { CycleInput, cycleName, cycleProgress, unsettledAtCutoff } from "../core/cycle.js";
import { clock } from "../adapters/clock.js";
import { batchesOfCycle } from "../adapters/batches.js";
import { cycleCounts, getCycle, updateCycle } from "../adapters/cycles.js";
import { getProgramme } from "../adapters/programmes.js";
import { emailApproverDigest } from "./lib/approval-mail.js";
import { count, instrumented } from "../adapters/observability.js";

/**
 * "Check the decisions", once per working day: sends each approver the day's reminder digest of
 * the programme's approvals waiting longer than it allows (the same digest, outbox key and
 * rule as an approval's timeout: one e-mail per approver per day, whoever sends it first) and
 * says whether to pay now.
 */
export const handler = instrumented(async (event: unknown) => {
  const { programmeId, month } = CycleInput.parse(event);
  const now = clock.now();
  const programme = await getProgramme(programmeId);
  const cycle = await getCycle(programmeId, month);
  const unsent = (await batchesOfCycle(programmeId, month)).filter((b) => b.status !== "sent").length;
  const counts = await cycleCounts(programmeId, month);
  const progress = cycleProgress(counts, cycle.plan, now.toISOString(), programme.extraDaysOff, unsent);
  // Once a check (a working day) for each month still unsettled after its cut-off: the operators' alarm.
  if (unsettledAtCutoff(counts, cycle.plan, now.toISOString(), unsent)) count.cycleUnsettled();

  let remindedApprovers = 0;
  for (const personId of programme.approverIds) {
    const { result } = await emailApproverDigest({ programme, personId, escalation: false, now, claimant: `check-decisions:${cycleName(programmeId, month)}` });
    if (result === "sent") remindedApprovers++;
  }
  await updateCycle(programmeId, month, { lastCheckAt: now.toISOString() });
  return { ...progress, remindedApprovers };
});
