import { AuditEvent, BatchAuditEvent } from "../core/audit-event.js";
import { createIfAbsent, queryAll, withoutKeys, storedAs } from "./dynamo.js";
import { keys, queries } from "./keys.js";

/** Appends an audit event (conditional create: an event is never overwritten; a retry with the same id is a no-op). Returns true when written. */
export async function appendAuditEvent(input: AuditEvent): Promise<boolean> {
  return createIfAbsent(auditEventItem(input));
}

/** The stored item of an audit event (for writes that append it together with others; always a conditional create). */
export function auditEventItem(input: AuditEvent) {
  const event = AuditEvent.parse(input);
  return { ...keys.auditEvent(event.reportId, event.at, event.id), ...keys.auditEventByActor(event.actorId, event.at, event.id), entity: "AuditEvent", ...event };
}

/** The report's audit events in time order. */
export async function auditEventsOfReport(reportId: string): Promise<AuditEvent[]> {
  return (await queryAll(queries.auditEventsOfReport(reportId))).map((i) => storedAs(AuditEvent, i));
}

/** Appends a batch's audit event (conditional create, like a report's). */
export async function appendBatchAuditEvent(input: BatchAuditEvent): Promise<boolean> {
  const event = BatchAuditEvent.parse(input);
  return createIfAbsent({ ...keys.batchAuditEvent(event.batchId, event.at, event.id), entity: "BatchAuditEvent", ...event });
}

/** The batch's audit events in time order. */
export async function auditEventsOfBatch(batchId: string): Promise<BatchAuditEvent[]> {
  return (await queryAll(queries.auditEventsOfBatch(batchId))).map((i) => storedAs(BatchAuditEvent, i));
}
