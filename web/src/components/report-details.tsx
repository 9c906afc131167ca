import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/pl";
import { formatDate, formatDateTime, formatTime } from "../lib/format";
import { scopeLabel, visitMinutes } from "../lib/labels";
import { useFormat } from "../lib/use-format";
import type { Programme, Report } from "../lib/types";

/** The visits of a report as a table (approver, coordinator): scopes, modes with justifications. */
export function VisitsTable({ report, programme }: { report: Report; programme?: Programme }) {
  const { t, lang } = useI18n();
  const f = useFormat();
  return (
    <div className="table-wrap">
      <table className="table">
        <caption>{t("report.visits")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("visit.date")}</th>
            <th scope="col">{t("visit.start")}</th>
            <th scope="col">{t("visit.end")}</th>
            <th scope="col">{t("visit.duration")}</th>
            <th scope="col">{t("visit.mode")}</th>
            <th scope="col">{t("visit.scope")}</th>
          </tr>
        </thead>
        <tbody>
          {report.visits.map((v) => (
            <tr key={v.id}>
              <td>{formatDate(v.date)}</td>
              <td>{formatTime(v.start)}</td>
              <td>{formatTime(v.end)}</td>
              <td>{f.duration(visitMinutes(v))}</td>
              <td>
                {t(`mode.${v.mode}` as MessageKey)}
                {v.justification && (
                  <div className="muted">
                    {t("visit.justification")}: {v.justification}
                  </div>
                )}
              </td>
              <td>
                {v.scopeIds.map((id) => (programme ? scopeLabel(programme, id, lang) : id)).join(", ")}
                {v.note && <div className="muted">{v.note}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Both signatures with who and when. */
export function Signatures({ report, contentHash }: { report: Report; contentHash?: string }) {
  const { t } = useI18n();
  return (
    <div className="signatures">
      {(["beneficiary", "assistant"] as const).map((role) => {
        const s = report.signatures.find((x) => x.role === role);
        const label = role === "beneficiary" ? t("sign.beneficiarySignature") : t("sign.assistantSignature");
        return (
          <figure key={role} className="signature-figure">
            {s?.imageDataUrl ? <img src={s.imageDataUrl} alt={t("sign.imageAlt", { who: label })} className="signature-image" /> : <div className="signature-missing">{t("sign.missing")}</div>}
            <figcaption>
              {label}
              {s && (
                <>
                  <br />
                  {s.signer}, {formatDateTime(s.signedAt)}
                  {contentHash && s.contentHash !== contentHash && <strong className="over"> {t("sign.stale")}</strong>}
                </>
              )}
            </figcaption>
          </figure>
        );
      })}
    </div>
  );
}
