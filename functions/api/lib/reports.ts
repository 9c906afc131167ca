import { randomUUID } from "node:crypto";
import type { AuditEvent } from "../../core/audit-event.js";
import { nextMonth, previousMonth } from "../../core/calendar.js";
import type { Programme } from "../../core/programme.js";
import { contentHash, visitsOfOtherReports, type Report, type SubmissionContext, type VisitContext } from "../../core/report.js";
import { appendAuditEvent } from "../../adapters/audit-events.js";
import { reportsByAssistantMonth, type StoredReport } from "../../adapters/reports.js";
import { findServiceOrder } from "../../adapters/service-orders.js";

/** The assistant's visits in every other report around the month (a night visit can cross into the next month). */
export async function otherVisitsOf(report: Report) {
  const months = [previousMonth(report.month), report.month, nextMonth(report.month)];
  const reports = (await Promise.all(months.map((m) => reportsByAssistantMonth(report.assistantId, m)))).flat().map((s) => s.report);
  return visitsOfOtherReports(reports, report.id);
}

export async function visitContext(report: Report, programme: Programme): Promise<VisitContext> {
  return { programme, otherVisits: await otherVisitsOf(report) };
}

export async function submissionContext(report: Report, programme: Programme): Promise<SubmissionContext> {
  const [otherVisits, order] = await Promise.all([
    otherVisitsOf(report),
    findServiceOrder(report.programmeId, report.month, report.assistantId, report.beneficiaryCode),
  ]);
  return { programme, otherVisits, order };
}

/** Appends an audit event for a report state (actor, instant, version, content hash). */
export async function audit(type: AuditEvent["type"], report: Report, actorId: string, now: Date, via: string, details?: Record<string, unknown>) {
  await appendAuditEvent({ id: randomUUID(), reportId: report.id, at: now.toISOString(), actorId, type, version: report.version, contentHash: contentHash(report), via, details });
}

/** The report as the API answers it: the report, its revision (send it back as If-Match) and its content hash (sign it). */
export function reportBody(stored: StoredReport) {
  return { report: stored.report, rev: stored.rev, contentHash: contentHash(stored.report) };
}
