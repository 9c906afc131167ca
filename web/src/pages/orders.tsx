import { SpreadsheetImportForm } from "../components/spreadsheet-import";
import { useAction } from "../lib/use-action";
import { useState, type FormEvent } from "react";
import { useI18n } from "../i18n/i18n";
import { ApiError } from "../lib/api";
import { loadProgramme } from "../lib/assistant-api";
import { copyOrders, importOrders, issueOrder, loadAssistantNames, loadAssistants, loadBeneficiaries, loadOrders, type ImportRowError } from "../lib/staff-api";
import { addMonths } from "../lib/time";
import { formatDecimalHours } from "../lib/format";
import { useFormat } from "../lib/use-format";
import { useLoad } from "../lib/use-load";
import { useStaffScope } from "../lib/use-staff-scope";
import { useTitle } from "../lib/use-title";
import { ErrorNotice, Loading, NoticeError } from "../components/status";
import { ProgrammeMonthPicker } from "../components/programme-month";

/** The rows of a refused import, when the error is one (`ORDERS_IMPORT_FAILED`). */
const importRows = (error: unknown): ImportRowError[] | undefined => {
  const rows = error instanceof ApiError && error.code === "ORDERS_IMPORT_FAILED" ? (error.details as { rows?: ImportRowError[] } | undefined)?.rows : undefined;
  return Array.isArray(rows) ? rows : undefined;
};

const hoursToMinutes = (text: string) => {
  const value = Number(text.replace(",", ".").trim());
  return Number.isFinite(value) && value > 0 ? Math.round(value * 60) : undefined;
};

/** Coordinator: the month's service orders as a table — edit, copy last month's, import a spreadsheet. */
export function OrdersPage() {
  const { t, lang } = useI18n();
  const f = useFormat();
  useTitle(t("orders.title"));
  const scope = useStaffScope(["coordinator", "admin"]);
  const { programmeId, month } = scope;
  const { data, error, loading, reload } = useLoad(async () => {
    const [orders, programme, names, assistants, beneficiaries] = await Promise.all([
      loadOrders(programmeId, month),
      loadProgramme(programmeId).catch(() => undefined),
      loadAssistantNames(programmeId),
      loadAssistants(programmeId),
      loadBeneficiaries(programmeId).catch(() => []),
    ]);
    return { orders, programme, names, assistants, beneficiaries };
  }, [programmeId, month]);
  const nameOf = (assistantId: string) => data?.names.get(assistantId) ?? assistantId;
  const { message, setMessage, refusal: actionError, setRefusal: setActionError, busy, run } = useAction(reload);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [draft, setDraft] = useState({ assistantId: "", beneficiaryCode: "", hours: "6" });
  const [file, setFile] = useState<File>();


  const orders = [...(data?.orders ?? [])].sort((a, b) => nameOf(a.assistantId).localeCompare(nameOf(b.assistantId), lang) || a.beneficiaryCode.localeCompare(b.beneficiaryCode));
  const caseload = new Map<string, { count: number; minutes: number }>();
  for (const o of orders) {
    const c = caseload.get(o.assistantId) ?? { count: 0, minutes: 0 };
    caseload.set(o.assistantId, { count: c.count + 1, minutes: c.minutes + o.orderedMinutes });
  }
  const limit = data?.programme?.maxBeneficiariesPerAssistant;

  /** The assistant typed or picked: by "Name <e-mail>" (the list's form), the e-mail, the full name or the id. */
  const assistantOf = (typed: string) => {
    const text = typed.trim().toLowerCase();
    const email = /<([^>]+)>\s*$/.exec(text)?.[1] ?? text;
    const all = data?.assistants ?? [];
    const byName = all.filter((a) => a.name.toLowerCase() === text);
    return all.find((a) => a.email.toLowerCase() === email || a.id.toLowerCase() === text) ?? (byName.length === 1 ? byName[0] : undefined);
  };
  const beneficiaryOf = (typed: string) => typed.trim().split(/\s/)[0]?.toUpperCase() ?? "";

  const add = (event: FormEvent) => {
    event.preventDefault();
    const minutes = hoursToMinutes(draft.hours);
    if (!minutes) return setActionError(new NoticeError(t("orders.hoursInvalid")));
    const assistant = assistantOf(draft.assistantId);
    if (!assistant) return setActionError(new NoticeError(t("orders.assistantUnknown", { typed: draft.assistantId.trim() })));
    void run(async () => {
      await issueOrder(programmeId, { month, assistantId: assistant.id, beneficiaryCode: beneficiaryOf(draft.beneficiaryCode), orderedMinutes: minutes });
      setDraft({ ...draft, beneficiaryCode: "" });
      return t("orders.saved");
    });
  };

  const upload = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!file) return;
    const form = event.currentTarget;
    void run(async () => {
      const { imported } = await importOrders(programmeId, month, file);
      form.reset();
      setFile(undefined);
      return t("orders.imported", { month: f.monthName(month), count: imported });
    });
  };
  const refusedRows = importRows(actionError);

  return (
    <section className="page wide">
      <h1>{t("orders.title")}</h1>
      <ProgrammeMonthPicker {...scope} onChange={scope.set} />
      <div className="button-row">
        <button type="button" className="button secondary" disabled={busy} onClick={() => void run(async () => t("orders.copied", { count: (await copyOrders(programmeId, addMonths(month, -1), month)).copied }))}>
          {t("orders.copyLast")}
        </button>
      </div>
      <SpreadsheetImportForm
        id="orders-file"
        title={t("orders.import")}
        hint={t("orders.importHint")}
        label={t("orders.importFile")}
        button={t("orders.importButton")}
        busy={busy}
        onFile={setFile}
        onSubmit={upload}
      />
      {message && (
        <p className="notice notice-ok" role="status">
          {message}
        </p>
      )}
      {refusedRows ? (
        <div className="notice notice-error" role="alert">
          <p>{t("orders.importRefused")}</p>
          <ul>
            {refusedRows.map((r, i) => (
              <li key={i}>{t("orders.importRow", { row: r.row, message: lang === "en" ? r.en : r.pl })}</li>
            ))}
          </ul>
        </div>
      ) : (
        <ErrorNotice error={actionError} />
      )}
      {loading && !data && <Loading />}
      <ErrorNotice error={error} onRetry={reload} />
      {data && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t("orders.caption", { month: f.monthName(month) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("orders.assistant")}</th>
                <th scope="col">{t("orders.beneficiary")}</th>
                <th scope="col" className="num">{t("orders.hours")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("common.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {orders.map((o) => {
                const key = o.assistantId + "/" + o.beneficiaryCode;
                const value = edits[key] ?? formatDecimalHours(o.orderedMinutes);
                const inputId = `hours-${key.replace(/[^A-Za-z0-9-]/g, "-")}`;
                return (
                  <tr key={key}>
                    <td>{nameOf(o.assistantId)}</td>
                    <td>{o.beneficiaryCode}</td>
                    <td className="num">
                      <label htmlFor={inputId} className="visually-hidden">
                        {t("orders.hoursFor", { assistant: nameOf(o.assistantId), code: o.beneficiaryCode })}
                      </label>
                      <input id={inputId} className="hours-input" inputMode="decimal" value={value} onChange={(e) => setEdits({ ...edits, [key]: e.target.value })} />
                    </td>
                    <td>
                      <button
                        type="button"
                        className="button secondary small"
                        disabled={busy || edits[key] === undefined}
                        onClick={() => {
                          const minutes = hoursToMinutes(value);
                          if (!minutes) return setActionError(new NoticeError(t("orders.hoursInvalid")));
                          void run(async () => {
                            await issueOrder(programmeId, { month, assistantId: o.assistantId, beneficiaryCode: o.beneficiaryCode, orderedMinutes: minutes });
                            const { [key]: _, ...rest } = edits;
                            setEdits(rest);
                            return t("orders.saved");
                          });
                        }}
                      >
                        {t("common.save")}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <form className="add-order" onSubmit={add}>
        <h2>{t("orders.add")}</h2>
        <div className="field-row">
          <div className="field">
            <label htmlFor="order-assistant">{t("orders.assistant")}</label>
            <input id="order-assistant" list="order-assistants" autoComplete="off" aria-describedby="order-assistant-hint" value={draft.assistantId} onChange={(e) => setDraft({ ...draft, assistantId: e.target.value })} required />
            <p id="order-assistant-hint" className="hint">{t("orders.assistantHint")}</p>
            <datalist id="order-assistants">
              {(data?.assistants ?? []).map((a) => (
                <option key={a.id} value={`${a.name} <${a.email}>`} />
              ))}
            </datalist>
          </div>
          <div className="field">
            <label htmlFor="order-beneficiary">{t("orders.beneficiary")}</label>
            <input id="order-beneficiary" list="order-beneficiaries" autoComplete="off" value={draft.beneficiaryCode} onChange={(e) => setDraft({ ...draft, beneficiaryCode: e.target.value })} required />
            <datalist id="order-beneficiaries">
              {(data?.beneficiaries ?? []).filter((b) => b.active).map((b) => (
                <option key={b.code} value={`${b.code} (${b.initials})`} />
              ))}
            </datalist>
          </div>
          <div className="field">
            <label htmlFor="order-hours">{t("orders.hours")}</label>
            <input id="order-hours" inputMode="decimal" value={draft.hours} onChange={(e) => setDraft({ ...draft, hours: e.target.value })} required />
          </div>
        </div>
        <button type="submit" className="button primary" disabled={busy}>
          {t("orders.issue")}
        </button>
      </form>
      {caseload.size > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t("orders.caseload")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("orders.assistant")}</th>
                <th scope="col" className="num">{t("orders.beneficiaries")}</th>
                <th scope="col" className="num">{t("orders.hours")}</th>
              </tr>
            </thead>
            <tbody>
              {[...caseload].map(([assistantId, c]) => (
                <tr key={assistantId}>
                  <td>{nameOf(assistantId)}</td>
                  <td className={limit !== undefined && c.count > limit ? "num over" : "num"}>{limit !== undefined ? t("orders.ofLimit", { count: c.count, limit }) : c.count}</td>
                  <td className="num">{f.duration(c.minutes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
