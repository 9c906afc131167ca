import { VersionConflictError } from "../../core/errors.js";
import { approve, returnReport } from "../../core/report.js";
import { getReport, saveReport } from "../../adapters/reports.js";
import type { z } from "zod";
import type { TaskDecisionSchema } from "./steps.js";

/**
 * Makes sure the report carries the decision the task was completed with. The decision handler
 * records it before completing the task; this repairs a crash between the approval's and the
 * report's writes, and does nothing when the report already moved on.
 */
export async function ensureReportDecided(reportId: string, version: number, decision: z.infer<typeof TaskDecisionSchema>, contentHash: string): Promise<void> {
  const { report, rev } = await getReport(reportId);
  if (report.status !== "submitted" || report.version !== version || !decision.by || !decision.at) return;
  const base = { by: decision.by, version, contentHash };
  const decided = decision.outcome === "approved" ? approve(report, base, decision.at) : returnReport(report, { ...base, reason: decision.reason ?? "" }, decision.at);
  try {
    await saveReport(decided, rev);
  } catch (error) {
    // The decision handler saved it between our read and write: the report is decided.
    if (!(error instanceof VersionConflictError)) throw error;
  }
}
