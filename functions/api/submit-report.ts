import { requireOwner } from "../core/auth.js";
import { InvalidTransitionError, NotFoundError, PricingChangedError } from "../core/errors.js";
import { approvalExecution, newApproval } from "../core/approval.js";
import { contractPeriods } from "../core/contract.js";
import { contentHash, repriced, submit } from "../core/report.js";
import type { Programme } from "../core/programme.js";
import { readTogether } from "../adapters/dynamo.js";
import { personRead } from "../adapters/people.js";
import { programmeRead } from "../adapters/programmes.js";
import { ensureSubmittedVersion, reportRead, reportVersionHashRead, saveReport, saveSubmission, type StoredReport } from "../adapters/reports.js";
import { startNamedExecution } from "../adapters/sfn.js";
import { count } from "../adapters/observability.js";
import { api, json } from "./lib/http.js";
import { auditEvent, reportBody, submissionInputs } from "./lib/reports.js";
import { requireSession, requireSignedIn, sessionOf } from "./lib/session.js";

/**
 * POST /api/reports/{reportId}/submit — validates the whole report, stores the immutable version
 * and its pending approval, audits, and starts report-<reportId>-v<version>. A retry of a submitted version only makes
 * sure its execution exists (the name is the idempotency key): no second version, no second run.
 *
 * Four DynamoDB requests for a draft (docs/data-model.md): the session with the report (one
 * BatchGetItem; 401 before anything else when the session is not live), then at once the person,
 * their contracts, programme and order (one BatchGetItem) and the overlap Query, then one TransactWriteItems with
 * the report, its version, the audit event and the approval.
 */
export const handler = api(async (req) => {
  const reportId = req.param("reportId");
  const [sessionPersonId, found] = await readTogether([sessionOf(req), reportRead(reportId)]);
  const personId = requireSession(sessionPersonId);
  if (found?.report.status === "draft") {
    const draft = found.report;
    const { person, contracts, programme, order, otherVisits } = await submissionInputs(personId, draft);
    const assistant = requireSignedIn(person);
    requireOwner(assistant, draft);
    req.checkRevision(found.rev);
    if (!programme) throw new NotFoundError("programme", draft.programmeId);
    // A rate edited after signing: the draft is re-priced (signatures cleared) before the refusal, so signing again signs the right money.
    const current = repriced(draft, programme);
    if (current !== draft && draft.pricing) {
      await saveReport(current, found.rev);
      throw new PricingChangedError(draft.id);
    }
    const submitted = submit(draft, { programme, otherVisits, order, contracts: contractPeriods(contracts.contracts, assistant) }, req.now.toISOString());
    const event = auditEvent("report.submitted", submitted, assistant.id, req.now, "session", { late: submitted.late });
    const approval = newApproval({ ...submitted, contentHash: contentHash(submitted) }, req.now);
    const saved = await saveSubmission(submitted, found.rev, event, approval);
    count.reportSubmitted();
    return started(saved, programme);
  }
  // A retry (or a report in another state): the person, the snapshot the submission wrote, the programme.
  const [person, snapshotHash, programme] = await readTogether([
    personRead(personId),
    reportVersionHashRead(reportId, found?.report.version ?? 1),
    programmeRead(found?.report.programmeId ?? "-"), // no report: a key that matches nothing; 404 below
  ]);
  const owner = requireSignedIn(person);
  if (!found) throw new NotFoundError("report", reportId);
  requireOwner(owner, found.report);
  if (found.report.status !== "submitted") throw new InvalidTransitionError(found.report.id, found.report.status, "submitted");
  // Only a report submitted before submissions were one transaction can lack its snapshot.
  if (snapshotHash !== contentHash(found.report)) await ensureSubmittedVersion(found.report);
  if (!programme) throw new NotFoundError("programme", found.report.programmeId);
  return started(found, programme);
});

async function started(stored: StoredReport, programme: Programme) {
  const { name, input } = approvalExecution(stored.report, programme);
  await startNamedExecution("APPROVAL_STATE_MACHINE_ARN", name, input);
  return json(200, { ...reportBody(stored), execution: name });
}
