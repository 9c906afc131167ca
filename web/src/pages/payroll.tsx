import { useState } from "react";
import { useI18n } from "../i18n/i18n";
import { formatPln } from "../lib/format";
import { Link } from "../lib/router";
import { loadPayroll, paymentFileUrl, type PaymentProblem } from "../lib/staff-api";
import { useLoad } from "../lib/use-load";
import { useTitle } from "../lib/use-title";
import { ErrorNotice, Loading } from "../components/status";
import type { MessageKey } from "../i18n/pl";

const FILES: { name: string; label: MessageKey; group: "transfers" | "payroll" }[] = [
  { name: "transfers.pli", label: "payroll.file.transfersPli", group: "transfers" },
  { name: "transfers.csv", label: "payroll.file.transfersCsv", group: "transfers" },
  { name: "payroll.csv", label: "payroll.file.payrollCsv", group: "payroll" },
  { name: "payroll.xlsx", label: "payroll.file.payrollXlsx", group: "payroll" },
];

function Problems({ title, problems }: { title: string; problems: PaymentProblem[] }) {
  const { lang } = useI18n();
  if (!problems.length) return null;
  return (
    <div className="notice notice-error" role="alert">
      <p>{title}</p>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>{p.assistantName ? `${p.assistantName}: ${p[lang]}` : p[lang]}</li>
        ))}
      </ul>
    </div>
  );
}

/** Finance: a batch from gross to the bank — the net estimate per assistant and the files for payroll and the bank. */
export function PayrollPage({ batchId }: { batchId: string }) {
  const { t } = useI18n();
  useTitle(t("payroll.title"));
  const [day, setDay] = useState("");
  const { data, error, loading, reload } = useLoad(() => loadPayroll(batchId, day || undefined), [batchId, day]);
  const rows = data?.payroll?.rows ?? [];
  const payees = new Map((data?.payees ?? []).map((p) => [p.assistantId, p]));
  const totals = data?.payroll?.totals;
  return (
    <section className="page wide">
      <h1>{t("payroll.title")}</h1>
      <p>
        <Link to="/batches">{t("payroll.back")}</Link>
      </p>
      {data && <p className="hint">{t("payroll.lead", { batchId: data.batchId, month: data.month })}</p>}
      <div className="field">
        <label htmlFor="payroll-day">{t("payroll.day")}</label>
        <input id="payroll-day" type="date" value={day || data?.on || ""} onChange={(e) => setDay(e.target.value)} />
      </div>
      {loading && !data && <Loading />}
      <ErrorNotice error={error} onRetry={reload} />
      {data && (
        <>
          <Problems title={t("payroll.refusedPayroll")} problems={data.problems.payroll} />
          <Problems title={t("payroll.refusedTransfers")} problems={data.problems.transfers} />
          {totals && (
            <div className="table-wrap">
              <table className="table">
                <caption>{t("payroll.caption", { day: data.on })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("payroll.assistant")}</th>
                    <th scope="col">{t("payroll.contract")}</th>
                    <th scope="col" className="num">{t("payroll.gross")}</th>
                    <th scope="col" className="num">{t("payroll.social")}</th>
                    <th scope="col" className="num">{t("payroll.health")}</th>
                    <th scope="col" className="num">{t("payroll.ppk")}</th>
                    <th scope="col" className="num">{t("payroll.advance")}</th>
                    <th scope="col" className="num">{t("payroll.net")}</th>
                    <th scope="col" className="num">{t("payroll.employerCost")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.assistantId}>
                      <th scope="row">{payees.get(r.assistantId)?.assistantName ?? r.assistantId}</th>
                      <td>{payees.get(r.assistantId)?.contractNumber}</td>
                      <td className="num">{formatPln(r.grossGrosze)}</td>
                      <td className="num">{formatPln(r.employee.social)}</td>
                      <td className="num">{formatPln(r.employee.health)}</td>
                      <td className="num">{formatPln(r.employee.ppk)}</td>
                      <td className="num">{formatPln(r.advanceGrosze)}</td>
                      <td className="num">{formatPln(r.netGrosze)}</td>
                      <td className="num">{formatPln(r.employerCostGrosze)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={2}>{t("payroll.totals")}</th>
                    <td className="num">{formatPln(totals.grossGrosze)}</td>
                    <td className="num">{formatPln(totals.employee.social)}</td>
                    <td className="num">{formatPln(totals.employee.health)}</td>
                    <td className="num">{formatPln(totals.employee.ppk)}</td>
                    <td className="num">{formatPln(totals.advanceGrosze)}</td>
                    <td className="num">{formatPln(totals.netGrosze)}</td>
                    <td className="num">{formatPln(totals.employerCostGrosze)}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
          )}
          <h2>{t("payroll.files")}</h2>
          {data.transferAmount && <p className="hint">{t(data.transferAmount === "net" ? "payroll.transfersNet" : "payroll.transfersGross")}</p>}
          <ul className="files">
            {FILES.filter((f) => data.problems[f.group].length === 0).map((f) => (
              <li key={f.name}>
                <a href={paymentFileUrl(batchId, f.name, data.on)} download>
                  {t(f.label)}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
