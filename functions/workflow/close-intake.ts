import { cycleName, isMissingAtDeadline, owedReports, PagedStepInput } from "../core/cycle.js";
import { intakeSummaryEmail } from "../core/email/intake-summary-email.js";
import { appUrl } from "../adapters/config.js";
import { clock } from "../adapters/clock.js";
import { assistantsPage, countQuery, getCycle, markOverdue, overdueOfCycle, updateCycle } from "../adapters/cycles.js";
import { sendOnce } from "../adapters/email.js";
import { outboxKeys, queries } from "../adapters/keys.js";
import { findPerson, peopleByProgrammeRole } from "../adapters/people.js";
import { getProgramme } from "../adapters/programmes.js";
import { reportsByAssistantMonth } from "../adapters/reports.js";
import { ordersByAssistantMonth } from "../adapters/service-orders.js";
import { timeForAnotherPage, type StepContext } from "./lib/time-budget.js";
import { instrumented } from "../adapters/observability.js";


/**
 * "Close intake": pages of assistants, while the invocation has time, mark their missing reports overdue; the
 * last page sends the coordinators the summary (once per coordinator) and moves the cycle on.
 * Submissions stay open: the core marks anything submitted after the deadline as late.
 */
export const handler = instrumented(async (event: unknown, context?: StepContext) => {
  const input = PagedStepInput.parse(event);
  const now = clock.now();
  const programme = await getProgramme(input.programmeId);
  const cycle = await getCycle(programme.id, input.month);
  let cursor = input.page?.cursor;
  let marked = 0;
  do {
    const page = await assistantsPage(programme.id, { cursor });
    cursor = page.cursor;
    for (const assistant of page.assistants) {
      const [orders, reports] = await Promise.all([ordersByAssistantMonth(assistant.id, input.month), reportsByAssistantMonth(assistant.id, input.month)]);
      for (const owed of owedReports(programme.id, orders, reports.map((r) => r.report)).filter(isMissingAtDeadline)) {
        const overdue = { programmeId: programme.id, month: input.month, assistantId: assistant.id, beneficiaryCode: owed.beneficiaryCode, markedAt: now.toISOString() };
        if (await markOverdue(overdue)) marked++;
      }
    }
  } while (cursor && timeForAnotherPage(context));
  if (cursor) return { marked, cursor };

  const [overdue, assistants, expected] = await Promise.all([
    overdueOfCycle(programme.id, input.month),
    peopleByProgrammeRole(programme.id, "assistant"),
    countQuery(queries.ordersByProgrammeMonth(programme.id, input.month)),
  ]);
  const names = new Map(assistants.map((a) => [a.id, a.name]));
  const byAssistant = new Map<string, string[]>();
  for (const o of overdue) byAssistant.set(o.assistantId, [...(byAssistant.get(o.assistantId) ?? []), o.beneficiaryCode]);
  const missing = [...byAssistant].map(([id, beneficiaryCodes]) => ({ assistantName: names.get(id) ?? id, beneficiaryCodes }));
  const email = intakeSummaryEmail({ programmeName: programme.name.pl, month: input.month, deadlineDate: cycle.plan.deadlineDate, expected, missing, appUrl: appUrl() });
  for (const coordinatorId of programme.coordinatorIds) {
    const coordinator = await findPerson(coordinatorId);
    if (!coordinator) continue;
    await sendOnce({ outboxKey: outboxKeys.intakeSummary(cycleName(programme.id, input.month), coordinatorId), to: [coordinator.email], ...email, now });
  }
  if (cycle.status === "collecting") await updateCycle(programme.id, input.month, { status: "awaiting_decisions", intakeClosedAt: now.toISOString() });
  return { marked, missing: overdue.length };
});
