import { useEffect } from "react";
import { useT } from "../i18n/i18n";
import { Link } from "../lib/router";
import { formatDateTime, formatMonthNumeric, formatPln } from "../lib/format";
import { batchFileUrl, loadBatches } from "../lib/staff-api";
import { useFormat } from "../lib/use-format";
import { addMonths } from "../lib/time";
import { useLoad } from "../lib/use-load";
import { useStaffScope } from "../lib/use-staff-scope";
import { useTitle } from "../lib/use-title";
import { ErrorNotice, Loading } from "../components/status";
import { ProgrammeMonthPicker } from "../components/programme-month";

const fileKind = (name: string) => (name.split(".").pop() ?? "").toUpperCase();

/** Finance: payment batches with control totals and their files. */
export function BatchesPage() {
  const t = useT();
  const f = useFormat();
  useTitle(t("batches.title"));
  const scope = useStaffScope(["finance", "admin"]);
  const { data, error, loading, reload } = useLoad(() => loadBatches(scope.programmeId), [scope.programmeId]);
  const months = data?.months.length ? [...data.months].sort() : [addMonths(scope.month, -5), scope.month];
  const batches = [...(data?.batches ?? [])].sort((a, b) => b.month.localeCompare(a.month) || a.seq - b.seq);
  return (
    <section className="page wide">
      <h1>{t("batches.title")}</h1>
      {scope.programmes.length > 1 && <ProgrammeMonthPicker {...scope} onChange={scope.set} />}
      <p className="hint">{t("batches.range", { from: formatMonthNumeric(months[0]), to: formatMonthNumeric(months[months.length - 1]) })}</p>
      {loading && !data && <Loading />}
      <ErrorNotice error={error} onRetry={reload} />
      {data && batches.length === 0 && <p>{t("batches.empty")}</p>}
      {batches.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t("batches.caption", { programme: scope.programmeId })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("batches.id")}</th>
                <th scope="col">{t("staff.month")}</th>
                <th scope="col">{t("batches.kind")}</th>
                <th scope="col" className="num">{t("batches.reports")}</th>
                <th scope="col" className="num">{t("batches.hours")}</th>
                <th scope="col" className="num">{t("batches.amount")}</th>
                <th scope="col">{t("batches.created")}</th>
                <th scope="col">{t("batches.files")}</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <tr key={b.batchId}>
                  <td>
                    <code>{b.batchId}</code>
                  </td>
                  <td>{f.monthName(b.month)}</td>
                  <td>{b.kind === "supplementary" ? <span className="badge badge-returned">{t("batches.supplementary")}</span> : t("batches.main")}</td>
                  <td className="num">{b.totals?.reports ?? "—"}</td>
                  <td className="num">{b.totals ? f.duration(b.totals.minutes) : "—"}</td>
                  <td className="num">{b.totals ? formatPln(b.totals.grosze) : "—"}</td>
                  <td>{formatDateTime(b.readyAt ?? b.createdAt)}</td>
                  <td>
                    {b.files?.length ? (
                      <ul className="files">
                        {b.files.map((file) => (
                          <li key={file.name}>
                            <a href={batchFileUrl(b.batchId, file.name)} download={file.name} aria-label={t("batches.downloadOf", { kind: fileKind(file.name), name: file.name })}>
                              {t("batches.download", { kind: fileKind(file.name) })}
                            </a>{" "}
                            <span className="muted">({Math.max(1, Math.round(file.bytes / 1024))} KB)</span>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      t(`batches.status.${b.status}` as never)
                    )}
                    {b.status !== "building" && (
                      <p>
                        <Link to={`/batches/${encodeURIComponent(b.batchId)}/payroll`} aria-label={t("payroll.linkOf", { batchId: b.batchId })}>
                          {t("payroll.link")}
                        </Link>
                      </p>
                    )}
                    {b.setAside?.length ? (
                      <p className="hint">
                        {t("batches.setAside", { count: b.setAside.length })}{" "}
                        {b.setAside.map((s) => s.beneficiaryCode).join(", ")}
                      </p>
                    ) : null}
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

/** The page the finance e-mail links to when the files are too large to attach (behind sign-in). */
export function BatchFilePage({ batchId, file }: { batchId: string; file: string }) {
  const t = useT();
  useTitle(t("batches.fileTitle"));
  const url = batchFileUrl(batchId, file);
  useEffect(() => {
    location.assign(url);
  }, [url]);
  return (
    <section className="page narrow">
      <h1>{t("batches.fileTitle")}</h1>
      <p>{t("batches.fileText", { name: file, batchId })}</p>
      <p>
        <a href={url} download={file}>
          {t("batches.download", { kind: fileKind(file) })}
        </a>
      </p>
      <p>
        <Link to="/batches">{t("batches.title")}</Link>
      </p>
    </section>
  );
}
