import { APPROVAL_LINK_SECONDS, type Approval } from "../../core/approval.js";
import { approvalUrl, signApprovalLink } from "../../core/approval-link.js";
import { after } from "../../core/auth.js";
import { approvalEmail, type ApprovalEmailKind } from "../../core/email/approval-email.js";
import type { Programme } from "../../core/programme.js";
import { recordLink } from "../../adapters/approvals.js";
import { sendOnce, type SendResult } from "../../adapters/email.js";
import { findPerson } from "../../adapters/people.js";
import { getReportVersion } from "../../adapters/reports.js";
import { linkSecret } from "../../adapters/secrets.js";

export function appUrl(): string {
  const url = process.env.APP_URL;
  if (!url) throw new Error("APP_URL is not set");
  return url.replace(/\/+$/, "");
}

/**
 * E-mails one person a signed link to the approval. The link is recorded under its purpose
 * first (a re-run signs the same link), and the e-mail goes at most once per purpose.
 */
export async function emailApprovalLink(args: { approval: Approval; programme: Programme; personId: string; purpose: string; kind: ApprovalEmailKind; now: Date }): Promise<SendResult | "no-such-person"> {
  const { approval, personId, now } = args;
  const [recipient, assistant, report] = await Promise.all([
    findPerson(personId),
    findPerson(approval.assistantId),
    getReportVersion(approval.reportId, approval.version),
  ]);
  if (!recipient) {
    console.error(JSON.stringify({ level: "error", message: "approver not found", approvalId: approval.id, personId }));
    return "no-such-person";
  }
  const link = await recordLink(approval, args.purpose, { approverId: personId, issuedAt: now.toISOString(), expiresAt: after(now, APPROVAL_LINK_SECONDS) });
  const url = approvalUrl(appUrl(), approval.id, signApprovalLink(linkSecret(), approval, link));
  const mail = approvalEmail({
    kind: args.kind,
    recipientName: recipient.name,
    assistantName: assistant?.name ?? approval.assistantId,
    report,
    programme: args.programme,
    url,
    expiresAt: link.expiresAt,
  });
  return sendOnce({ outboxKey: `approval#${approval.id}#${args.purpose}`, to: [recipient.email], ...mail, now });
}
