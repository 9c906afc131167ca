import { useState } from "react";
import { useI18n } from "../i18n/i18n";
import { loadReport, saveOverOrderExplanation, saveSignature, signatureOf, submitReport, type ReportView } from "../lib/assistant-api";
import { setFlash } from "../lib/flash";
import { formatDate, formatDateTime, formatPln, formatTime } from "../lib/format";
import { visitMinutes } from "../lib/labels";
import { pendingChanges } from "../lib/offline";
import { Link, navigate } from "../lib/router";
import { useSession } from "../lib/session";
import { useFormat } from "../lib/use-format";
import { useLoad } from "../lib/use-load";
import { useTitle } from "../lib/use-title";
import { ErrorNotice, Loading } from "../components/status";
import { PaperScanInput, SignatureCanvas } from "../components/signature-pad";
import type { SignatureRole } from "../lib/types";
import { isEditable } from "./report";

/** Both signatures on the exact totals shown, then submission. */
export function SignPage({ reportId }: { reportId: string }) {
  const { t } = useI18n();
  const { data, error, loading, reload } = useLoad(() => loadReport(reportId), [reportId]);
  useTitle(t("sign.title"));
  if (!data) return <section className="page">{loading ? <Loading /> : <ErrorNotice error={error} onRetry={reload} />}</section>;
  return <SignForm view={data} reload={reload} />;
}

function SignForm({ view, reload }: { view: ReportView; reload(): void }) {
  const { t } = useI18n();
  const f = useFormat();
  const { state } = useSession();
  const { report, contentHash, orderedMinutes, programme } = view;
  const minutes = report.visits.reduce((s, v) => s + visitMinutes(v), 0);
  const overOrder = orderedMinutes !== undefined && minutes > orderedMinutes;
  const [drawn, setDrawn] = useState<Partial<Record<SignatureRole, string>>>({});
  // per role: a photo of the signed paper instead of drawing (where the programme accepts it)
  const [scanning, setScanning] = useState<Partial<Record<SignatureRole, boolean>>>({});
  const canScan = programme.signatureEvidence?.includes("paper_scan") ?? false;
  const [explanation, setExplanation] = useState(report.overOrderExplanation ?? "");
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<unknown>();
  const unsent = pendingChanges(report.id).length;
  const signed = (role: SignatureRole) => {
    const s = signatureOf(report, role);
    return s && s.contentHash === contentHash ? s : undefined;
  };
  const assistantName = state.status === "signed-in" ? state.me.name : "";
  const signerOf = (role: SignatureRole) => (role === "assistant" ? assistantName : report.beneficiaryCode);

  const save = async (role: SignatureRole) => {
    const image = drawn[role];
    if (!image) return;
    setBusy(role);
    setError(undefined);
    try {
      await saveSignature(report.id, { role, signer: signerOf(role), contentHash, imageDataUrl: image, evidence: scanning[role] ? "paper_scan" : "drawn" });
      setDrawn((d) => ({ ...d, [role]: undefined }));
      reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(undefined);
    }
  };

  const submit = async () => {
    setBusy("submit");
    setError(undefined);
    try {
      if (overOrder && programme.overOrderPolicy === "explain" && explanation.trim() !== (report.overOrderExplanation ?? "")) {
        await saveOverOrderExplanation(report.id, explanation.trim());
      }
      await submitReport(report.id);
      setFlash(t("sign.submitted"));
      navigate(`/reports/${encodeURIComponent(report.id)}`);
    } catch (e) {
      setError(e);
      setBusy(undefined);
    }
  };

  if (!isEditable(report.status)) {
    return (
      <section className="page narrow">
        <h1>{t("sign.title")}</h1>
        <p>{t("sign.notEditable")}</p>
        <Link to={`/reports/${encodeURIComponent(report.id)}`}>{t("visit.backToReport")}</Link>
      </section>
    );
  }

  const both = !!signed("beneficiary") && !!signed("assistant");
  const explainMissing = overOrder && programme.overOrderPolicy === "explain" && !explanation.trim();
  const refused = overOrder && programme.overOrderPolicy === "refuse";
  return (
    <section className="page narrow">
      <p className="breadcrumb">
        <Link to={`/reports/${encodeURIComponent(report.id)}`}>{t("visit.backToReport")}</Link>
      </p>
      <h1>{t("sign.title")}</h1>
      <section className="signed-content" aria-labelledby="signed-content-title">
        <h2 id="signed-content-title">{t("sign.whatIsSigned")}</h2>
        <dl className="facts">
          <div>
            <dt>{t("sign.beneficiary")}</dt>
            <dd>{report.beneficiaryCode}</dd>
          </div>
          <div>
            <dt>{t("sign.month")}</dt>
            <dd>{f.monthName(report.month)}</dd>
          </div>
          <div>
            <dt>{t("sign.visitCount")}</dt>
            <dd data-testid="signed-visits">{report.visits.length}</dd>
          </div>
          <div>
            <dt>{t("sign.totalTime")}</dt>
            <dd data-testid="signed-time">{f.duration(minutes)}</dd>
          </div>
          {view.amountGrosze !== undefined && (
            <div>
              <dt>{t("report.amount")}</dt>
              <dd>{formatPln(view.amountGrosze)}</dd>
            </div>
          )}
          <div>
            <dt>{t("sign.version")}</dt>
            <dd>{report.version}</dd>
          </div>
        </dl>
        <table className="table compact">
          <caption className="visually-hidden">{t("report.visits")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("visit.date")}</th>
              <th scope="col">{t("visit.start")}</th>
              <th scope="col">{t("visit.end")}</th>
              <th scope="col">{t("visit.duration")}</th>
            </tr>
          </thead>
          <tbody>
            {report.visits.map((v) => (
              <tr key={v.id}>
                <td>{formatDate(v.date)}</td>
                <td>{formatTime(v.start)}</td>
                <td>{formatTime(v.end)}</td>
                <td>{f.duration(visitMinutes(v))}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="hint" data-content-hash={contentHash}>{t("sign.hash")}</p>
      </section>
      {unsent > 0 && (
        <p className="notice notice-warn" role="status">
          {t("report.sendPendingFirst")}
        </p>
      )}
      {(["beneficiary", "assistant"] as const).map((role) => {
        const done = signed(role);
        const label = role === "beneficiary" ? t("sign.beneficiarySignature") : t("sign.assistantSignature");
        return (
          <section key={role} className="signature-block" aria-labelledby={`sig-${role}-title`}>
            <h2 id={`sig-${role}-title`}>{label}</h2>
            <p className="hint">{role === "beneficiary" ? t("sign.beneficiaryHint", { code: report.beneficiaryCode }) : t("sign.assistantHint", { name: assistantName })}</p>
            {done ? (
              <div className="signed" data-testid={`signed-${role}`}>
                {done.imageDataUrl && <img src={done.imageDataUrl} alt={t("sign.imageAlt", { who: label })} className="signature-image" />}
                <p role="status">{t("sign.signedAt", { at: formatDateTime(done.signedAt) })}</p>
              </div>
            ) : (
              <>
                {scanning[role] ? (
                  <PaperScanInput id={`scan-${role}`} label={t("sign.scanLabel", { who: label })} onChange={(url) => setDrawn((d) => ({ ...d, [role]: url }))} />
                ) : (
                  <SignatureCanvas id={`pad-${role}`} label={t("sign.padLabel", { who: label })} onChange={(url) => setDrawn((d) => ({ ...d, [role]: url }))} />
                )}
                {canScan && (
                  <p>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => {
                        setScanning((s) => ({ ...s, [role]: !s[role] }));
                        setDrawn((d) => ({ ...d, [role]: undefined }));
                      }}
                    >
                      {scanning[role] ? t("sign.drawInstead") : t("sign.scanOption")}
                    </button>
                  </p>
                )}
                <button type="button" className="button primary" disabled={!drawn[role] || !!busy || unsent > 0} onClick={() => void save(role)}>
                  {busy === role ? t("common.saving") : scanning[role] ? t("sign.confirmScan") : t("sign.confirm")}
                </button>
              </>
            )}
          </section>
        );
      })}
      {overOrder && (
        <div className="field">
          {refused ? (
            <p className="notice notice-error">{t("sign.overOrderRefused", { ordered: f.duration(orderedMinutes!), logged: f.duration(minutes) })}</p>
          ) : (
            <>
              <label htmlFor="over-order">{t("sign.overOrderExplanation", { ordered: f.duration(orderedMinutes!), logged: f.duration(minutes) })}</label>
              <textarea id="over-order" rows={3} value={explanation} onChange={(e) => setExplanation(e.target.value)} required />
            </>
          )}
        </div>
      )}
      <ErrorNotice error={error} />
      <button type="button" className="button primary wide" disabled={!both || explainMissing || refused || !!busy || unsent > 0} onClick={() => void submit()}>
        {busy === "submit" ? t("common.sending") : t("sign.submit")}
      </button>
      {!both && <p className="hint">{t("sign.needBoth")}</p>}
    </section>
  );
}
