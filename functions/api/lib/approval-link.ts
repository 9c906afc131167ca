import { ApprovalLinkInvalidError } from "../../core/approval.js";
import { verifyApprovalLink } from "../../core/approval-link.js";
import { findApproval } from "../../adapters/approvals.js";
import { linkSecret } from "../../adapters/secrets.js";
import { logPerson } from "../../adapters/observability.js";
import type { HttpRequest } from "./http.js";

/** The approval a link points to, after checking its signature (403) and expiry (410). An unknown id is a bad link, not a 404. */
export async function approvalFromLink(req: HttpRequest, sig: string | undefined) {
  const stored = await findApproval(req.param("approvalId"));
  if (!stored) throw new ApprovalLinkInvalidError();
  const link = verifyApprovalLink(linkSecret(), stored.approval, sig, req.now);
  logPerson(link.approverId);
  return { stored, link };
}
