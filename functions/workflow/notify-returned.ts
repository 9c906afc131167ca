import * as z from "zod";
import { returnedEmail } from "../core/email/decision-email.js";
import { clock } from "../adapters/clock.js";
import { sendOnce } from "../adapters/email.js";
import { getPerson } from "../adapters/people.js";
import { getReportVersion } from "../adapters/reports.js";
import { appUrl } from "./lib/approval-mail.js";
import { ensureReportDecided } from "./lib/record-decision.js";
import { ApprovalExecution, TaskDecisionSchema } from "./lib/steps.js";

const Input = ApprovalExecution.extend({ decision: TaskDecisionSchema });

/** "Tell the assistant it is returned": the approver's reason and a link to correct the report, once per version. */
export const handler = async (event: unknown) => {
  const input = Input.parse(event);
  const report = await getReportVersion(input.reportId, input.version);
  await ensureReportDecided(input.reportId, input.version, input.decision, report.contentHash);
  const assistant = await getPerson(report.assistantId);
  const mail = returnedEmail({ assistantName: assistant.name, report, reason: input.decision.reason ?? "", url: `${appUrl()}/reports/${report.id}` });
  const sent = await sendOnce({ outboxKey: `report#${report.id}#v${report.version}#returned`, to: [assistant.email], ...mail, now: clock.now() });
  return { sent };
};
