import { approvalsDueForReminder, approvalTimeoutSeconds, reminderRecipients } from "../core/approval.js";
import { appendAuditEvent } from "../adapters/audit-events.js";
import { getApproval } from "../adapters/approvals.js";
import { clock } from "../adapters/clock.js";
import { getProgramme } from "../adapters/programmes.js";
import { emailApproverDigest } from "./lib/approval-mail.js";
import { ApprovalStep, type ApprovalStep as Step } from "./lib/steps.js";
import * as z from "zod";
import { instrumented, logger } from "../adapters/observability.js";

const RemindInput = z.object({ approval: ApprovalStep });

/**
 * "Remind the approver" after a timeout: the n-th reminder goes to the approvers, and from the
 * second on also to the deputy. The e-mail is the person's one digest of the day
 * (`emailApproverDigest`, shared with the cycle's daily check): the first caller of the day claims
 * and sends it, covering every approval due for a reminder (the oldest 50 with their own links,
 * the rest counted); a later one finds it claimed or sent and builds nothing. The audit event is
 * appended whenever today's digest to that person covers this approval. Returns the next
 * `$.approval` with a fresh timeout.
 */
export const handler = instrumented(async (event: unknown): Promise<Step> => {
  const { approval: step } = RemindInput.parse(event);
  const now = clock.now();
  const attempt = step.attempt + 1;
  const { approval } = await getApproval(step.approvalId);
  const programme = await getProgramme(approval.programmeId);
  if (approval.status === "pending") {
    for (const { personId, escalation } of reminderRecipients(programme, attempt)) {
      const digest = await emailApproverDigest({ programme, personId, escalation, now, claimant: `remind-${attempt}:${approval.id}`, include: approval });
      if (digest.result === "no-such-person" || digest.result === "nothing-waiting") continue;
      // Sent by this call (which lists this approval in any case), or claimed by another caller
      // today: that digest covers every approval due by the same rule (the oldest with links, the
      // rest counted), so this one is covered exactly when the rule says it is due.
      const covered = digest.result === "sent" || approvalsDueForReminder([approval], programme, now.toISOString(), escalation ? "deputy" : "approvers").length > 0;
      if (!covered) {
        logger.warn("today's digest went out without this approval; it is listed in the next one", { approvalId: approval.id, approverId: personId, outboxKey: digest.outboxKey });
        continue;
      }
      await appendAuditEvent({
        id: `reminded-${attempt}-${approval.id}-${personId}`.slice(0, 64),
        reportId: approval.reportId,
        at: now.toISOString(),
        actorId: "workflow",
        type: escalation ? "approval.escalated" : "approval.reminded",
        version: approval.version,
        contentHash: approval.contentHash,
        via: "workflow:Remind the approver",
        details: { approvalId: approval.id, to: personId, attempt, digest: digest.outboxKey },
      });
    }
  }
  return { approvalId: approval.id, attempt, timeoutSeconds: approvalTimeoutSeconds(now, programme) };
});
