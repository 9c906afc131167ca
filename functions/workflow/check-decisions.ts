import { warsawDate } from "../core/calendar.js";
import { CycleInput, cycleName, cycleProgress, reportsWaitingTooLong } from "../core/cycle.js";
import { approverReminderEmail } from "../core/email/approver-reminder-email.js";
import { clock } from "../adapters/clock.js";
import { batchesOfCycle } from "../adapters/batches.js";
import { cycleCounts, getCycle, updateCycle } from "../adapters/cycles.js";
import { sendOnce } from "../adapters/email.js";
import { findPerson } from "../adapters/people.js";
import { getProgramme } from "../adapters/programmes.js";
import { reportsByProgrammeMonthStatus } from "../adapters/reports.js";

const appUrl = process.env.APP_URL ?? "";

/**
 * "Check the decisions", once per working day: reminds approvers of reports waiting longer
 * than the programme allows (one e-mail per approver per day) and says whether to pay now.
 */
export const handler = async (event: unknown) => {
  const { programmeId, month } = CycleInput.parse(event);
  const now = clock.now();
  const programme = await getProgramme(programmeId);
  const cycle = await getCycle(programmeId, month);
  const unsent = (await batchesOfCycle(programmeId, month)).filter((b) => b.status !== "sent").length;
  const progress = cycleProgress(await cycleCounts(programmeId, month), cycle.plan, now.toISOString(), programme.extraDaysOff, unsent);

  const waiting = reportsWaitingTooLong((await reportsByProgrammeMonthStatus(programmeId, month, "submitted")).map((r) => r.report), programme, now.toISOString());
  let remindedApprovers = 0;
  if (waiting.length) {
    const assistants = new Map<string, string>();
    for (const r of waiting) if (!assistants.has(r.assistantId)) assistants.set(r.assistantId, (await findPerson(r.assistantId))?.name ?? r.assistantId);
    const rows = waiting.map((r) => ({ assistantName: assistants.get(r.assistantId)!, beneficiaryCode: r.beneficiaryCode, submittedAt: r.submittedAt! }));
    for (const approverId of programme.approverIds) {
      const approver = await findPerson(approverId);
      if (!approver) continue;
      const email = approverReminderEmail({ approverName: approver.name, programmeName: programme.name.pl, month, waiting: rows, appUrl });
      const outboxKey = `approver-reminder#${cycleName(programmeId, month)}#${approverId}#${warsawDate(now.toISOString())}`;
      if ((await sendOnce({ outboxKey, to: [approver.email], ...email, now })) === "sent") remindedApprovers++;
    }
  }
  await updateCycle(programmeId, month, { lastCheckAt: now.toISOString() });
  return { ...progress, remindedApprovers };
};
