import { contentHash, returnForCorrection } from "../../core/report.js";
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
import { saveReport, type StoredReport } from "../../adapters/reports.js";
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
  if (alertTo.length) {
    const alert = setAsideAlertEmail({ programmeName: programme.name.pl, setAside, assistantName, boardUrl: `${appUrl()}/board` });
    await sendOnce({ outboxKey: outboxKeys.setAsideAlert(report.id, report.version), to: alertTo, ...alert, now });
  }
  const reason = setAsideReason(setAside.problem);
  if (assistant) {
    const mail = returnedEmail({ assistantName, report, reason, url: `${appUrl()}/reports/${report.id}` });
    await sendOnce({ outboxKey: outboxKeys.returnedReport(report.id, report.version), to: [assistant.email], ...mail, now });
  }
  try {
    await saveReport(returnForCorrection(report, reason, SYSTEM_ACTOR, setAside.at), rev);
  } catch (error) {
    // A re-run of this step returned it between our read and write: nothing else changes an approved report.
    if (!(error instanceof VersionConflictError)) throw error;
  }
}
