import { useI18n, useT } from "../i18n/i18n";
import { useState } from "react";
import { loadMonth, startReport, type MonthRow } from "../lib/assistant-api";
import { now } from "../lib/clock";
import { formatDate } from "../lib/format";
import { useSession, type Me } from "../lib/session";
import { Link, navigate, useLocation } from "../lib/router";
import { addMonths, warsawWall } from "../lib/time";
import { useFormat } from "../lib/use-format";
import { useLoad } from "../lib/use-load";
import { useTitle } from "../lib/use-title";
import { ErrorNotice, Loading, StatusBadge } from "../components/status";
import { HoursMeter } from "../components/hours-meter";

export function currentMonth(): string {
  return warsawWall(now()).date.slice(0, 7);
}

/** The month a page opens on without ?month=: the previous one while its reports are still due, else this one. */
export function openingMonth(me: Me | undefined): string {
  return me?.stillDue?.month ?? currentMonth();
}

/** The assistant's month: every beneficiary with hours ordered, logged and left. */
export function MonthPage() {
  const { t, lang } = useI18n();
  // Polish month names are lower case inside a sentence ("za listopad 2026")
  const inSentence = (name: string) => (lang === "pl" ? name.toLocaleLowerCase("pl-PL") : name);
  const f = useFormat();
  const { query } = useLocation();
  const { state } = useSession();
  const me = state.status === "signed-in" ? state.me : undefined;
  const due = me?.stillDue;
  const month = /^\d{4}-\d{2}$/.test(query.get("month") ?? "") ? query.get("month")! : openingMonth(me);
  const { data, error, loading, reload } = useLoad(() => loadMonth(month), [month]);
  useTitle(t("month.title", { month: f.monthName(month) }));

  const go = (n: number) => navigate(`/?month=${addMonths(month, n)}`);
  return (
    <section className="page">
      <div className="page-head">
        <h1>{t("month.title", { month: f.monthName(month) })}</h1>
        <div className="month-switch">
          <button type="button" className="button secondary small" onClick={() => go(-1)}>
            <span aria-hidden="true">‹ </span>
            {t("month.previous")}
          </button>
          {month !== currentMonth() && (
            <button type="button" className="button secondary small" onClick={() => go(1)}>
              {t("month.next")}
              <span aria-hidden="true"> ›</span>
            </button>
          )}
        </div>
      </div>
      {due && (
        <p className="notice notice-warn" role="note">
          {t("month.dueNow", { month: inSentence(f.monthName(due.month)), date: formatDate(due.deadlineDate) })}{" "}
          {month !== due.month && <Link to={`/?month=${due.month}`}>{t("month.dueOpen", { month: f.monthName(due.month) })}</Link>}
        </p>
      )}
      {data?.stale && (
        <p className="notice notice-warn" role="status">
          {t("offline.stale")}
        </p>
      )}
      {loading && !data && <Loading />}
      <ErrorNotice error={error} onRetry={reload} />
      {data && data.rows.length === 0 && <p>{t("month.empty")}</p>}
      {data && data.rows.length > 0 && (
        <ul className="cards">
          {data.rows.map((row) => (
            <li key={row.programmeId + row.beneficiaryCode} className="card">
              <BeneficiaryCard row={row} month={month} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function BeneficiaryCard({ row, month }: { row: MonthRow; month: string }) {
  const t = useT();
  const f = useFormat();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { report } = await startReport({ programmeId: row.programmeId, month, beneficiaryCode: row.beneficiaryCode, reportId: row.plannedReportId });
      navigate(`/reports/${encodeURIComponent(report.id)}/visits/new`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const left = row.orderedMinutes - row.loggedMinutes;
  return (
    <>
      <div className="card-head">
        <h2 className="card-title">
          {row.reportId ? <Link to={`/reports/${encodeURIComponent(row.reportId)}`}>{row.beneficiaryCode}</Link> : row.beneficiaryCode}
        </h2>
        <StatusBadge status={row.late && row.status === "submitted" ? "late" : row.status} />
      </div>
      <dl className="hours">
        <div>
          <dt>{t("hours.ordered")}</dt>
          <dd>{f.duration(row.orderedMinutes)}</dd>
        </div>
        <div>
          <dt>{t("hours.logged")}</dt>
          <dd>{f.duration(row.loggedMinutes)}</dd>
        </div>
        <div>
          <dt>{left >= 0 ? t("hours.left") : t("hours.over")}</dt>
          <dd className={left < 0 ? "over" : undefined}>{f.duration(Math.abs(left))}</dd>
        </div>
      </dl>
      <HoursMeter logged={row.loggedMinutes} ordered={row.orderedMinutes} />
      {row.status === "returned" && row.returnReason && (
        <p className="return-reason">
          <strong>{t("report.returnReason")}:</strong> {row.returnReason}
        </p>
      )}
      <div className="button-row">
        {row.reportId ? (
          <Link className="button secondary" to={`/reports/${encodeURIComponent(row.reportId)}`} aria-label={t("month.openReportOf", { code: row.beneficiaryCode })}>
            {row.status === "draft" || row.status === "returned" ? t("month.continue") : t("month.open")}
          </Link>
        ) : (
          <button type="button" className="button primary" disabled={busy} onClick={() => void start()} aria-label={t("month.startReportOf", { code: row.beneficiaryCode })}>
            {t("month.firstVisit")}
          </button>
        )}
        {row.reportId && (row.status === "draft" || row.status === "returned") && (
          <Link className="button primary" to={`/reports/${encodeURIComponent(row.reportId)}/visits/new`} aria-label={t("month.addVisitFor", { code: row.beneficiaryCode })}>
            {t("visit.add")}
          </Link>
        )}
      </div>
      <ErrorNotice error={error} />
    </>
  );
}
