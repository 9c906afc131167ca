import { useEffect, useState } from "react";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/pl";
import { amountOf, countedVisits, loadReport, removeVisit, sendPending, type ReportView } from "../lib/assistant-api";
import { takeFlash } from "../lib/flash";
import { formatDate, formatDateTime, formatPln, formatTime } from "../lib/format";
import { scopeLabel, visitMinutes } from "../lib/labels";
import { discard, onPendingChange, withPending } from "../lib/offline";
import { Link } from "../lib/router";
import { useFormat } from "../lib/use-format";
import { useLoad } from "../lib/use-load";
import { useTitle } from "../lib/use-title";
import { ErrorNotice, Loading, StatusBadge } from "../components/status";
import { HoursMeter } from "../components/hours-meter";

export const isEditable = (status: string) => status === "draft" || status === "returned";

/** One beneficiary's monthly report: visits, totals, status and what to do next. */
export function ReportPage({ reportId }: { reportId: string }) {
  const { t, lang } = useI18n();
  const f = useFormat();
  const { data, error, loading, reload } = useLoad(() => loadReport(reportId), [reportId]);
  const [flash] = useState(takeFlash);
  const [actionError, setActionError] = useState<unknown>();
  const [, setPendingTick] = useState(0);
  useEffect(() => onPendingChange(() => setPendingTick((n) => n + 1)), []);
  useEffect(() => {
    const retry = () => void sendPending().then(reload);
    window.addEventListener("online", retry);
    return () => window.removeEventListener("online", retry);
  }, [reload]);
  useTitle(data ? t("report.title", { code: data.report.beneficiaryCode, month: f.monthName(data.report.month) }) : t("report.titleShort"));

  if (!data) return <section className="page">{loading ? <Loading /> : <ErrorNotice error={error} onRetry={reload} />}</section>;

  const { report, programme } = data;
  const visits = withPending(report.id, report.visits);
  const shown = visits.filter((v) => v.pending !== "delete");
  // The hours and the amount count the same visits: the server's and those waiting on this
  // device, not those the server refused (they show with the refusal until fixed or dropped).
  const counted = countedVisits(report.id, report.visits);
  const minutes = counted.reduce((sum, v) => sum + visitMinutes(v), 0);
  const amountGrosze = amountOf(counted, programme);
  const editable = isEditable(report.status);
  const unsent = visits.filter((v) => v.pending).length;

  const remove = async (visitId: string) => {
    if (!window.confirm(t("visit.removeConfirm"))) return;
    setActionError(undefined);
    try {
      await removeVisit(report.id, visitId);
      reload();
    } catch (e) {
      setActionError(e);
    }
  };

  return (
    <section className="page">
      <p className="breadcrumb">
        <Link to={`/?month=${report.month}`}>{t("report.backToMonth")}</Link>
      </p>
      <div className="page-head">
        <h1>
          {t("report.heading", { code: "" })}
          <span className="nowrap">{report.beneficiaryCode}</span>
          <span className="subtitle">{f.monthName(report.month)}</span>
        </h1>
        <StatusBadge status={report.status === "submitted" && report.late ? "late" : report.status} />
      </div>
      {flash && (
        <p className="notice notice-ok" role="status">
          {flash}
        </p>
      )}
      {data.stale && (
        <p className="notice notice-warn" role="status">
          {t("offline.stale")}
        </p>
      )}
      {report.returnReason && isEditable(report.status) && (
        <div className="notice notice-warn" role="note">
          <p>
            <strong>{t("report.returnReason")}:</strong> {report.returnReason}
          </p>
          <p>{t("report.correctHint")}</p>
        </div>
      )}
      <StatusLine view={data} />
      <dl className="hours">
        <div>
          <dt>{t("hours.ordered")}</dt>
          <dd>{data.orderedMinutes !== undefined ? f.duration(data.orderedMinutes) : "—"}</dd>
        </div>
        <div>
          <dt>{t("hours.logged")}</dt>
          <dd>{f.duration(minutes)}</dd>
        </div>
        {data.orderedMinutes !== undefined && (
          <div>
            <dt>{data.orderedMinutes - minutes >= 0 ? t("hours.left") : t("hours.over")}</dt>
            <dd className={data.orderedMinutes - minutes < 0 ? "over" : undefined}>{f.duration(Math.abs(data.orderedMinutes - minutes))}</dd>
          </div>
        )}
      </dl>
      {data.orderedMinutes !== undefined && <HoursMeter logged={minutes} ordered={data.orderedMinutes} />}
      {unsent > 0 && (
        <p className="notice notice-warn" role="status">
          {t.plural("offline.unsentVisits", unsent)}
        </p>
      )}
      {editable && (
        <p>
          <Link className="button primary wide" to={`/reports/${encodeURIComponent(report.id)}/visits/new`}>
            {t("visit.add")}
          </Link>
        </p>
      )}
      <ErrorNotice error={actionError} />
      <h2>{t("report.visits")}</h2>
      {shown.length === 0 && visits.length === 0 ? (
        <p>{t("report.noVisits")}</p>
      ) : (
        <ul className="visits">
          {visits.map((v) => (
            <li key={v.id} className={v.pending === "delete" ? "visit removed" : "visit"}>
              <div className="visit-when">
                <strong>{formatDate(v.date)}</strong>{" "}
                <span>
                  {formatTime(v.start)}–{formatTime(v.end)}
                </span>{" "}
                <span className="muted">({f.duration(visitMinutes(v))})</span>
              </div>
              <div className="visit-what">
                {t(`mode.${v.mode}` as MessageKey)} · {v.scopeIds.map((id) => scopeLabel(programme, id, lang)).join(", ")}
              </div>
              {v.justification && <div className="muted">{t("visit.justification")}: {v.justification}</div>}
              {v.pending && (
                <p className="pending-tag">
                  {v.pending === "delete" ? t("offline.removalNotSent") : t("offline.notSent")}
                  {v.failure && <span className="field-error"> — {v.failure}</span>}
                </p>
              )}
              {editable && v.pending !== "delete" && (
                <div className="button-row">
                  <Link className="button secondary small" to={`/reports/${encodeURIComponent(report.id)}/visits/${encodeURIComponent(v.id)}`} aria-label={t("visit.editOf", { date: formatDate(v.date), start: formatTime(v.start) })}>
                    {t("common.edit")}
                  </Link>
                  <button type="button" className="button danger small" onClick={() => void remove(v.id)} aria-label={t("visit.removeOf", { date: formatDate(v.date), start: formatTime(v.start) })}>
                    {t("common.remove")}
                  </button>
                </div>
              )}
              {v.failure && (
                <button type="button" className="link-button" onClick={() => void discard(`${report.id}/${v.id}`)}>
                  {t("offline.discard")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && shown.length > 0 && (
        <p>
          {unsent > 0 ? (
            <span className="muted">{t("report.sendPendingFirst")}</span>
          ) : (
            <Link className="button primary wide" to={`/reports/${encodeURIComponent(report.id)}/sign`}>
              {t("report.signAndSubmit")}
            </Link>
          )}
        </p>
      )}
      {amountGrosze !== undefined && (
        <p className="muted">
          {t("report.amount")}: {formatPln(amountGrosze)}
        </p>
      )}
    </section>
  );
}

function StatusLine({ view }: { view: ReportView }) {
  const { t } = useI18n();
  const { report } = view;
  const key: Record<string, MessageKey> = {
    draft: "report.statusDraft",
    submitted: "report.statusSubmitted",
    approved: "report.statusApproved",
    returned: "report.statusReturned",
  };
  return (
    <p className="status-line">
      {t(key[report.status] ?? "report.statusDraft", {
        submittedAt: report.submittedAt ? formatDateTime(report.submittedAt) : "",
        decidedAt: report.decidedAt ? formatDateTime(report.decidedAt) : "",
        version: report.version,
      })}
    </p>
  );
}
