import { AlreadyExistsError, NotFoundError, VersionConflictError } from "../core/errors.js";
import { contentHash, Report, type ReportStatus } from "../core/report.js";
import { documentClient, getItem, isConditionFailed, queryAll, queryPage, tableName, withoutKeys, type Item, createItem } from "./dynamo.js";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { keys, queries } from "./keys.js";

/** A report with the revision of its current item (the optimistic-lock token, not the report version). */
export type StoredReport = { report: Report; rev: number };

const currentItem = (report: Report, rev: number) => ({ ...keys.report(report), entity: "Report", rev, ...report });
const parseStored = (i: Item): StoredReport => ({ report: Report.parse(withoutKeys(i)), rev: i.rev as number });

/** Stores a new report (conditional create, rev 1). */
export async function createReport(input: Report): Promise<StoredReport> {
  const report = Report.parse(input);
  await createItem(currentItem(report, 1), "report", report.id);
  return { report, rev: 1 };
}

/** The report's current state, or undefined. */
export async function findReport(reportId: string): Promise<StoredReport | undefined> {
  const found = await getItem(keys.reportCurrent(reportId));
  return found ? parseStored(found) : undefined;
}

/** The report's current state, or NotFoundError. */
export async function getReport(reportId: string): Promise<StoredReport> {
  const found = await findReport(reportId);
  if (!found) throw new NotFoundError("report", reportId);
  return found;
}

/** Replaces the current item if nobody changed it since `expectedRev` (VersionConflictError otherwise); returns the new rev. */
export async function saveReport(input: Report, expectedRev: number): Promise<StoredReport> {
  const report = Report.parse(input);
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
export async function putReportVersion(input: Report): Promise<void> {
  const report = Report.parse(input);
  const hash = contentHash(report);
  try {
    await createItem({ ...keys.reportVersion(report.id, report.version), entity: "ReportVersion", ...report, contentHash: hash }, "report version", `${report.id} v${report.version}`);
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
    const existing = await getItem(keys.reportVersion(report.id, report.version));
    if (existing?.contentHash !== hash) throw error;
  }
}

/**
 * Records a submission: first the current item under the lock (a concurrent edit makes it fail
 * with VersionConflictError and nothing is written), then the immutable version. Without
 * transactions a crash can fall between the two; the report then says "submitted v<n>" and
 * `ensureSubmittedVersion` (run by every retry of the submit) writes the missing snapshot.
 */
export async function saveSubmission(submitted: Report, expectedRev: number): Promise<StoredReport> {
  const stored = await saveReport(submitted, expectedRev);
  await putReportVersion(stored.report);
  return stored;
}

/** Makes sure the immutable snapshot of a submitted report exists (idempotent). */
export async function ensureSubmittedVersion(report: Report): Promise<void> {
  await putReportVersion(report);
}

/** One immutable submitted version, or NotFoundError. */
export async function getReportVersion(reportId: string, version: number): Promise<Report & { contentHash: string }> {
  const found = await getItem(keys.reportVersion(reportId, version));
  if (!found) throw new NotFoundError("report version", `${reportId} v${version}`);
  return { ...Report.parse(withoutKeys(found)), contentHash: found.contentHash as string };
}

/** Every submitted version of the report, oldest first. */
export async function reportVersions(reportId: string): Promise<Report[]> {
  return (await queryAll(queries.reportVersions(reportId))).map((i) => Report.parse(withoutKeys(i)));
}

/** Every report of the assistant for the month across programmes, with visits (for overlap checks). */
export async function reportsByAssistantMonth(assistantId: string, month: string): Promise<StoredReport[]> {
  return (await queryAll(queries.reportsByAssistantMonth(assistantId, month))).map(parseStored);
}

/** Every report of the programme for the month. */
export async function reportsByProgrammeMonth(programmeId: string, month: string): Promise<StoredReport[]> {
  return (await queryAll(queries.reportsByProgrammeMonth(programmeId, month))).map(parseStored);
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
