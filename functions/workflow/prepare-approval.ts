import { approvalTimeoutSeconds, newApproval } from "../core/approval.js";
import { clock } from "../adapters/clock.js";
import { createApprovalIfAbsent } from "../adapters/approvals.js";
import { getProgramme } from "../adapters/programmes.js";
import { getReportVersion } from "../adapters/reports.js";
import { ApprovalExecution, type ApprovalStep } from "./lib/steps.js";

/** "Prepare the approval": the approval record of this version (created once) and the ask's timeout in seconds. */
export const handler = async (event: unknown): Promise<ApprovalStep> => {
  const input = ApprovalExecution.parse(event);
  const now = clock.now();
  const [version, programme] = await Promise.all([getReportVersion(input.reportId, input.version), getProgramme(input.programmeId)]);
  const { approval } = await createApprovalIfAbsent(newApproval(version, now));
  return { approvalId: approval.id, attempt: 0, timeoutSeconds: approvalTimeoutSeconds(now, programme) };
};
