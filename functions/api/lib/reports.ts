import { randomUUID } from "node:crypto";
import type { AuditEvent } from "../../core/audit-event.js";
import { nextMonth, previousMonth } from "../../core/calendar.js";
import { contractPeriods } from "../../core/contract.js";
import type { Person } from "../../core/person.js";
import type { Programme } from "../../core/programme.js";
import { contentHash, overlapMonths, visitsOfOtherReports, type Report, type VisitContext } from "../../core/report.js";
import { appendAuditEvent } from "../../adapters/audit-events.js";
import { contractsRead, findContracts } from "../../adapters/contracts.js";
import { readTogether } from "../../adapters/dynamo.js";
import { personRead } from "../../adapters/people.js";
import { programmeRead } from "../../adapters/programmes.js";
import { reportsByAssistantMonths, type StoredReport } from "../../adapters/reports.js";
import { serviceOrderRead } from "../../adapters/service-orders.js";

/**
 * The assistant's visits in every other report of `months` (consecutive; by default the month and
 * both neighbours, as a night visit can cross a month's end), read in one Query.
 */
export async function otherVisitsOf(report: Report, months = [previousMonth(report.month), report.month, nextMonth(report.month)]) {
  const reports = (await reportsByAssistantMonths(report.assistantId, months[0]!, months.at(-1)!)).map((s) => s.report);
  return visitsOfOtherReports(reports, report.id);
}

/** What a visit's rules need: the programme, the assistant's other visits and contracts (`assistant`: the report's owner), the instant. */
export async function visitContext(report: Report, programme: Programme, now: Date, assistant: Person): Promise<VisitContext> {
  const [otherVisits, recorded] = await Promise.all([otherVisitsOf(report), findContracts(report.assistantId)]);
  return { programme, otherVisits, now: now.toISOString(), contracts: contractPeriods(recorded.contracts, assistant) };
}

/**
 * Everything submitting a draft needs besides the report, in one round of two requests
 * sent at once: the signed-in person, their contracts, the programme and the service order in one BatchGetItem,
 * and the assistant's reports of the months that can hold an overlapping visit (`overlapMonths`:
 * usually only the report's own month; one Query either way). Missing items come back
 * undefined; the caller checks the person before anything else.
 */
export async function submissionInputs(personId: string, report: Report) {
  const [[person, contracts, programme, order], otherVisits] = await Promise.all([
    readTogether([personRead(personId), contractsRead(personId), programmeRead(report.programmeId), serviceOrderRead(report)]),
    otherVisitsOf(report, overlapMonths(report)),
  ]);
  return { person, contracts, programme, order, otherVisits };
}

/** An audit event for a report state (actor, instant, version, content hash), to append (`audit`) or to write with the state. */
export function auditEvent(type: AuditEvent["type"], report: Report, actorId: string, now: Date, via: string, details?: Record<string, unknown>): AuditEvent {
  return { id: randomUUID(), reportId: report.id, at: now.toISOString(), actorId, type, version: report.version, contentHash: contentHash(report), via, details };
}

/** Appends an audit event for a report state (actor, instant, version, content hash). */
export async function audit(type: AuditEvent["type"], report: Report, actorId: string, now: Date, via: string, details?: Record<string, unknown>) {
  await appendAuditEvent(auditEvent(type, report, actorId, now, via, details));
}

/** The report as the API answers it: the report, its revision (send it back as If-Match) and its content hash (sign it). */
export function reportBody(stored: StoredReport) {
  return { report: stored.report, rev: stored.rev, contentHash: contentHash(stored.report) };
}
