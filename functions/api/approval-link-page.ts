import { assertOpen } from "../core/approval.js";
import { approvalFormPage } from "../core/approval-page.js";
import { reportSummary } from "../core/report-summary.js";
import { versionChanges } from "../core/version-changes.js";
import { appendAuditEvent } from "../adapters/audit-events.js";
import { findPerson } from "../adapters/people.js";
import { getProgramme } from "../adapters/programmes.js";
import { getReport, getReportVersion } from "../adapters/reports.js";
import { approvalFromLink } from "./lib/approval-link.js";
import { html, page } from "./lib/http.js";

/**
 * GET and HEAD /approve/{approvalId}?sig=… — the report and an approve / return form. Mail
 * scanners open such links, so this never changes the report or the approval; a GET with a
 * valid link only notes "link opened" in the audit trail (at most once an hour per link).
 */
export const handler = page(async (req) => {
  const sig = req.query("sig");
  const { stored, link } = await approvalFromLink(req, sig);
  const { approval } = stored;
  assertOpen(approval, (await getReport(approval.reportId)).report);
  const [version, previous, programme, assistant] = await Promise.all([
    getReportVersion(approval.reportId, approval.version),
    // a resubmission is read against the version returned before it
    approval.version > 1 ? getReportVersion(approval.reportId, approval.version - 1).catch(() => undefined) : undefined,
    getProgramme(approval.programmeId),
    findPerson(approval.assistantId),
  ]);
  if (req.method === "GET") {
    const hour = new Date(Math.floor(req.now.getTime() / 3_600_000) * 3_600_000).toISOString();
    await appendAuditEvent({
      id: `opened-${approval.id}-${link.approverId}`.slice(0, 64),
      reportId: approval.reportId,
      at: hour,
      actorId: link.approverId,
      type: "approval.link_opened",
      version: approval.version,
      contentHash: approval.contentHash,
      via: `link:${link.approverId}`,
      details: { openedAt: req.now.toISOString(), userAgent: req.header("user-agent")?.slice(0, 200) },
    });
  }
  const summary = reportSummary(version, programme, assistant?.name ?? approval.assistantId, req.lang);
  const self = `/approve/${encodeURIComponent(approval.id)}?sig=${encodeURIComponent(sig!)}`;
  return html(
    200,
    approvalFormPage({
      lang: req.lang,
      facts: summary.facts,
      visits: summary.visits,
      signatures: summary.signatures,
      ...(previous ? { changes: { since: previous.version, lines: versionChanges(previous, version, programme, req.lang) } } : {}),
      overOrderExplanation: version.overOrderExplanation,
      formAction: `${self}&lang=${req.lang}`,
      otherLanguageUrl: `${self}&lang=${req.lang === "pl" ? "en" : "pl"}`,
    }),
  );
});
