import { useT } from "../i18n/i18n";
import { loadOrders, loadProgrammeReports } from "../lib/staff-api";
import { addMonths } from "../lib/time";
import { visitMinutes } from "../lib/labels";
import { formatDecimalHours } from "../lib/format";
import { useFormat } from "../lib/use-format";
import { useLoad } from "../lib/use-load";
import { useStaffScope } from "../lib/use-staff-scope";
import { useTitle } from "../lib/use-title";
import { ErrorNotice, Loading } from "../components/status";
import { ProgrammeMonthPicker } from "../components/programme-month";
import type { Report, ServiceOrder } from "../lib/types";

const MONTHS = 6;
type Totals = { ordered: number; logged: number; approved: number };

const minutesOf = (r: Report) => r.visits.reduce((s, v) => s + visitMinutes(v), 0);

function totals(orders: ServiceOrder[], reports: Report[], key: (x: { beneficiaryCode: string }) => string) {
  const map = new Map<string, Totals>();
  const at = (k: string) => map.get(k) ?? map.set(k, { ordered: 0, logged: 0, approved: 0 }).get(k)!;
  for (const o of orders) at(key(o)).ordered += o.orderedMinutes;
  for (const r of reports) {
    const m = minutesOf(r);
    at(key(r)).logged += m;
    if (r.status === "approved") at(key(r)).approved += m;
  }
  return map;
}

/** Coordinator, admin: hours ordered vs logged vs approved, per month and per beneficiary — chart and table. */
export function OverviewPage() {
  const t = useT();
  const f = useFormat();
  useTitle(t("overview.title"));
  const scope = useStaffScope(["coordinator", "admin"]);
  const { programmeId, month } = scope;
  const months = Array.from({ length: MONTHS }, (_, i) => addMonths(month, i - MONTHS + 1));
  const { data, error, loading, reload } = useLoad(
    () => Promise.all(months.map(async (m) => ({ month: m, orders: await loadOrders(programmeId, m), reports: await loadProgrammeReports(programmeId, m) }))),
    [programmeId, month],
  );
  const perMonth = (data ?? []).map((d) => ({ month: d.month, ...(totals(d.orders, d.reports, () => "all").get("all") ?? { ordered: 0, logged: 0, approved: 0 }) }));
  const selected = data?.find((d) => d.month === month);
  const perBeneficiary = selected ? [...totals(selected.orders, selected.reports, (x) => x.beneficiaryCode)].sort(([a], [b]) => a.localeCompare(b)) : [];
  const max = Math.max(60, ...perMonth.flatMap((m) => [m.ordered, m.logged, m.approved]));
  const series = [
    { key: "ordered" as const, label: t("overview.ordered"), className: "bar-ordered" },
    { key: "logged" as const, label: t("overview.logged"), className: "bar-logged" },
    { key: "approved" as const, label: t("overview.approved"), className: "bar-approved" },
  ];
  const pct = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 100)}%` : "—");

  return (
    <section className="page wide">
      <h1>{t("overview.title")}</h1>
      <ProgrammeMonthPicker {...scope} onChange={scope.set} />
      {loading && !data && <Loading />}
      <ErrorNotice error={error} onRetry={reload} />
      {data && (
        <>
          <figure className="chart">
            <figcaption>{t("overview.chartCaption", { from: f.monthName(months[0]), to: f.monthName(month) })}</figcaption>
            <ul className="legend" aria-hidden="true">
              {series.map((s) => (
                <li key={s.key}>
                  <span className={`swatch ${s.className}`} /> {s.label}
                </li>
              ))}
            </ul>
            {/* The same numbers are in the table below; the chart is a picture of them. */}
            <svg viewBox={`0 0 ${MONTHS * 100} 220`} role="img" aria-label={t("overview.chartAlt")} className="bars">
              {perMonth.map((m, i) =>
                series.map((s, j) => {
                  const h = (m[s.key] / max) * 180;
                  return <rect key={m.month + s.key} x={i * 100 + 14 + j * 24} y={190 - h} width={22} height={h} className={s.className} />;
                }),
              )}
              {perMonth.map((m, i) => (
                <text key={m.month} x={i * 100 + 50} y={210} textAnchor="middle" className="axis">
                  {m.month.slice(5, 7)}.{m.month.slice(0, 4)}
                </text>
              ))}
            </svg>
          </figure>
          <div className="table-wrap">
            <table className="table">
              <caption>{t("overview.perMonth")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("staff.month")}</th>
                  <th scope="col" className="num">{t("overview.ordered")}</th>
                  <th scope="col" className="num">{t("overview.logged")}</th>
                  <th scope="col" className="num">{t("overview.approved")}</th>
                  <th scope="col" className="num">{t("overview.utilisation")}</th>
                </tr>
              </thead>
              <tbody>
                {perMonth.map((m) => (
                  <tr key={m.month}>
                    <th scope="row">{f.monthName(m.month)}</th>
                    <td className="num">{formatDecimalHours(m.ordered)}</td>
                    <td className="num">{formatDecimalHours(m.logged)}</td>
                    <td className="num">{formatDecimalHours(m.approved)}</td>
                    <td className="num">{pct(m.approved, m.ordered)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="table-wrap">
            <table className="table">
              <caption>{t("overview.perBeneficiary", { month: f.monthName(month) })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("orders.beneficiary")}</th>
                  <th scope="col" className="num">{t("overview.ordered")}</th>
                  <th scope="col" className="num">{t("overview.logged")}</th>
                  <th scope="col" className="num">{t("overview.approved")}</th>
                  <th scope="col" className="num">{t("overview.utilisation")}</th>
                </tr>
              </thead>
              <tbody>
                {perBeneficiary.map(([code, m]) => (
                  <tr key={code}>
                    <th scope="row">{code}</th>
                    <td className="num">{formatDecimalHours(m.ordered)}</td>
                    <td className="num">{formatDecimalHours(m.logged)}</td>
                    <td className="num">{formatDecimalHours(m.approved)}</td>
                    <td className="num">{pct(m.approved, m.ordered)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="hint">{t("overview.unit")}</p>
        </>
      )}
    </section>
  );
}
