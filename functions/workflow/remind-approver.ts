import { approvalTimeoutSeconds, reminderRecipients } from "../core/approval.js";
import { appendAuditEvent } from "../adapters/audit-events.js";
import { getApproval } from "../adapters/approvals.js";
import { clock } from "../adapters/clock.js";
import { getProgramme } from "../adapters/programmes.js";
import { emailApprovalLink } from "./lib/approval-mail.js";
import { ApprovalStep, type ApprovalStep as Step } from "./lib/steps.js";
import { z } from "zod";

const RemindInput = z.object({ approval: ApprovalStep });

/**
 * "Remind the approver" after a timeout: the n-th reminder goes to the approvers, and from the
 * second on also to the deputy; one e-mail per person and attempt (outbox key). Returns the
 * next `$.approval` with a fresh timeout.
 */
export const handler = async (event: unknown): Promise<Step> => {
  const { approval: step } = RemindInput.parse(event);
  const now = clock.now();
  const attempt = step.attempt + 1;
  const { approval } = await getApproval(step.approvalId);
  const programme = await getProgramme(approval.programmeId);
  if (approval.status === "pending") {
    for (const { personId, escalation } of reminderRecipients(programme, attempt)) {
      const sent = await emailApprovalLink({ approval, programme, personId, purpose: `remind-${attempt}:${personId}`, kind: escalation ? "escalation" : "reminder", now });
      if (sent === "sent") {
        await appendAuditEvent({
          id: `reminded-${attempt}-${approval.id}-${personId}`.slice(0, 64),
          reportId: approval.reportId,
          at: now.toISOString(),
          actorId: "workflow",
          type: escalation ? "approval.escalated" : "approval.reminded",
          version: approval.version,
          contentHash: approval.contentHash,
          via: "workflow:Remind the approver",
          details: { approvalId: approval.id, to: personId, attempt },
        });
      }
    }
  }
  return { approvalId: approval.id, attempt, timeoutSeconds: approvalTimeoutSeconds(now, programme) };
};
