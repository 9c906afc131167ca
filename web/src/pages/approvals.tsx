import { useT } from "../i18n/i18n";
import { formatDateTime, formatPln } from "../lib/format";
import { Link } from "../lib/router";
import { loadPending } from "../lib/staff-api";
import { useFormat } from "../lib/use-format";
import { useLoad } from "../lib/use-load";
import { useTitle } from "../lib/use-title";
import { ErrorNotice, Loading, StatusBadge } from "../components/status";

/** The approver's queue: submitted reports waiting for a decision, oldest first. */
export function ApprovalsPage() {
  const t = useT();
  const f = useFormat();
  useTitle(t("approvals.title"));
  const { data, error, loading, reload } = useLoad(loadPending, []);
  const pending = [...(data ?? [])].sort((a, b) => (a.report.submittedAt ?? "").localeCompare(b.report.submittedAt ?? ""));
  return (
    <section className="page wide">
      <h1>{t("approvals.title")}</h1>
      {loading && !data && <Loading />}
      <ErrorNotice error={error} onRetry={reload} />
      {data && pending.length === 0 && <p>{t("approvals.empty")}</p>}
      {pending.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t.plural("approvals.count", pending.length)}</caption>
            <thead>
              <tr>
                <th scope="col">{t("approvals.assistant")}</th>
                <th scope="col">{t("approvals.beneficiary")}</th>
                <th scope="col">{t("approvals.month")}</th>
                <th scope="col">{t("approvals.submittedAt")}</th>
                <th scope="col" className="num">{t("hours.logged")}</th>
                <th scope="col" className="num">{t("report.amount")}</th>
                <th scope="col">{t("approvals.status")}</th>
              </tr>
            </thead>
            <tbody>
              {pending.map((p) => (
                <tr key={p.approvalId}>
                  <td>
                    <Link to={`/approvals/${encodeURIComponent(p.report.id)}`}>{p.assistantName}</Link>
                  </td>
                  <td>{p.report.beneficiaryCode}</td>
                  <td>{f.monthName(p.report.month)}</td>
                  <td>{p.report.submittedAt ? formatDateTime(p.report.submittedAt) : "—"}</td>
                  <td className="num">{f.duration(p.minutes)}</td>
                  <td className="num">{formatPln(p.amountGrosze)}</td>
                  <td>
                    <StatusBadge status={p.report.late ? "late" : "submitted"} />
                    {p.report.version > 1 && <span className="muted"> {t("approvals.version", { version: p.report.version })}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
