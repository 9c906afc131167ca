import { useState, type FormEvent } from "react";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/pl";
import { amountOf, loadProgramme } from "../lib/assistant-api";
import { formatDateTime, formatPln } from "../lib/format";
import { visitMinutes } from "../lib/labels";
import { Link } from "../lib/router";
import { decide, loadAudit, loadPending, loadReportBody, loadVersions } from "../lib/staff-api";
import { useFormat } from "../lib/use-format";
import { useLoad } from "../lib/use-load";
import { useTitle } from "../lib/use-title";
import { ErrorNotice, Loading, NoticeError, StatusBadge } from "../components/status";
import { Signatures, VisitsTable } from "../components/report-details";

async function loadAll(reportId: string) {
  const body = await loadReportBody(reportId);
  const [pending, versions, audit, programme] = await Promise.all([
    loadPending().catch(() => []),
    loadVersions(reportId).catch(() => []),
    loadAudit(reportId).catch(() => []),
    loadProgramme(body.report.programmeId).catch(() => undefined),
  ]);
  const approval = pending.find((p) => p.report.id === reportId && p.report.version === body.report.version);
  return { ...body, approval, versions, audit, programme };
}

/** The approver's view of one report: everything the decision rests on, then approve or return. */
export function ApprovalReportPage({ reportId }: { reportId: string }) {
  const { t } = useI18n();
  const f = useFormat();
  const { data, error, loading, reload } = useLoad(() => loadAll(reportId), [reportId]);
  const [reason, setReason] = useState("");
  const [returning, setReturning] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  useTitle(data ? t("approval.title", { code: data.report.beneficiaryCode }) : t("approvals.title"));

  if (!data) return <section className="page">{loading ? <Loading /> : <ErrorNotice error={error} onRetry={reload} />}</section>;
  const { report, approval, programme } = data;
  const minutes = report.visits.reduce((s, v) => s + visitMinutes(v), 0);
  const amount = approval?.amountGrosze ?? (programme ? amountOf(report.visits, programme) : undefined);

  const act = async (outcome: "approve" | "return", event?: FormEvent) => {
    event?.preventDefault();
    if (!approval) return;
    if (outcome === "return" && !reason.trim()) {
      setActionError(new NoticeError(t("approval.reasonRequired")));
      return;
    }
    setBusy(true);
    setActionError(undefined);
    try {
      await decide(approval.approvalId, outcome, outcome === "return" ? reason.trim() : undefined);
      setDone(outcome === "approve" ? t("approval.approvedDone") : t("approval.returnedDone"));
      reload();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page wide">
      <p className="breadcrumb">
        <Link to="/approvals">{t("approval.backToQueue")}</Link>
      </p>
      <div className="page-head">
        <h1>{t("approval.title", { code: report.beneficiaryCode })}</h1>
        <StatusBadge status={report.status === "submitted" && report.late ? "late" : report.status} />
      </div>
      {done && (
        <p className="notice notice-ok" role="status">
          {done}
        </p>
      )}
      <dl className="facts">
        <div>
          <dt>{t("approvals.assistant")}</dt>
          <dd>{approval?.assistantName ?? report.assistantId}</dd>
        </div>
        <div>
          <dt>{t("approvals.month")}</dt>
          <dd>{f.monthName(report.month)}</dd>
        </div>
        <div>
          <dt>{t("sign.version")}</dt>
          <dd>{report.version}</dd>
        </div>
        <div>
          <dt>{t("sign.visitCount")}</dt>
          <dd>{report.visits.length}</dd>
        </div>
        <div>
          <dt>{t("sign.totalTime")}</dt>
          <dd>{f.duration(minutes)}</dd>
        </div>
        {amount !== undefined && (
          <div>
            <dt>{t("report.amount")}</dt>
            <dd>{formatPln(amount)}</dd>
          </div>
        )}
        {report.submittedAt && (
          <div>
            <dt>{t("approvals.submittedAt")}</dt>
            <dd>{formatDateTime(report.submittedAt)}</dd>
          </div>
        )}
      </dl>
      {report.overOrderExplanation && (
        <div className="notice notice-warn">
          <p>
            <strong>{t("approval.overOrder")}:</strong> {report.overOrderExplanation}
          </p>
        </div>
      )}
      <VisitsTable report={report} programme={programme} />
      <h2>{t("approval.signatures")}</h2>
      <Signatures report={report} contentHash={data.contentHash} />

      {approval && report.status === "submitted" ? (
        <section className="decision" aria-labelledby="decision-title">
          <h2 id="decision-title">{t("approval.decision")}</h2>
          <ErrorNotice error={actionError} />
          {!returning ? (
            <div className="button-row">
              <button type="button" className="button primary" disabled={busy} onClick={() => void act("approve")}>
                {t("approval.approve")}
              </button>
              <button type="button" className="button secondary" disabled={busy} onClick={() => setReturning(true)}>
                {t("approval.return")}
              </button>
            </div>
          ) : (
            <form onSubmit={(e) => void act("return", e)}>
              <div className="field">
                <label htmlFor="return-reason">{t("approval.reason")}</label>
                <textarea id="return-reason" rows={4} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={2000} />
              </div>
              <div className="button-row">
                <button type="submit" className="button danger" disabled={busy}>
                  {t("approval.returnConfirm")}
                </button>
                <button type="button" className="button secondary" onClick={() => setReturning(false)}>
                  {t("common.cancel")}
                </button>
              </div>
            </form>
          )}
        </section>
      ) : (
        report.status !== "submitted" && (
          <p className="status-line">
            {t(report.status === "draft" ? "approval.notSubmitted" : (`report.status${report.status[0].toUpperCase()}${report.status.slice(1)}` as MessageKey), {
              submittedAt: report.submittedAt ? formatDateTime(report.submittedAt) : "",
              decidedAt: report.decidedAt ? formatDateTime(report.decidedAt) : "",
              version: report.version,
            })}
            {report.returnReason && ` ${t("report.returnReason")}: ${report.returnReason}`}
          </p>
        )
      )}

      {data.versions.length > 0 && (
        <section aria-labelledby="versions-title">
          <h2 id="versions-title">{t("approval.versions")}</h2>
          <ol className="history">
            {data.versions.map((v) => (
              <li key={v.report.version}>
                {t("approvals.version", { version: v.report.version })}: {v.report.visits.length} · {f.duration(v.report.visits.reduce((s, x) => s + visitMinutes(x), 0))}
                {v.report.submittedAt && ` · ${t("approvals.submittedAt")} ${formatDateTime(v.report.submittedAt)}`}
                {v.report.returnReason && ` · ${t("report.returnReason")}: ${v.report.returnReason}`}
              </li>
            ))}
          </ol>
        </section>
      )}
      {data.audit.length > 0 && (
        <section aria-labelledby="audit-title">
          <h2 id="audit-title">{t("approval.history")}</h2>
          <ol className="history">
            {data.audit.map((e) => (
              <li key={e.id}>
                {formatDateTime(e.at)} · {t((`audit.${e.type}` as MessageKey)) ?? e.type} · {e.automatic ? t("audit.automatic") : (e.actorName ?? t("audit.unknownPerson"))} · {t("approvals.version", { version: e.version })}
              </li>
            ))}
          </ol>
        </section>
      )}
    </section>
  );
}
