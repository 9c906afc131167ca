import { createHmac, timingSafeEqual } from "node:crypto";
import { type Approval, type ApprovalLink, ApprovalLinkExpiredError, ApprovalLinkInvalidError } from "./approval.js";

type Signed = Pick<Approval, "id" | "reportId" | "version" | "contentHash">;

/** HMAC-SHA-256 (base64url) binding approval id, report id, version, content hash, approver and expiry. */
export function signApprovalLink(secret: string, approval: Signed, link: Pick<ApprovalLink, "approverId" | "expiresAt">): string {
  const payload = ["karta-approval-v1", approval.id, approval.reportId, approval.version, approval.contentHash, link.approverId, link.expiresAt].join("\n");
  return createHmac("sha256", secret).update(payload).digest("base64url");
}

/** The link e-mailed to the approver: only the approval id and the signature, never the task token. */
export function approvalUrl(appUrl: string, approvalId: string, sig: string): string {
  return `${appUrl.replace(/\/+$/, "")}/approve/${encodeURIComponent(approvalId)}?sig=${encodeURIComponent(sig)}`;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The link the signature was made for; refuses a tampered signature (403) and an expired
 * link (410). Reuse and superseded versions are checked on the approval itself.
 */
export function verifyApprovalLink(secret: string, approval: Approval, sig: string | undefined, now: Date): ApprovalLink {
  const link = sig ? Object.values(approval.links).find((l) => same(signApprovalLink(secret, approval, l), sig)) : undefined;
  if (!link) throw new ApprovalLinkInvalidError();
  if (now.getTime() >= Date.parse(link.expiresAt)) throw new ApprovalLinkExpiredError(link.expiresAt);
  return link;
}
