import { contentHash, returnForCorrection, type Report } from "../../core/report.js";
import { setAsideReason, SYSTEM_ACTOR } from "../../core/set-aside.js";
import type { Programme } from "../../core/programme.js";
import type { SetAside } from "../../core/batch.js";
import { returnedEmail } from "../../core/email/decision-email.js";
import { setAsideAlertEmail } from "../../core/email/set-aside-email.js";
import { appendAuditEvent } from "../../adapters/audit-events.js";
import { appUrl, operatorsEmails } from "../../adapters/config.js";
import { sendOnce } from "../../adapters/email.js";
import { outboxKeys } from "../../adapters/keys.js";
import { findPerson } from "../../adapters/people.js";
import { logger } from "../../adapters/observability.js";
import { getReport, saveReport, type StoredReport } from "../../adapters/reports.js";
import { recordSetAside } from "../../adapters/set-asides.js";
import { VersionConflictError } from "../../core/errors.js";

/**
 * Sets an approved report the payment files cannot print aside from the batch: the set-aside
 * record, an audit event, the alert to the coordinators (the approvers when the programme names
 * none) and the operators, the return e-mail to the assistant, and last the report returned for
 * correction. Every step is once per report version, so a re-run after a crash finishes the
 * rest; the report leaves the approved list only when everything else is done.
 */
export async function setAsideReport(programme: Programme, { report, rev }: StoredReport, problem: SetAside["problem"], now: Date): Promise<void> {
  const setAside = await recordSetAside({
    programmeId: programme.id,
    month: report.month,
    reportId: report.id,
    version: report.version,
    assistantId: report.assistantId,
    beneficiaryCode: report.beneficiaryCode,
    problem,
    at: now.toISOString(),
  });
  await appendAuditEvent({
    id: `set-aside-v${report.version}`,
    reportId: report.id,
    at: setAside.at,
    actorId: SYSTEM_ACTOR,
    type: "report.set_aside",
    version: report.version,
    contentHash: contentHash(report),
    via: "workflow:Build the payment batch",
    details: { problem: setAside.problem.en },
  });
  const assistant = await findPerson(report.assistantId);
  const assistantName = assistant?.name ?? report.assistantId;
  const staffIds = programme.coordinatorIds.length ? programme.coordinatorIds : programme.approverIds;
  const staff = (await Promise.all(staffIds.map(findPerson))).flatMap((p) => (p ? [p.email] : []));
  const alertTo = [...new Set([...staff, ...operatorsEmails()])];
  // An e-mail that cannot go out must not stop the payment (the reason the report is set aside):
  // the failure is logged for the operators; the record, the audit event and the finance e-mail keep it known.
  const reason = setAsideReason(setAside.problem);
  if (alertTo.length) {
    const alert = setAsideAlertEmail({ programmeName: programme.name.pl, setAside, assistantName, boardUrl: `${appUrl()}/board` });
    await sendOrLog(() => sendOnce({ outboxKey: outboxKeys.setAsideAlert(report.id, report.version), to: alertTo, ...alert, now }), report, "alert");
  }
  if (assistant) {
    const mail = returnedEmail({ assistantName, report, reason, url: `${appUrl()}/reports/${report.id}` });
    await sendOrLog(() => sendOnce({ outboxKey: outboxKeys.returnedReport(report.id, report.version), to: [assistant.email], ...mail, now }), report, "return");
  }
  await returnReport(report, rev, reason, setAside.at);
}

async function sendOrLog(send: () => Promise<unknown>, report: Report, what: string): Promise<void> {
  try {
    await send();
  } catch (error) {
    logger.error(`set-aside ${what} e-mail not sent`, { reportId: report.id, version: report.version, error });
  }
}

/**
 * Returns the set-aside version for correction. The page it came from is an index read and may
 * be stale: on a conflict the report is read again (consistently) and returned if that same
 * version is still approved; anything else means another run already did it.
 */
async function returnReport(report: Report, rev: number, reason: string, at: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await saveReport(returnForCorrection(report, reason, SYSTEM_ACTOR, at), rev);
      return;
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      const current = await getReport(report.id);
      if (current.report.status !== "approved" || current.report.version !== report.version) return;
      ({ report, rev } = current);
    }
  }
  throw new Error(`report ${report.id}: could not return version ${report.version} for correction (kept changing)`);
}
