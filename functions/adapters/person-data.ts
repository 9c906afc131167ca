import { AuditEvent } from "../core/audit-event.js";
import type { PersonData } from "../core/person-data.js";
import { Report } from "../core/report.js";
import { approvalsOfReport } from "./approvals.js";
import { auditEventsOfReport } from "./audit-events.js";
import { contractVersions, findContracts } from "./contracts.js";
import { createIfAbsent, queryAll, withoutKeys, storedAs } from "./dynamo.js";
import { keys, queries } from "./keys.js";
import { getPerson } from "./people.js";
import { reportVersions } from "./reports.js";

/** Runs `task` over `items`, a few at a time (a person may have written hundreds of reports). */
async function eachFew<T, R>(items: readonly T[], task: (item: T) => Promise<R>, few = 8): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += few) results.push(...(await Promise.all(items.slice(i, i + few).map(task))));
  return results;
}

/**
 * Everything Karta holds about a person, by Queries on their own partitions and index entries:
 * the person, contracts, the reports they wrote (versions, audit events), what they did on any
 * report (audit events by actor) and the approvals among it they decided, sessions and sign-in
 * links (metadata), e-mails sent to them alone (outbox, recipient index), events about them.
 */
export async function personData(personId: string): Promise<PersonData> {
  const person = await getPerson(personId);
  const [contracts, contractChanges, reportItems, actionItems, personEventItems, credentialItems, emailItems] = await Promise.all([
    findContracts(personId),
    contractVersions(personId),
    queryAll(queries.reportsOfAssistant(personId)),
    queryAll(queries.auditEventsByActor(personId)),
    queryAll(queries.personAuditEvents(personId)),
    queryAll(queries.credentialsOfPerson(personId)),
    queryAll(queries.outboxToRecipient(person.email)),
  ]);
  const reports = await eachFew(reportItems.map((i) => storedAs(Report, i)), async (report) => {
    const [versions, auditEvents] = await Promise.all([reportVersions(report.id), auditEventsOfReport(report.id)]);
    return { report, versions, auditEvents };
  });
  const actions = actionItems.filter((i) => i.entity === "AuditEvent").map((i) => storedAs(AuditEvent, i));
  const decided = [...new Set(actions.filter((a) => a.type === "report.approved" || a.type === "report.returned").map((a) => a.reportId))];
  const decisions = (await eachFew(decided, approvalsOfReport)).flat().map((s) => s.approval).filter((a) => a.decision?.by === personId);
  return {
    person,
    contracts: contracts.contracts,
    contractChanges,
    reports,
    decisions,
    actions,
    personEvents: personEventItems.map(withoutKeys),
    sessions: credentialItems.map((i) => ({
      kind: i.entity === "Session" ? ("session" as const) : ("signInLink" as const),
      createdAt: String(i.createdAt),
      expiresAt: String(i.expiresAt),
      ...(i.usedAt ? { usedAt: String(i.usedAt) } : {}),
    })),
    emails: emailItems.map((i) => ({
      outboxKey: String(i.outboxKey),
      ...(i.subject ? { subject: String(i.subject) } : {}),
      ...(i.status ? { status: String(i.status) } : {}),
      ...(i.createdAt ? { createdAt: String(i.createdAt) } : {}),
      ...(i.sentAt ? { sentAt: String(i.sentAt) } : {}),
    })),
  };
}

/** Records that someone exported the person's data (who, when, how many reports): an event in the person's partition, written once. */
export async function recordPersonDataExport(e: { personId: string; by: string; at: string; id: string; via: string; reports: number }): Promise<boolean> {
  return createIfAbsent({ ...keys.personAuditEvent(e.personId, e.at, e.id), entity: "PersonAuditEvent", type: "person.data_exported", personId: e.personId, actorId: e.by, at: e.at, id: e.id, via: e.via, reports: e.reports });
}
