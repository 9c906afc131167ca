import { SpreadsheetImportForm } from "../components/spreadsheet-import";
import { useAction } from "../lib/use-action";
import { useState, type FormEvent } from "react";
import { useI18n } from "../i18n/i18n";
import { changeBeneficiary, createBeneficiary, importBeneficiaries, loadAllProgrammes, loadBeneficiaryRegister, refusedRows } from "../lib/admin-api";
import { useAdminScope } from "../lib/use-admin-scope";
import { useLoad } from "../lib/use-load";
import { useTitle } from "../lib/use-title";
import { ErrorNotice, Loading } from "../components/status";
import { AdminProgrammePicker } from "../components/admin-programme-picker";

/** Admin: the programme's beneficiaries (code and initials only) — add one, import a spreadsheet, deactivate or reactivate. */
export function AdminBeneficiariesPage() {
  const { t, lang } = useI18n();
  useTitle(t("adminBeneficiaries.title"));
  const scope = useAdminScope();
  const { programmeId } = scope;
  const { data, error, loading, reload } = useLoad(async () => {
    const [programmes, beneficiaries] = await Promise.all([loadAllProgrammes(), programmeId ? loadBeneficiaryRegister(programmeId) : Promise.resolve([])]);
    return { programmes, beneficiaries };
  }, [programmeId]);
  const { message, refusal, setRefusal, busy, run } = useAction(reload);
  const [draft, setDraft] = useState({ code: "", initials: "" });
  const [file, setFile] = useState<File>();


  const add = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await createBeneficiary(programmeId, { code: draft.code.trim(), initials: draft.initials.trim() });
      const code = draft.code.trim().toUpperCase();
      setDraft({ code: "", initials: "" });
      return t("adminBeneficiaries.added", { code });
    });
  };

  const upload = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!file) return;
    const form = event.currentTarget;
    void run(async () => {
      const { imported } = await importBeneficiaries(programmeId, file);
      form.reset();
      setFile(undefined);
      return t("adminBeneficiaries.imported", { count: imported });
    });
  };

  const rows = refusedRows(refusal);
  const list = [...(data?.beneficiaries ?? [])].sort((a, b) => a.code.localeCompare(b.code));
  const activeCount = list.filter((b) => b.active).length;

  return (
    <section className="page wide">
      <h1>{t("adminBeneficiaries.title")}</h1>
      <AdminProgrammePicker programmes={data?.programmes ?? []} programmeId={programmeId} onChange={scope.set} />
      <p className="hint">{t("adminBeneficiaries.privacy")}</p>
      {!programmeId && <p>{t("adminPeople.noProgramme")}</p>}
      {message && (
        <p className="notice notice-ok" role="status">
          {message}
        </p>
      )}
      {rows ? (
        <div className="notice notice-error" role="alert">
          <p>{t("adminBeneficiaries.importRefused")}</p>
          <ul>
            {rows.map((r, i) => (
              <li key={i}>{t("orders.importRow", { row: r.row, message: lang === "en" ? r.en : r.pl })}</li>
            ))}
          </ul>
        </div>
      ) : (
        <ErrorNotice error={refusal} />
      )}
      {programmeId && (
        <>
          <SpreadsheetImportForm
            id="beneficiaries-file"
            title={t("adminBeneficiaries.import")}
            hint={t("adminBeneficiaries.importHint")}
            label={t("adminBeneficiaries.importFile")}
            button={t("adminBeneficiaries.importButton")}
            busy={busy}
            onFile={setFile}
            onSubmit={upload}
          />
          <form onSubmit={add} aria-labelledby="new-beneficiary-title">
            <h2 id="new-beneficiary-title">{t("adminBeneficiaries.add")}</h2>
            <div className="field-row">
              <div className="field">
                <label htmlFor="nb-code">{t("adminBeneficiaries.code")}</label>
                <input id="nb-code" autoComplete="off" value={draft.code} onChange={(e) => setDraft({ ...draft, code: e.target.value })} required aria-describedby="nb-code-hint" />
                <p id="nb-code-hint" className="hint">{t("adminBeneficiaries.codeHint")}</p>
              </div>
              <div className="field">
                <label htmlFor="nb-initials">{t("adminBeneficiaries.initials")}</label>
                <input id="nb-initials" autoComplete="off" value={draft.initials} onChange={(e) => setDraft({ ...draft, initials: e.target.value })} required aria-describedby="nb-initials-hint" />
                <p id="nb-initials-hint" className="hint">{t("adminBeneficiaries.initialsHint")}</p>
              </div>
            </div>
            <button type="submit" className="button primary" disabled={busy}>
              {t("adminBeneficiaries.addButton")}
            </button>
          </form>
        </>
      )}
      {loading && !data && <Loading />}
      <ErrorNotice error={error} onRetry={reload} />
      {data && programmeId && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t("adminBeneficiaries.caption", { active: activeCount, all: list.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("adminBeneficiaries.code")}</th>
                <th scope="col">{t("adminBeneficiaries.initials")}</th>
                <th scope="col">{t("admin.state")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("common.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((b) => (
                <tr key={b.code}>
                  <td>{b.code}</td>
                  <td>{b.initials}</td>
                  <td>
                    <span className={`badge ${b.active ? "badge-approved" : "badge-missing"}`}>{b.active ? t("admin.active") : t("admin.inactive")}</span>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button secondary small"
                      disabled={busy}
                      aria-label={b.active ? t("adminBeneficiaries.deactivateOf", { code: b.code }) : t("adminBeneficiaries.reactivateOf", { code: b.code })}
                      onClick={() =>
                        void run(async () => {
                          await changeBeneficiary(programmeId, b.code, { active: !b.active });
                          return b.active ? t("adminBeneficiaries.deactivated", { code: b.code }) : t("adminBeneficiaries.reactivated", { code: b.code });
                        })
                      }
                    >
                      {b.active ? t("adminBeneficiaries.deactivate") : t("adminBeneficiaries.reactivate")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.length === 0 && <p>{t("adminBeneficiaries.empty")}</p>}
        </div>
      )}
    </section>
  );
}
