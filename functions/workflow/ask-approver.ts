import * as z from "zod";
import { newApproval } from "../core/approval.js";
import { NotFoundError } from "../core/errors.js";
import { contentHash } from "../core/report.js";
import { appendAuditEvent } from "../adapters/audit-events.js";
import { completeAsk } from "../adapters/approval-task.js";
import { markSuperseded, registerTaskToken } from "../adapters/approvals.js";
import { clock } from "../adapters/clock.js";
import { readTogether } from "../adapters/dynamo.js";
import { personRead } from "../adapters/people.js";
import { programmeRead } from "../adapters/programmes.js";
import { getReportVersion, reportRead, reportVersionRead } from "../adapters/reports.js";
import { emailApprovalLink } from "./lib/approval-mail.js";
import { ApprovalStep } from "./lib/steps.js";
import { instrumented } from "../adapters/observability.js";

const AskInput = z.object({ token: z.string().min(1), reportId: z.string().min(1), version: z.number().int().positive(), approval: ApprovalStep });

/**
 * "Ask the approver" (waitForTaskToken): stores the token with the approval — never in an
 * e-mail — then e-mails each approver their link, once per approval (outbox key). Run again
 * (a resumed execution, or after a reminder) it only re-registers the token; if the decision
 * was recorded while no token was waiting, it completes the task itself.
 */
export const handler = instrumented(async (event: unknown) => {
  const input = AskInput.parse(event);
  const now = clock.now();
  const missing = async () => {
    const version = await getReportVersion(input.reportId, input.version);
    return newApproval(version, new Date(version.submittedAt ?? now.toISOString()));
  };
  let { approval } = await registerTaskToken({ id: input.approval.approvalId, reportId: input.reportId, version: input.version }, input.token, now, missing);
  // One BatchGetItem for what the decision and the e-mails need (the approvers are read per e-mail).
  const [current, programme, version, assistant] = await readTogether([
    reportRead(input.reportId),
    programmeRead(approval.programmeId),
    reportVersionRead(input.reportId, input.version),
    personRead(approval.assistantId),
  ]);
  if (!current) throw new NotFoundError("report", input.reportId);
  const { report } = current;
  if (approval.status === "pending" && report.version !== approval.version && (await markSuperseded(approval))) approval = { ...approval, status: "superseded" };
  if (approval.status !== "pending") {
    const d = approval.decision;
    await completeAsk(input.token, approval.status === "superseded" || !d ? { outcome: "superseded" } : { outcome: d.outcome, reason: d.reason, by: d.by, at: d.at });
    return { completed: approval.status };
  }
  if (input.approval.attempt > 0) return { waiting: true };
  if (!programme) throw new NotFoundError("programme", approval.programmeId);
  if (!version) throw new NotFoundError("report version", `${input.reportId} v${input.version}`);
  for (const personId of programme.approverIds) {
    const sent = await emailApprovalLink({ approval, programme, personId, purpose: `ask:${personId}`, kind: "ask", now, report: version, assistant });
    if (sent === "sent") {
      await appendAuditEvent({
        id: `requested-${approval.id}-${personId}`.slice(0, 64),
        reportId: approval.reportId,
        at: now.toISOString(),
        actorId: "workflow",
        type: "approval.requested",
        version: approval.version,
        contentHash: approval.contentHash,
        via: "workflow:Ask the approver",
        details: { approvalId: approval.id, to: personId },
      });
    }
  }
  return { waiting: true, contentHash: contentHash(report) === approval.contentHash };
});
