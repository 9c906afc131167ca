import type { AuditEvent } from "../core/audit-event.js";
import { AlreadyExistsError, NotFoundError, VersionConflictError } from "../core/errors.js";
import { contentHash, Report, requireStorableSize, type ReportStatus } from "../core/report.js";
import type { Approval } from "../core/approval.js";
import { approvalItem } from "./approval-item.js";
import { auditEventItem } from "./audit-events.js";
import { createItem, documentClient, getItem, isConditionFailed, putTogether, queryAll, queryPage, tableName, TransactionConflict, withoutKeys, type Item, type Read, storedAs } from "./dynamo.js";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { keys, queries } from "./keys.js";

/** A report with the revision of its current item (the optimistic-lock token, not the report version). */
export type StoredReport = { report: Report; rev: number };

/** A valid report small enough for one item: DynamoDB would refuse a larger one with a 500 (core MAX_REPORT_BYTES). */
function storable(input: Report): Report {
  const report = Report.parse(input);
  requireStorableSize(report);
  return report;
}

const currentItem = (report: Report, rev: number) => ({ ...keys.report(report), entity: "Report", rev, ...report });
const parseStored = (i: Item): StoredReport => ({ report: storedAs(Report, i), rev: i.rev as number });

/** Stores a new report (conditional create, rev 1). */
export async function createReport(input: Report): Promise<StoredReport> {
  const report = storable(input);
  await createItem(currentItem(report, 1), "report", report.id);
  return { report, rev: 1 };
}

/** The report's current state, or undefined. */
export async function findReport(reportId: string): Promise<StoredReport | undefined> {
  const read = reportRead(reportId);
  return read.parse(await getItem(read.key));
}

/** The same as a read to send together with others (readTogether). */
export function reportRead(reportId: string): Read<StoredReport | undefined> {
  return { key: keys.reportCurrent(reportId), parse: (found) => (found ? parseStored(found) : undefined) };
}

/** The content hash of a stored version (undefined when the version has no snapshot), as a read for readTogether. */
export function reportVersionHashRead(reportId: string, version: number): Read<string | undefined> {
  return { key: keys.reportVersion(reportId, version), parse: (found) => (found ? (found.contentHash as string) : undefined) };
}

/** The report's current state, or NotFoundError. */
export async function getReport(reportId: string): Promise<StoredReport> {
  const found = await findReport(reportId);
  if (!found) throw new NotFoundError("report", reportId);
  return found;
}

/** Replaces the current item if nobody changed it since `expectedRev` (VersionConflictError otherwise); returns the new rev. */
export async function saveReport(input: Report, expectedRev: number): Promise<StoredReport> {
  const report = storable(input);
  try {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: currentItem(report, expectedRev + 1),
        ConditionExpression: "rev = :rev",
        ExpressionAttributeValues: { ":rev": expectedRev },
      }),
    );
  } catch (error) {
    if (isConditionFailed(error)) throw new VersionConflictError("report", report.id, expectedRev);
    throw error;
  }
  return { report, rev: expectedRev + 1 };
}

/**
 * Writes the immutable snapshot of a submitted version (conditional create). A retry with the
 * same content is a no-op; different content for an existing version is refused.
 */
const versionItem = (report: Report) => ({ ...keys.reportVersion(report.id, report.version), entity: "ReportVersion", ...report, contentHash: contentHash(report) });

export async function putReportVersion(input: Report): Promise<void> {
  const report = storable(input);
  const hash = contentHash(report);
  try {
    await createItem(versionItem(report), "report version", `${report.id} v${report.version}`);
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
    const existing = await getItem(keys.reportVersion(report.id, report.version));
    if (existing?.contentHash !== hash) throw error;
  }
}

/**
 * Records a submission in one transaction (TransactWriteItems), all or nothing: the current item
 * under the optimistic lock (`rev = expectedRev`), the immutable version (conditional create)
 * and, when given, the audit event (conditional create, append-only) and the pending approval the
 * workflow asks about (conditional create). A concurrent edit makes it
 * fail with VersionConflictError, an existing snapshot of that version with AlreadyExistsError;
 * either way nothing is written.
 */
export async function saveSubmission(submitted: Report, expectedRev: number, event?: AuditEvent, approval?: Approval): Promise<StoredReport> {
  const report = storable(submitted);
  const created = "attribute_not_exists(pk)";
  const writes = [
    { item: currentItem(report, expectedRev + 1), condition: "rev = :rev", values: { ":rev": expectedRev } },
    { item: versionItem(report), condition: created },
    ...(event ? [{ item: auditEventItem(event), condition: created }] : []),
    ...(approval ? [{ item: approvalItem(approval), condition: created }] : []),
  ];
  const written: [string, string][] = [
    ["report", report.id],
    ["report version", `${report.id} v${report.version}`],
    ...(event ? [["audit event", event.id] as [string, string]] : []),
    ...(approval ? [["approval", approval.id] as [string, string]] : []),
  ];
  try {
    await putTogether(writes);
  } catch (error) {
    if (!(error instanceof TransactionConflict)) throw error;
    if (error.failed[0]) throw new VersionConflictError("report", report.id, expectedRev);
    if (error.failed[1]) {
      // A snapshot left by a submission written before transactions: accepted when it holds this very content.
      const existing = await getItem(keys.reportVersion(report.id, report.version));
      if (existing?.contentHash !== contentHash(report)) throw new AlreadyExistsError("report version", `${report.id} v${report.version}`);
      return saveSubmissionOver(report, expectedRev, event);
    }
    const [what, id] = written[error.failed.indexOf(true)] ?? ["item", report.id];
    throw new AlreadyExistsError(what, id);
  }
  return { report, rev: expectedRev + 1 };
}

async function saveSubmissionOver(report: Report, expectedRev: number, event?: AuditEvent): Promise<StoredReport> {
  try {
    await putTogether([
      { item: currentItem(report, expectedRev + 1), condition: "rev = :rev", values: { ":rev": expectedRev } },
      ...(event ? [{ item: auditEventItem(event), condition: "attribute_not_exists(pk)" }] : []),
    ]);
  } catch (error) {
    if (!(error instanceof TransactionConflict)) throw error;
    if (error.failed[0]) throw new VersionConflictError("report", report.id, expectedRev);
    throw new AlreadyExistsError("audit event", event!.id);
  }
  return { report, rev: expectedRev + 1 };
}

/**
 * Makes sure the immutable snapshot of a submitted report exists (idempotent). Submissions write
 * it in the same transaction as the report, so this only repairs reports submitted before that
 * (when a crash could fall between the two writes).
 */
export async function ensureSubmittedVersion(report: Report): Promise<void> {
  await putReportVersion(report);
}

/** One immutable submitted version, or NotFoundError. */
export async function getReportVersion(reportId: string, version: number): Promise<Report & { contentHash: string }> {
  const read = reportVersionRead(reportId, version);
  const found = read.parse(await getItem(read.key));
  if (!found) throw new NotFoundError("report version", `${reportId} v${version}`);
  return found;
}

/** A stored version with its content hash, as a read for readTogether (undefined when absent). */
export function reportVersionRead(reportId: string, version: number): Read<(Report & { contentHash: string }) | undefined> {
  return {
    key: keys.reportVersion(reportId, version),
    parse: (found) => (found ? { ...storedAs(Report, found), contentHash: found.contentHash as string } : undefined),
  };
}

/** Every submitted version of the report, oldest first. */
export async function reportVersions(reportId: string): Promise<Report[]> {
  return (await queryAll(queries.reportVersions(reportId))).map((i) => storedAs(Report, i));
}

/** Every report of the assistant for the month across programmes, with visits (for overlap checks). */
export async function reportsByAssistantMonth(assistantId: string, month: string): Promise<StoredReport[]> {
  return (await queryAll(queries.reportsByAssistantMonth(assistantId, month))).map(parseStored);
}

/** Every report of the assistant for the months `from`..`to` (inclusive) across programmes, in one Query. */
export async function reportsByAssistantMonths(assistantId: string, from: string, to: string): Promise<StoredReport[]> {
  return (await queryAll(queries.reportsByAssistantMonths(assistantId, from, to))).map(parseStored);
}

/** Every report of the programme for the month. */
export async function reportsByProgrammeMonth(programmeId: string, month: string): Promise<StoredReport[]> {
  return (await queryAll(queries.reportsByProgrammeMonth(programmeId, month))).map(parseStored);
}

/** One page of the programme's reports for the month, in index order (assistant, beneficiary). */
export async function reportsByProgrammeMonthPage(programmeId: string, month: string, page: { limit?: number; cursor?: string } = {}): Promise<{ reports: StoredReport[]; cursor?: string }> {
  const result = await queryPage(queries.reportsByProgrammeMonth(programmeId, month), page);
  return { reports: result.items.map(parseStored), cursor: result.cursor };
}

/** Every report of the programme for the month with the given status. */
export async function reportsByProgrammeMonthStatus(programmeId: string, month: string, status: ReportStatus): Promise<StoredReport[]> {
  return (await queryAll(queries.reportsByProgrammeMonthStatus(programmeId, month, status))).map(parseStored);
}

/** One page of the programme's reports with a status (for paginated workflow steps). */
export async function reportsByProgrammeMonthStatusPage(
  programmeId: string,
  month: string,
  status: ReportStatus,
  page: { limit?: number; cursor?: string } = {},
): Promise<{ reports: StoredReport[]; cursor?: string }> {
  const result = await queryPage(queries.reportsByProgrammeMonthStatus(programmeId, month, status), page);
  return { reports: result.items.map(parseStored), cursor: result.cursor };
}
