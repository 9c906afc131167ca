import { requireOwner } from "../core/auth.js";
import { InvalidTransitionError } from "../core/errors.js";
import { submit } from "../core/report.js";
import { getProgramme } from "../adapters/programmes.js";
import { ensureSubmittedVersion, getReport, saveSubmission } from "../adapters/reports.js";
import { startNamedExecution } from "../adapters/sfn.js";
import { api, json } from "./lib/http.js";
import { audit, reportBody, submissionContext } from "./lib/reports.js";
import { signedIn } from "./lib/session.js";

/**
 * POST /api/reports/{reportId}/submit — validates the whole report, stores the immutable version,
 * audits, and starts report-<reportId>-v<version>. A retry of a submitted version only makes
 * sure its execution exists (the name is the idempotency key): no second version, no second run.
 */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  let stored = await getReport(req.param("reportId"));
  requireOwner(person, stored.report);
  if (stored.report.status === "draft") {
    req.checkRevision(stored.rev);
    const programme = await getProgramme(stored.report.programmeId);
    const submitted = submit(stored.report, await submissionContext(stored.report, programme), req.now.toISOString());
    stored = await saveSubmission(submitted, stored.rev);
    await audit("report.submitted", submitted, person.id, req.now, "session", { late: submitted.late });
  } else if (stored.report.status !== "submitted") {
    throw new InvalidTransitionError(stored.report.id, stored.report.status, "submitted");
  }
  const { report } = stored;
  await ensureSubmittedVersion(report);
  const name = `report-${report.id}-v${report.version}`;
  await startNamedExecution("APPROVAL_STATE_MACHINE_ARN", name, { reportId: report.id, version: report.version, programmeId: report.programmeId });
  return json(200, { ...reportBody(stored), execution: name });
});
