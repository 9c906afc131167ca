import { electronicFormatIBAN, isValidIBAN } from "ibantools";
import { useState, type FormEvent } from "react";
import { activeLang, useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/pl";
import { ApiError } from "../lib/api";
import { loadContracts, saveContract, type Contract, type Declarations, type StoredContract } from "../lib/contracts-api";
import { formatDate, formatDateTime } from "../lib/format";
import { useLoad } from "../lib/use-load";
import { ErrorNotice, Loading } from "../components/status";

const declarationKeys = ["studentUnder26", "otherEmploymentAtMinimumWage", "pit2", "voluntarySickness", "ppk"] as const;
type Flag = (typeof declarationKeys)[number];

type Draft = { number: string; from: string; to: string; bankAccount: string; turns26On: string } & Record<Flag, boolean>;
type Field = "number" | "from" | "to" | "bankAccount" | "turns26On";
type FieldErrors = Partial<Record<Field, string>>;

const emptyDraft: Draft = { number: "", from: "", to: "", bankAccount: "", turns26On: "", studentUnder26: false, otherEmploymentAtMinimumWage: false, pit2: false, voluntarySickness: false, ppk: false };

function draftOf(c: Contract): Draft {
  return { number: c.number, from: c.from, to: c.to, bankAccount: groupedAccount(c.bankAccount), turns26On: c.declarations.turns26On ?? "", ...pick(c.declarations) };
}

const pick = (d: Declarations) => Object.fromEntries(declarationKeys.map((k) => [k, d[k]])) as Record<Flag, boolean>;

/** "PL" + 26 digits as the bank prints it: PL61 1090 1014 … */
const groupedAccount = (iban: string) => iban.replace(/(.{4})(?=.)/g, "$1 ");

/** The account as the server stores it, or undefined when it is not a Polish IBAN with a right checksum. */
function normalisedAccount(text: string): string | undefined {
  const compact = text.replace(/\s+/g, "").toUpperCase();
  const iban = /^\d{26}$/.test(compact) ? `PL${compact}` : compact;
  return /^PL\d{26}$/.test(iban) && isValidIBAN(iban) ? (electronicFormatIBAN(iban) ?? iban) : undefined;
}

/** The server's field errors (VALIDATION_FAILED details) keyed by the form's fields. */
function serverFieldErrors(error: unknown): FieldErrors | undefined {
  if (!(error instanceof ApiError) || error.code !== "VALIDATION_FAILED") return undefined;
  // Each field's text in both languages (message: English, messagePl: Polish — core/field-messages.ts).
  const issues = (error.details as { issues?: { path: string; message: string; messagePl?: string }[] } | undefined)?.issues ?? [];
  const inLang = (issue: { message: string; messagePl?: string }) => (activeLang() === "pl" ? (issue.messagePl ?? issue.message) : issue.message);
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = issue.path.replace(/^declarations\./, "") as Field;
    if (["number", "from", "to", "bankAccount", "turns26On"].includes(field)) errors[field] ??= inLang(issue);
  }
  return Object.keys(errors).length ? errors : undefined;
}

/** The admin's contracts of one assistant in one programme: the list and a form to add or change one. */
export function ContractsSection({ programmeId, personId }: { programmeId: string; personId: string }) {
  const t = useT();
  const { data, error, loading, reload } = useLoad(() => loadContracts(personId), [personId]);
  const [editing, setEditing] = useState<StoredContract | "new">();
  const [saved, setSaved] = useState<string>();
  const contracts = data?.contracts.filter((c) => c.programmeId === programmeId) ?? [];
  const legacy = data?.legacy.find((l) => l.programmeId === programmeId);
  const declared = (c: Contract) => {
    const named = declarationKeys.filter((k) => c.declarations[k]).map((k) => t(`contracts.${k}` as MessageKey));
    return named.length ? named.join("; ") : t("contracts.noDeclarations");
  };

  return (
    <section className="contracts" aria-labelledby="contracts-title">
      <h2 id="contracts-title">{t("contracts.title")}</h2>
      <p className="hint">{t("contracts.intro")}</p>
      {loading && !data && <Loading />}
      <ErrorNotice error={error} onRetry={reload} />
      {saved && (
        <p className="notice" role="status">
          {saved}
        </p>
      )}
      {legacy && <p className="notice">{t("contracts.legacy", { number: legacy.number })}</p>}
      {data && contracts.length === 0 && <p>{t("contracts.none")}</p>}
      {contracts.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t("contracts.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("contracts.number")}</th>
                <th scope="col">{t("contracts.period")}</th>
                <th scope="col">{t("contracts.bankAccount")}</th>
                <th scope="col">{t("contracts.declarations")}</th>
                <th scope="col">{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {contracts.map((c) => (
                <tr key={c.number}>
                  <td>{c.number}</td>
                  <td>
                    {formatDate(c.from)}–{formatDate(c.to)}
                  </td>
                  <td className="nowrap">{groupedAccount(c.bankAccount)}</td>
                  <td>
                    {declared(c)}
                    <br />
                    <small>{t("contracts.lastChange", { when: formatDateTime(c.changedAt) })}</small>
                  </td>
                  <td>
                    <button type="button" className="button secondary" onClick={() => (setSaved(undefined), setEditing(c))} aria-label={`${t("common.edit")}: ${c.number}`}>
                      {t("common.edit")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && !editing && (
        <button type="button" className="button primary" onClick={() => (setSaved(undefined), setEditing("new"))}>
          {t("contracts.add")}
        </button>
      )}
      {data && editing && (
        <ContractForm
          key={editing === "new" ? "new" : editing.number}
          programmeId={programmeId}
          personId={personId}
          rev={data.rev}
          initial={editing === "new" ? undefined : editing}
          onCancel={() => setEditing(undefined)}
          onSaved={(number) => {
            setEditing(undefined);
            setSaved(t("contracts.saved", { number }));
            reload();
          }}
        />
      )}
    </section>
  );
}

function ContractForm(props: { programmeId: string; personId: string; rev: number; initial?: Contract; onSaved: (number: string) => void; onCancel: () => void }) {
  const t = useT();
  const [draft, setDraft] = useState<Draft>(props.initial ? draftOf(props.initial) : emptyDraft);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refusal, setRefusal] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));

  function checked(): { contract?: Contract; errors: FieldErrors } {
    const found: FieldErrors = {};
    const account = normalisedAccount(draft.bankAccount);
    if (!account) found.bankAccount = t("contracts.bankAccountInvalid");
    if (draft.studentUnder26 && !draft.turns26On) found.turns26On = t("contracts.turns26OnRequired");
    if (Object.keys(found).length) return { errors: found };
    const flags = Object.fromEntries(declarationKeys.map((k) => [k, draft[k]])) as Record<Flag, boolean>;
    const declarations: Declarations = { ...flags, ...(draft.turns26On ? { turns26On: draft.turns26On } : {}) };
    return { contract: { number: draft.number.trim(), programmeId: props.programmeId, from: draft.from, to: draft.to, bankAccount: account!, declarations }, errors: {} };
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setRefusal(undefined);
    const { contract, errors: found } = checked();
    setErrors(found);
    if (!contract) return;
    setSaving(true);
    try {
      await saveContract(props.personId, contract, props.rev);
      props.onSaved(contract.number);
    } catch (error) {
      const fields = serverFieldErrors(error);
      if (fields) setErrors(fields);
      setRefusal(error);
    } finally {
      setSaving(false);
    }
  }

  const invalid = (field: Field) => (errors[field] ? { "aria-invalid": true as const, "aria-describedby": `ct-${field}-error ct-${field}-hint` } : { "aria-describedby": `ct-${field}-hint` });
  const fieldError = (field: Field) =>
    errors[field] ? (
      <p id={`ct-${field}-error`} className="field-error">
        {errors[field]}
      </p>
    ) : null;

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="ct-title">
      <h3 id="ct-title">{props.initial ? t("contracts.editTitle", { number: props.initial.number }) : t("contracts.newTitle")}</h3>
      {Object.keys(errors).length > 0 && (
        <p className="field-error" role="alert">
          {t("contracts.fieldsToFix")}
        </p>
      )}
      <div className="field">
        <label htmlFor="ct-number">{t("contracts.number")}</label>
        <input id="ct-number" value={draft.number} onChange={(e) => set({ number: e.target.value })} disabled={!!props.initial} required autoComplete="off" {...invalid("number")} />
        <p id="ct-number-hint" className="hint">
          {t("contracts.numberHint")}
        </p>
        {fieldError("number")}
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="ct-from">{t("contracts.from")}</label>
          <input id="ct-from" type="date" value={draft.from} onChange={(e) => set({ from: e.target.value })} required {...invalid("from")} />
          <span id="ct-from-hint" hidden />
          {fieldError("from")}
        </div>
        <div className="field">
          <label htmlFor="ct-to">{t("contracts.to")}</label>
          <input id="ct-to" type="date" value={draft.to} onChange={(e) => set({ to: e.target.value })} required {...invalid("to")} />
          <span id="ct-to-hint" hidden />
          {fieldError("to")}
        </div>
      </div>
      <div className="field">
        <label htmlFor="ct-bankAccount">{t("contracts.bankAccount")}</label>
        <input id="ct-bankAccount" value={draft.bankAccount} onChange={(e) => set({ bankAccount: e.target.value })} inputMode="text" autoComplete="off" spellCheck={false} required {...invalid("bankAccount")} />
        <p id="ct-bankAccount-hint" className="hint">
          {t("contracts.bankAccountHint")}
        </p>
        {fieldError("bankAccount")}
      </div>
      <fieldset className="field" aria-describedby="ct-declarations-hint">
        <legend>{t("contracts.declarations")}</legend>
        <p id="ct-declarations-hint" className="hint">
          {t("contracts.declarationsHint")}
        </p>
        {declarationKeys.map((k) => (
          <label className="checkbox" key={k}>
            <input id={`ct-${k}`} type="checkbox" checked={draft[k]} onChange={(e) => set({ [k]: e.target.checked } as Partial<Draft>)} />
            {t(`contracts.${k}` as MessageKey)}
          </label>
        ))}
        <div className="field">
          <label htmlFor="ct-turns26On">{t("contracts.turns26On")}</label>
          <input id="ct-turns26On" type="date" value={draft.turns26On} onChange={(e) => set({ turns26On: e.target.value })} required={draft.studentUnder26} {...invalid("turns26On")} />
          <p id="ct-turns26On-hint" className="hint">
            {t("contracts.turns26OnHint")}
          </p>
          {fieldError("turns26On")}
        </div>
      </fieldset>
      {!serverFieldErrors(refusal) && <ErrorNotice error={refusal} />}
      <div className="actions">
        <button type="submit" className="button primary" disabled={saving}>
          {saving ? t("common.saving") : t("common.save")}
        </button>
        <button type="button" className="button secondary" onClick={props.onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
