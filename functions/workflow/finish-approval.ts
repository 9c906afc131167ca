import * as z from "zod";
import { returnedEmail } from "../core/email/decision-email.js";
import { clock } from "../adapters/clock.js";
import { sendOnce } from "../adapters/email.js";
import { outboxKeys } from "../adapters/keys.js";
import { getPerson } from "../adapters/people.js";
import { getReportVersion } from "../adapters/reports.js";
import { appUrl } from "../adapters/config.js";
import { ensureReportDecided } from "./lib/record-decision.js";
import { ApprovalExecution, TaskDecisionSchema } from "./lib/steps.js";
import { instrumented } from "../adapters/observability.js";

const Input = ApprovalExecution.extend({ decision: TaskDecisionSchema });

/**
 * "Finish the approval", the execution's last state: makes sure the report carries the decision
 * (ensureReportDecided repairs a crash of the decision handler between its writes) and tells the
 * assistant of a returned report, with the approver's reason and a link to correct it, once per
 * version (outbox key). An approved report gets no e-mail of its own: the assistant sees it in
 * the app, and hears from the monthly cycle when its batch goes to finance. A superseded version
 * ends here with nothing to do.
 */
export const handler = instrumented(async (event: unknown) => {
  const input = Input.parse(event);
  if (input.decision.outcome === "superseded") return { outcome: "superseded" };
  const report = await getReportVersion(input.reportId, input.version);
  await ensureReportDecided(input.reportId, input.version, input.decision, report.contentHash);
  if (input.decision.outcome === "approved") return { outcome: "approved" };
  const assistant = await getPerson(report.assistantId);
  const mail = returnedEmail({ assistantName: assistant.name, report, reason: input.decision.reason ?? "", url: `${appUrl()}/reports/${report.id}` });
  const sent = await sendOnce({ outboxKey: outboxKeys.returnedReport(report.id, report.version), to: [assistant.email], ...mail, now: clock.now() });
  return { outcome: "returned", sent };
});
