import { DecisionInput } from "../core/approval.js";
import { messagePage, pageTitles } from "../core/approval-page.js";
import { ForbiddenError, requireApprover } from "../core/auth.js";
import { canApprove } from "../core/programme.js";
import { getProgramme } from "../adapters/programmes.js";
import { approvalFromLink } from "./lib/approval-link.js";
import { applyDecision } from "./lib/decision.js";
import { html, page, parseWith } from "./lib/http.js";
import { optionalPerson } from "./lib/session.js";

/**
 * POST /approve/{approvalId}?sig=… — decides once. Refuses a form from another site or of
 * another type than the page's (403, 415), re-checks the signature and expiry, that the version
 * is still current and pending, and who decides: the person the link was made for, or the
 * signed-in person, who must then be an approver of the programme.
 */
export const handler = page(async (req) => {
  req.requireOwnOrigin();
  const form = req.form();
  const { stored, link } = await approvalFromLink(req, req.query("sig") ?? form.sig);
  const input = parseWith(DecisionInput, { outcome: form.outcome, reason: form.reason || undefined }, "form");
  const [person, programme] = await Promise.all([optionalPerson(req), getProgramme(stored.approval.programmeId)]);
  if (person) requireApprover(person, programme);
  else if (!canApprove(programme, link.approverId)) throw new ForbiddenError(`approver @ ${programme.id}`);
  const actor = person ? { by: person.id, via: `session+link:${link.approverId}` } : { by: link.approverId, via: `link:${link.approverId}` };
  const { decision } = await applyDecision(stored, input, actor, req.now);
  return html(200, messagePage(req.lang, pageTitles.decided[req.lang], pageTitles[decision.outcome][req.lang]));
});
