import { decide, type DecisionInput } from "../../core/approval.js";
import { completeAsk } from "../../adapters/approval-task.js";
import { getApproval, recordDecision, type StoredApproval } from "../../adapters/approvals.js";
import { getReport, saveReport } from "../../adapters/reports.js";
import { count } from "../../adapters/observability.js";
import { audit } from "./reports.js";

/**
 * One decision, from a link or from the web app: the core rules, then the conditional write on
 * the approval (of two concurrent decisions exactly one gets past it), the report, the audit
 * event, and finally the waiting workflow task — with the token read from the table.
 */
export async function applyDecision(stored: StoredApproval, input: DecisionInput, actor: { by: string; via: string }, now: Date) {
  const { approval } = stored;
  const current = await getReport(approval.reportId);
  const { report, decision } = decide(approval, current.report, input, actor, now);
  await recordDecision(approval, decision);
  count.decision(decision.outcome);
  const saved = await saveReport(report, current.rev);
  await audit(decision.outcome === "approved" ? "report.approved" : "report.returned", report, actor.by, now, actor.via, {
    approvalId: approval.id,
    ...(decision.reason ? { reason: decision.reason } : {}),
  });
  const { taskToken } = await getApproval(approval.id);
  await completeAsk(taskToken, { outcome: decision.outcome, reason: decision.reason, by: decision.by, at: decision.at });
  return { saved, decision };
}
