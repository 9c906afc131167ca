import { cycleName, owedReports, reminderStillDue, ReminderStepInput } from "../core/cycle.js";
import { reminderEmail } from "../core/email/reminder-email.js";
import { appUrl } from "../adapters/config.js";
import { clock } from "../adapters/clock.js";
import { assistantsPage, getCycle } from "../adapters/cycles.js";
import { sendOnce } from "../adapters/email.js";
import { getProgramme } from "../adapters/programmes.js";
import { reportsByAssistantMonth } from "../adapters/reports.js";
import { ordersByAssistantMonth } from "../adapters/service-orders.js";
import { timeForAnotherPage, type StepContext } from "./lib/time-budget.js";
import { instrumented } from "../adapters/observability.js";
import { outboxKeys } from "../adapters/keys.js";


/**
 * "Remind assistants with missing reports": pages of assistants while the invocation has time;
 * each with a missing, draft or returned report gets one e-mail per reminder (outbox key per
 * cycle × reminder × assistant). Returns the next page's cursor while there is one.
 */
export const handler = instrumented(async (event: unknown, context?: StepContext) => {
  const input = ReminderStepInput.parse(event);
  const now = clock.now();
  const cycle = await getCycle(input.programmeId, input.month);
  if (!reminderStillDue(cycle.plan, now.toISOString())) return { sent: 0, skipped: "after the deadline" };
  const programme = await getProgramme(input.programmeId);
  const remindPage = async (assistants: Awaited<ReturnType<typeof assistantsPage>>["assistants"]) => {
    let sentOnPage = 0;
    for (const assistant of assistants) {
      if (!assistant.active) continue; // deactivated: no e-mail
      const [orders, reports] = await Promise.all([ordersByAssistantMonth(assistant.id, input.month), reportsByAssistantMonth(assistant.id, input.month)]);
      const owed = owedReports(programme.id, orders, reports.map((r) => r.report));
      if (!owed.length) continue;
      const email = reminderEmail({ assistantName: assistant.name, programmeName: programme.name.pl, month: input.month, deadlineDate: cycle.plan.deadlineDate, owed, appUrl: appUrl() });
      const outboxKey = outboxKeys.assistantReminder(cycleName(programme.id, input.month), input.reminder.id, assistant.id);
      if ((await sendOnce({ outboxKey, to: [assistant.email], ...email, now })) === "sent") sentOnPage++;
    }
    return sentOnPage;
  };
  let cursor = input.page?.cursor;
  let sent = 0;
  do {
    const page = await assistantsPage(programme.id, { cursor });
    cursor = page.cursor;
    sent += await remindPage(page.assistants);
  } while (cursor && timeForAnotherPage(context));
  return { sent, ...(cursor ? { cursor } : {}) };
});
