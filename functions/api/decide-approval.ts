import { DecisionInput } from "../core/approval.js";
import { requireApprover } from "../core/auth.js";
import { getApproval } from "../adapters/approvals.js";
import { getProgramme } from "../adapters/programmes.js";
import { applyDecision } from "./lib/decision.js";
import { api, json } from "./lib/http.js";
import { reportBody } from "./lib/reports.js";
import { signedIn } from "./lib/session.js";

/** POST /api/approvals/{approvalId}/decision — an approver of the programme decides from the web app (same core as the link). */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const input = req.json(DecisionInput);
  const stored = await getApproval(req.param("approvalId"));
  requireApprover(person, await getProgramme(stored.approval.programmeId));
  const { saved, decision } = await applyDecision(stored, input, { by: person.id, via: "session" }, req.now);
  return json(200, { ...reportBody(saved), decision });
});
