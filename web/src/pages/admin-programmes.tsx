import { useState, type FormEvent, type KeyboardEvent } from "react";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/pl";
import {
  createProgramme,
  isVersionConflict,
  loadAllProgrammes,
  loadDirectory,
  loadProgrammeVersions,
  loadProgrammeWithRev,
  personLabel,
  personOf,
  updateProgramme,
  type DirectoryPerson,
  type ProgrammeDraft,
  type ProgrammeVersion,
} from "../lib/admin-api";
import { now } from "../lib/clock";
import { setFlash, takeFlash } from "../lib/flash";
import { formatDate, formatDateTime, formatPln } from "../lib/format";
import { Link, navigate } from "../lib/router";
import { useAdminScope } from "../lib/use-admin-scope";
import { useLoad } from "../lib/use-load";
import { useTitle } from "../lib/use-title";
import { warsawWall } from "../lib/time";
import type { Programme, ScopeCategory, ServiceModeId } from "../lib/types";
import { ErrorNotice, Loading, NoticeError } from "../components/status";

const MODES: ServiceModeId[] = ["in_person", "remote", "without_beneficiary"];

/** The settings a new programme starts from when the centre has none to copy (Kraków AOU's rules, seed 000). */
const DEFAULT_SCOPES: ScopeCategory[] = [
  { id: "education", label: { pl: "Edukacja i kwalifikacje zawodowe", en: "Education and vocational qualifications" } },
  { id: "housing", label: { pl: "Warunki mieszkaniowe", en: "Housing" } },
  { id: "work", label: { pl: "Aktywność zawodowa", en: "Work" } },
  { id: "social-integration", label: { pl: "Integracja społeczna", en: "Social integration" } },
  { id: "health", label: { pl: "Opieka zdrowotna", en: "Health care" } },
  { id: "material", label: { pl: "Sytuacja materialna", en: "Material situation" } },
];

type RateRow = { from: string; to: string; rate: string };
type ScopeRow = { id: string; pl: string; en: string; area: string };
type Form = {
  id: string;
  code: string;
  namePl: string;
  nameEn: string;
  city: string;
  rates: RateRow[];
  maxBeneficiaries: string;
  deadlineWorkingDay: string;
  paymentCutoffWorkingDay: string;
  approvers: string[];
  deputy: string;
  coordinators: string[];
  financeEmails: string;
  modes: Record<ServiceModeId, { on: boolean; justification: boolean }>;
  nightVisitsAllowed: boolean;
  crossMidnightAllowed: boolean;
  maxVisitHours: string;
  overOrderPolicy: "refuse" | "explain";
  scopes: ScopeRow[];
  payerName: string;
  payerAccount: string;
  transferAmount: "net" | "gross";
  accidentRate: string;
};

const zl = (grosze: number) => (grosze / 100).toFixed(2).replace(".", ",");
const grosze = (text: string) => {
  const value = Number(text.replace(/\s|zł/g, "").replace(",", "."));
  return Number.isFinite(value) && value > 0 ? Math.round(value * 100) : undefined;
};
const whole = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined);
const today = () => warsawWall(now().toISOString()).date;

/** The form's values from a programme (its own for an edit; a template's, without id and people, for a new one). */
function formOf(p: Partial<Programme> | undefined, directory: DirectoryPerson[], asTemplate: boolean): Form {
  const label = (id: string | undefined) => (id ? (directory.find((d) => d.id === id) ? personLabel(directory.find((d) => d.id === id)!) : id) : "");
  const modes = Object.fromEntries(MODES.map((m) => {
    const found = p?.serviceModes?.find((s) => s.id === m);
    return [m, found ? { on: true, justification: found.justificationRequired } : { on: !p && m !== "without_beneficiary", justification: m !== "in_person" }];
  })) as Form["modes"];
  return {
    id: asTemplate ? "" : (p?.id ?? ""),
    code: asTemplate ? "" : (p?.code ?? ""),
    namePl: asTemplate ? "" : (p?.name?.pl ?? ""),
    nameEn: asTemplate ? "" : (p?.name?.en ?? ""),
    city: asTemplate ? "" : (p?.city ?? ""),
    rates: asTemplate || !p?.rates ? [{ from: `${today().slice(0, 7)}-01`, to: "", rate: "" }] : p.rates.map((r) => ({ from: r.from, to: r.to ?? "", rate: zl(r.rateGrosze) })),
    maxBeneficiaries: String(p?.maxBeneficiariesPerAssistant ?? 6),
    deadlineWorkingDay: String(p?.deadlineWorkingDay ?? 3),
    paymentCutoffWorkingDay: String(p?.paymentCutoffWorkingDay ?? 10),
    approvers: asTemplate ? [] : (p?.approverIds ?? []),
    deputy: asTemplate ? "" : label(p?.deputyApproverId),
    coordinators: asTemplate ? [] : (p?.coordinatorIds ?? []),
    financeEmails: asTemplate ? "" : (p?.financeEmails ?? []).join("\n"),
    modes,
    nightVisitsAllowed: p?.nightVisitsAllowed ?? false,
    crossMidnightAllowed: p?.crossMidnightAllowed ?? false,
    maxVisitHours: String((p?.maxVisitMinutes ?? 480) / 60).replace(".", ","),
    overOrderPolicy: p?.overOrderPolicy ?? "explain",
    scopes: (p?.scopeCategories ?? DEFAULT_SCOPES).map((s) => ({ id: s.id, pl: s.label.pl, en: s.label.en, area: s.area ?? "" })),
    // the centre's payer is the same for its programmes: a template's is kept
    payerName: (p?.payments?.payerName ?? []).join("\n"),
    payerAccount: p?.payments?.payerAccount ?? "",
    transferAmount: p?.payments?.transferAmount ?? "net",
    accidentRate: zl(p?.payments?.accidentBp ?? 167),
  };
}

const scopeId = (text: string, taken: Set<string>) => {
  const base = text.toLowerCase().normalize("NFD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "zakres";
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
};

/** The programme the form describes, on top of `base` (the settings the form does not show are kept), or a NoticeError saying what to fix. */
function programmeOf(form: Form, base: Partial<Programme>, directory: DirectoryPerson[], t: (key: MessageKey, params?: Record<string, string | number>) => string): ProgrammeDraft {
  const need = (value: number | undefined, field: MessageKey) => {
    if (value === undefined) throw new NoticeError(t("adminProgrammes.numberInvalid", { field: t(field) }));
    return value;
  };
  const rates = form.rates
    .filter((r) => r.from || r.rate)
    .map((r, i) => {
      const rateGrosze = grosze(r.rate);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(r.from) || !rateGrosze) throw new NoticeError(t("adminProgrammes.rateInvalid", { n: i + 1 }));
      return { from: r.from, ...(r.to ? { to: r.to } : {}), rateGrosze };
    });
  const deputy = form.deputy.trim() ? personOf(directory, form.deputy) : undefined;
  if (form.deputy.trim() && !deputy) throw new NoticeError(t("adminProgrammes.personUnknown", { typed: form.deputy.trim() }));
  const taken = new Set<string>();
  const scopeCategories = form.scopes
    .filter((s) => s.pl.trim() || s.en.trim())
    .map((s) => {
      const id = s.id || scopeId(s.en || s.pl, taken);
      taken.add(id);
      return { id, label: { pl: s.pl.trim() || s.en.trim(), en: s.en.trim() || s.pl.trim() }, ...(s.area ? { area: s.area } : {}) };
    });
  const maxVisitHours = Number(form.maxVisitHours.replace(",", "."));
  const { rev: _rev, ...rest } = base as Partial<Programme> & { rev?: number };
  const payerName = form.payerName.split("\n").map((l) => l.trim()).filter(Boolean);
  const accident = Number(form.accidentRate.replace(",", "."));
  const payments =
    payerName.length || form.payerAccount.trim()
      ? {
          payerName,
          payerAccount: form.payerAccount.trim(),
          transferAmount: form.transferAmount,
          accidentBp: need(Number.isFinite(accident) && accident >= 0 ? Math.round(accident * 100) : undefined, "adminProgrammes.accidentRate"),
        }
      : undefined;
  return {
    ...rest,
    id: form.id.trim(),
    ...(form.code.trim() ? { code: form.code.trim().toUpperCase() } : { code: undefined }),
    name: { pl: form.namePl.trim(), en: form.nameEn.trim() },
    city: form.city.trim(),
    rates,
    maxBeneficiariesPerAssistant: need(whole(form.maxBeneficiaries), "adminProgrammes.maxBeneficiaries"),
    deadlineWorkingDay: need(whole(form.deadlineWorkingDay), "adminProgrammes.deadlineWorkingDay"),
    paymentCutoffWorkingDay: need(whole(form.paymentCutoffWorkingDay), "adminProgrammes.paymentCutoffWorkingDay"),
    approverIds: form.approvers,
    deputyApproverId: deputy?.id,
    coordinatorIds: form.coordinators,
    financeEmails: form.financeEmails.split(/[\s,;]+/).map((e) => e.trim()).filter(Boolean),
    serviceModes: MODES.filter((m) => form.modes[m].on).map((m) => ({ id: m, justificationRequired: form.modes[m].justification })),
    nightVisitsAllowed: form.nightVisitsAllowed,
    crossMidnightAllowed: form.crossMidnightAllowed,
    maxVisitMinutes: need(Number.isFinite(maxVisitHours) && maxVisitHours > 0 ? Math.round(maxVisitHours * 60) : undefined, "adminProgrammes.maxVisitHours"),
    overOrderPolicy: form.overOrderPolicy,
    scopeCategories,
    payments,
  } as ProgrammeDraft;
}

/** Admin: the centre's programmes — the list, and a link to each one's settings. */
export function AdminProgrammesPage() {
  const { t, lang } = useI18n();
  useTitle(t("adminProgrammes.title"));
  const scope = useAdminScope();
  const [flash] = useState(takeFlash);
  const { data, error, loading, reload } = useLoad(loadAllProgrammes, []);
  const rateToday = (p: Programme) => p.rates.find((r) => r.from <= today() && (!r.to || today() <= r.to));
  return (
    <section className="page wide">
      <h1>{t("adminProgrammes.title")}</h1>
      {flash && (
        <p className="notice notice-ok" role="status">
          {flash}
        </p>
      )}
      {scope.centreAdmin && (
        <p>
          <Link to="/admin/programmes/new" className="button primary">
            {t("adminProgrammes.new")}
          </Link>
        </p>
      )}
      {loading && !data && <Loading />}
      <ErrorNotice error={error} onRetry={reload} />
      {data && data.length === 0 && <p>{t("adminProgrammes.empty")}</p>}
      {data && data.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t("adminProgrammes.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("adminProgrammes.name")}</th>
                <th scope="col">{t("adminProgrammes.id")}</th>
                <th scope="col">{t("adminProgrammes.city")}</th>
                <th scope="col" className="num">{t("adminProgrammes.rateToday")}</th>
                <th scope="col" className="num">{t("adminProgrammes.maxBeneficiaries")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("common.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.map((p) => {
                const rate = rateToday(p);
                return (
                  <tr key={p.id}>
                    <td>{p.name[lang]}</td>
                    <td>{p.id}</td>
                    <td>{p.city}</td>
                    <td className="num">{rate ? formatPln(rate.rateGrosze) : "—"}</td>
                    <td className="num">{p.maxBeneficiariesPerAssistant}</td>
                    <td>
                      <Link to={`/admin/programmes/${encodeURIComponent(p.id)}`} aria-label={t("adminProgrammes.editOf", { name: p.name[lang] })}>
                        {t("adminProgrammes.edit")}
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Admin: one programme's settings (a new one when `programmeId` is absent), and its versions. */
export function AdminProgrammePage({ programmeId }: { programmeId?: string }) {
  const { t, lang } = useI18n();
  const creating = !programmeId;
  const scope = useAdminScope();
  const [flash, setMessage] = useState(takeFlash);
  const { data, error, loading, reload } = useLoad(async () => {
    const all = await loadAllProgrammes();
    const directory = await loadDirectory(all.map((p) => p.id), scope.me, scope.centreAdmin);
    const current = programmeId ? await loadProgrammeWithRev(programmeId) : undefined;
    const versions = programmeId ? await loadProgrammeVersions(programmeId).catch(() => []) : [];
    return { all, directory, current, versions };
  }, [programmeId]);
  const title = creating ? t("adminProgrammes.newTitle") : t("adminProgrammes.editTitle", { name: data?.current?.programme.name[lang] ?? programmeId ?? "" });
  useTitle(title);
  return (
    <section className="page wide">
      <p className="breadcrumb">
        <Link to="/admin/programmes">{t("adminProgrammes.back")}</Link>
      </p>
      <h1>{title}</h1>
      {flash && (
        <p className="notice notice-ok" role="status">
          {flash}
        </p>
      )}
      {loading && !data && <Loading />}
      <ErrorNotice error={error} onRetry={reload} />
      {data && (
        <ProgrammeForm
          key={`${programmeId ?? "new"}/${data.current?.rev ?? 0}`}
          creating={creating}
          current={data.current}
          template={data.all[0]}
          directory={data.directory}
          onSaved={async (saved) => {
            await scope.refresh();
            if (creating) {
              setFlash(t("adminProgrammes.created", { name: saved.name[lang] }));
              navigate(`/admin/programmes/${encodeURIComponent(saved.id)}`);
            } else {
              setMessage(t("adminProgrammes.saved"));
              reload();
            }
          }}
          onReload={() => {
            setMessage(undefined);
            reload();
          }}
        />
      )}
      {data?.current && <Versions versions={data.versions} directory={data.directory} />}
    </section>
  );
}

function ProgrammeForm(props: {
  creating: boolean;
  current?: { programme: Programme; rev: number };
  template?: Programme;
  directory: DirectoryPerson[];
  onSaved(programme: Programme): Promise<void>;
  onReload(): void;
}) {
  const { t, lang } = useI18n();
  const base: Partial<Programme> = props.current?.programme ?? (props.template ? withoutPeople(props.template) : {});
  const [form, setForm] = useState<Form>(() => formOf(props.current?.programme ?? props.template, props.directory, props.creating));
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<unknown>();
  const set = (change: Partial<Form>) => setForm((f) => ({ ...f, ...change }));
  const areas = form.scopes.filter((s) => !s.area && s.id);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setRefusal(undefined);
    let programme: ProgrammeDraft;
    try {
      programme = programmeOf(form, base, props.directory, t);
    } catch (e) {
      return setRefusal(e);
    }
    setBusy(true);
    (props.creating ? createProgramme(programme) : updateProgramme(programme, props.current!.rev))
      .then((saved) => props.onSaved(saved.programme))
      .catch((e) => setRefusal(e))
      .finally(() => setBusy(false));
  };

  return (
    <form onSubmit={submit} noValidate className="programme-form" aria-labelledby="programme-form-title">
      <h2 id="programme-form-title" className="visually-hidden">
        {t("adminProgrammes.settings")}
      </h2>
      {props.creating && props.template && <p className="hint">{t("adminProgrammes.templateHint", { name: props.template.name[lang] })}</p>}
      <fieldset className="field">
        <legend>{t("adminProgrammes.identity")}</legend>
        <div className="field-row">
          <div className="field">
            <label htmlFor="pf-id">{t("adminProgrammes.id")}</label>
            <input id="pf-id" value={form.id} onChange={(e) => set({ id: e.target.value })} disabled={!props.creating} required aria-describedby="pf-id-hint" autoComplete="off" />
            <p id="pf-id-hint" className="hint">{t("adminProgrammes.idHint")}</p>
          </div>
          <div className="field">
            <label htmlFor="pf-code">{t("adminProgrammes.code")}</label>
            <input id="pf-code" value={form.code} onChange={(e) => set({ code: e.target.value })} aria-describedby="pf-code-hint" autoComplete="off" />
            <p id="pf-code-hint" className="hint">{t("adminProgrammes.codeHint")}</p>
          </div>
          <div className="field">
            <label htmlFor="pf-city">{t("adminProgrammes.city")}</label>
            <input id="pf-city" value={form.city} onChange={(e) => set({ city: e.target.value })} required />
          </div>
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor="pf-name-pl">{t("adminProgrammes.namePl")}</label>
            <input id="pf-name-pl" lang="pl" value={form.namePl} onChange={(e) => set({ namePl: e.target.value })} required />
          </div>
          <div className="field">
            <label htmlFor="pf-name-en">{t("adminProgrammes.nameEn")}</label>
            <input id="pf-name-en" lang="en" value={form.nameEn} onChange={(e) => set({ nameEn: e.target.value })} required />
          </div>
        </div>
      </fieldset>

      <fieldset className="field">
        <legend>{t("adminProgrammes.rates")}</legend>
        <p className="hint" id="pf-rates-hint">{t("adminProgrammes.ratesHint")}</p>
        {form.rates.map((r, i) => (
          <div className="field-row" key={i} role="group" aria-label={t("adminProgrammes.rateN", { n: i + 1 })}>
            <div className="field">
              <label htmlFor={`pf-rate-from-${i}`}>{t("adminProgrammes.rateFrom", { n: i + 1 })}</label>
              <input id={`pf-rate-from-${i}`} type="date" value={r.from} onChange={(e) => set({ rates: form.rates.map((x, j) => (j === i ? { ...x, from: e.target.value } : x)) })} />
            </div>
            <div className="field">
              <label htmlFor={`pf-rate-to-${i}`}>{t("adminProgrammes.rateTo", { n: i + 1 })}</label>
              <input id={`pf-rate-to-${i}`} type="date" value={r.to} onChange={(e) => set({ rates: form.rates.map((x, j) => (j === i ? { ...x, to: e.target.value } : x)) })} />
            </div>
            <div className="field">
              <label htmlFor={`pf-rate-${i}`}>{t("adminProgrammes.rate", { n: i + 1 })}</label>
              <input id={`pf-rate-${i}`} inputMode="decimal" value={r.rate} aria-describedby="pf-rates-hint" onChange={(e) => set({ rates: form.rates.map((x, j) => (j === i ? { ...x, rate: e.target.value } : x)) })} />
            </div>
          </div>
        ))}
        <button type="button" className="button secondary small" onClick={() => set({ rates: [...form.rates, { from: "", to: "", rate: form.rates.at(-1)?.rate ?? "" }] })}>
          {t("adminProgrammes.addRate")}
        </button>
      </fieldset>

      <fieldset className="field">
        <legend>{t("adminProgrammes.rules")}</legend>
        <div className="field-row">
          <NumberField id="pf-max" label={t("adminProgrammes.maxBeneficiaries")} value={form.maxBeneficiaries} onChange={(v) => set({ maxBeneficiaries: v })} />
          <NumberField id="pf-deadline" label={t("adminProgrammes.deadlineWorkingDay")} hint={t("adminProgrammes.deadlineHint")} value={form.deadlineWorkingDay} onChange={(v) => set({ deadlineWorkingDay: v })} />
          <NumberField id="pf-cutoff" label={t("adminProgrammes.paymentCutoffWorkingDay")} hint={t("adminProgrammes.cutoffHint")} value={form.paymentCutoffWorkingDay} onChange={(v) => set({ paymentCutoffWorkingDay: v })} />
          <NumberField id="pf-visit-hours" label={t("adminProgrammes.maxVisitHours")} value={form.maxVisitHours} onChange={(v) => set({ maxVisitHours: v })} />
        </div>
        <div className="field">
          <label htmlFor="pf-over">{t("adminProgrammes.overOrderPolicy")}</label>
          <select id="pf-over" value={form.overOrderPolicy} onChange={(e) => set({ overOrderPolicy: e.target.value as Form["overOrderPolicy"] })}>
            <option value="explain">{t("adminProgrammes.overExplain")}</option>
            <option value="refuse">{t("adminProgrammes.overRefuse")}</option>
          </select>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={form.nightVisitsAllowed} onChange={(e) => set({ nightVisitsAllowed: e.target.checked })} />
          {t("adminProgrammes.nightVisits")}
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={form.crossMidnightAllowed} onChange={(e) => set({ crossMidnightAllowed: e.target.checked })} />
          {t("adminProgrammes.crossMidnight")}
        </label>
      </fieldset>

      <fieldset className="field">
        <legend>{t("adminProgrammes.modes")}</legend>
        {MODES.map((m) => (
          <div key={m}>
            <label className="checkbox strong">
              <input type="checkbox" checked={form.modes[m].on} onChange={(e) => set({ modes: { ...form.modes, [m]: { ...form.modes[m], on: e.target.checked } } })} />
              {t(`mode.${m}` as MessageKey)}
            </label>
            {form.modes[m].on && (
              <label className="checkbox nested">
                <input type="checkbox" checked={form.modes[m].justification} onChange={(e) => set({ modes: { ...form.modes, [m]: { ...form.modes[m], justification: e.target.checked } } })} />
                {t("adminProgrammes.justificationOf", { mode: t(`mode.${m}` as MessageKey) })}
              </label>
            )}
          </div>
        ))}
      </fieldset>

      <fieldset className="field">
        <legend>{t("adminProgrammes.people")}</legend>
        <p className="hint">{t("adminProgrammes.peopleHint")}</p>
        <datalist id="pf-directory">
          {props.directory.filter((p) => p.active !== false).map((p) => (
            <option key={p.id} value={personLabel(p)} />
          ))}
        </datalist>
        <PeoplePicker id="pf-approvers" label={t("adminProgrammes.approvers")} directory={props.directory} chosen={form.approvers} onChange={(approvers) => set({ approvers })} />
        <div className="field">
          <label htmlFor="pf-deputy">{t("adminProgrammes.deputy")}</label>
          <input id="pf-deputy" list="pf-directory" autoComplete="off" value={form.deputy} onChange={(e) => set({ deputy: e.target.value })} />
        </div>
        <PeoplePicker id="pf-coordinators" label={t("adminProgrammes.coordinators")} directory={props.directory} chosen={form.coordinators} onChange={(coordinators) => set({ coordinators })} />
        <div className="field">
          <label htmlFor="pf-finance">{t("adminProgrammes.financeEmails")}</label>
          <textarea id="pf-finance" rows={2} value={form.financeEmails} aria-describedby="pf-finance-hint" onChange={(e) => set({ financeEmails: e.target.value })} />
          <p id="pf-finance-hint" className="hint">{t("adminProgrammes.financeHint")}</p>
        </div>
      </fieldset>

      <fieldset className="field">
        <legend>{t("adminProgrammes.payments")}</legend>
        <p className="hint">{t("adminProgrammes.paymentsHint")}</p>
        <div className="field">
          <label htmlFor="pf-payer">{t("adminProgrammes.payerName")}</label>
          <textarea id="pf-payer" rows={3} value={form.payerName} aria-describedby="pf-payer-hint" onChange={(e) => set({ payerName: e.target.value })} />
          <p id="pf-payer-hint" className="hint">{t("adminProgrammes.payerNameHint")}</p>
        </div>
        <div className="field">
          <label htmlFor="pf-payer-account">{t("adminProgrammes.payerAccount")}</label>
          <input id="pf-payer-account" inputMode="numeric" autoComplete="off" value={form.payerAccount} onChange={(e) => set({ payerAccount: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="pf-transfer">{t("adminProgrammes.transferAmount")}</label>
          <select id="pf-transfer" value={form.transferAmount} onChange={(e) => set({ transferAmount: e.target.value as Form["transferAmount"] })}>
            <option value="net">{t("adminProgrammes.transferNet")}</option>
            <option value="gross">{t("adminProgrammes.transferGross")}</option>
          </select>
        </div>
        <NumberField id="pf-accident" label={t("adminProgrammes.accidentRate")} value={form.accidentRate} onChange={(accidentRate) => set({ accidentRate })} />
      </fieldset>

      <fieldset className="field">
        <legend>{t("adminProgrammes.scopes")}</legend>
        <p className="hint">{t("adminProgrammes.scopesHint")}</p>
        {form.scopes.map((s, i) => (
          <div className="field-row" key={i} role="group" aria-label={t("adminProgrammes.scopeN", { n: i + 1 })}>
            <div className="field">
              <label htmlFor={`pf-scope-pl-${i}`}>{t("adminProgrammes.scopePl", { n: i + 1 })}</label>
              <input id={`pf-scope-pl-${i}`} lang="pl" value={s.pl} onChange={(e) => set({ scopes: form.scopes.map((x, j) => (j === i ? { ...x, pl: e.target.value } : x)) })} />
            </div>
            <div className="field">
              <label htmlFor={`pf-scope-en-${i}`}>{t("adminProgrammes.scopeEn", { n: i + 1 })}</label>
              <input id={`pf-scope-en-${i}`} lang="en" value={s.en} onChange={(e) => set({ scopes: form.scopes.map((x, j) => (j === i ? { ...x, en: e.target.value } : x)) })} />
            </div>
            <div className="field">
              <label htmlFor={`pf-scope-area-${i}`}>{t("adminProgrammes.scopeArea", { n: i + 1 })}</label>
              <select id={`pf-scope-area-${i}`} value={s.area} onChange={(e) => set({ scopes: form.scopes.map((x, j) => (j === i ? { ...x, area: e.target.value } : x)) })}>
                <option value="">{t("adminProgrammes.scopeIsArea")}</option>
                {areas.filter((a) => a.id !== s.id).map((a) => (
                  <option key={a.id} value={a.id}>
                    {lang === "en" ? a.en : a.pl}
                  </option>
                ))}
              </select>
            </div>
          </div>
        ))}
        <button type="button" className="button secondary small" onClick={() => set({ scopes: [...form.scopes, { id: "", pl: "", en: "", area: areas[0]?.id ?? "" }] })}>
          {t("adminProgrammes.addScope")}
        </button>
      </fieldset>

      {isVersionConflict(refusal) ? (
        <div className="notice notice-error" role="alert">
          <p>{t("adminProgrammes.conflict")}</p>
          <button type="button" className="button secondary" onClick={props.onReload}>
            {t("adminProgrammes.reload")}
          </button>
        </div>
      ) : (
        <ErrorNotice error={refusal} />
      )}
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? t("common.saving") : props.creating ? t("adminProgrammes.create") : t("adminProgrammes.save")}
      </button>
    </form>
  );
}

/** A template's settings without what is the programme's own (its id, names, people and finance). */
function withoutPeople(p: Programme): Partial<Programme> {
  const { id: _id, code: _code, name: _name, city: _city, approverIds: _a, deputyApproverId: _d, coordinatorIds: _c, financeEmails: _f, rates: _r, costCentre: _cc, budgetClassification: _b, projectCode: _pc, ...rest } = p;
  return rest;
}

function NumberField(props: { id: string; label: string; hint?: string; value: string; onChange(value: string): void }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <input id={props.id} inputMode="numeric" value={props.value} onChange={(e) => props.onChange(e.target.value)} aria-describedby={props.hint ? `${props.id}-hint` : undefined} />
      {props.hint && (
        <p id={`${props.id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
    </div>
  );
}

/** Several people picked by name or e-mail (suggested as typed); Enter or the button adds, each has its own remove button. */
function PeoplePicker(props: { id: string; label: string; directory: DirectoryPerson[]; chosen: string[]; onChange(ids: string[]): void }) {
  const { t } = useI18n();
  const [typed, setTyped] = useState("");
  const [problem, setProblem] = useState<string>();
  const nameOf = (id: string) => {
    const p = props.directory.find((d) => d.id === id);
    return p ? personLabel(p) : id;
  };
  const add = () => {
    const person = personOf(props.directory, typed);
    if (!person) return setProblem(t("adminProgrammes.personUnknown", { typed: typed.trim() }));
    setProblem(undefined);
    setTyped("");
    if (!props.chosen.includes(person.id)) props.onChange([...props.chosen, person.id]);
  };
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    add();
  };
  return (
    <div className="field" role="group" aria-labelledby={`${props.id}-label`}>
      <span id={`${props.id}-label`} className="label">
        {props.label}
      </span>
      {props.chosen.length > 0 ? (
        <ul className="picked">
          {props.chosen.map((id) => (
            <li key={id}>
              {nameOf(id)}{" "}
              <button type="button" className="link-button" onClick={() => props.onChange(props.chosen.filter((x) => x !== id))} aria-label={t("adminProgrammes.removePerson", { name: nameOf(id), list: props.label })}>
                {t("common.remove")}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">{t("adminProgrammes.nobody")}</p>
      )}
      <div className="field-row">
        <div className="field">
          <label htmlFor={props.id}>{t("adminProgrammes.addPersonTo", { list: props.label })}</label>
          <input id={props.id} list="pf-directory" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} onKeyDown={onKey} aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${props.id}-problem` : undefined} />
          {problem && (
            <p id={`${props.id}-problem`} className="field-error">
              {problem}
            </p>
          )}
        </div>
      </div>
      <button type="button" className="button secondary small" onClick={add}>
        {t("adminProgrammes.addPerson", { list: props.label })}
      </button>
    </div>
  );
}

const FIELDS: Record<string, MessageKey> = {
  name: "adminProgrammes.field.name",
  code: "adminProgrammes.code",
  city: "adminProgrammes.city",
  rates: "adminProgrammes.rates",
  maxBeneficiariesPerAssistant: "adminProgrammes.maxBeneficiaries",
  deadlineWorkingDay: "adminProgrammes.deadlineWorkingDay",
  paymentCutoffWorkingDay: "adminProgrammes.paymentCutoffWorkingDay",
  maxVisitMinutes: "adminProgrammes.maxVisitHours",
  overOrderPolicy: "adminProgrammes.overOrderPolicy",
  nightVisitsAllowed: "adminProgrammes.nightVisits",
  crossMidnightAllowed: "adminProgrammes.crossMidnight",
  serviceModes: "adminProgrammes.modes",
  approverIds: "adminProgrammes.approvers",
  deputyApproverId: "adminProgrammes.deputy",
  coordinatorIds: "adminProgrammes.coordinators",
  financeEmails: "adminProgrammes.financeEmails",
  scopeCategories: "adminProgrammes.scopes",
  payments: "adminProgrammes.payments",
};

/** The programme's changes, newest first: who, when, and which settings changed (before → after where short). */
function Versions({ versions, directory }: { versions: ProgrammeVersion[]; directory: DirectoryPerson[] }) {
  const { t } = useI18n();
  const who = (id: string) => directory.find((d) => d.id === id)?.name ?? id;
  const show = (field: string, value: unknown): string => {
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return t("adminProgrammes.none");
    if (field === "rates") return (value as Programme["rates"]).map((r) => `${r.to ? t("adminProgrammes.ratePeriod", { from: formatDate(r.from), to: formatDate(r.to) }) : t("adminProgrammes.rateSince", { from: formatDate(r.from) })}: ${formatPln(r.rateGrosze)}`).join("; ");
    if (field === "approverIds" || field === "coordinatorIds") return (value as string[]).map(who).join(", ");
    if (field === "deputyApproverId") return who(String(value));
    if (field === "name") return `${(value as { pl: string }).pl}`;
    if (typeof value === "boolean") return value ? t("adminProgrammes.yes") : t("adminProgrammes.no");
    if (typeof value === "string" || typeof value === "number") return String(value);
    if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join(", ");
    return t("adminProgrammes.changedList");
  };
  const changes = (v: ProgrammeVersion) =>
    [...new Set([...Object.keys(v.before ?? {}), ...Object.keys(v.after ?? {})])]
      .filter((k) => JSON.stringify((v.before as Record<string, unknown>)[k]) !== JSON.stringify((v.after as Record<string, unknown>)[k]))
      .map((k) => `${FIELDS[k] ? t(FIELDS[k]) : k}: ${show(k, (v.before as Record<string, unknown>)[k])} → ${show(k, (v.after as Record<string, unknown>)[k])}`);
  return (
    <section aria-labelledby="versions-title">
      <h2 id="versions-title">{t("adminProgrammes.versions")}</h2>
      {versions.length === 0 ? (
        <p>{t("adminProgrammes.noVersions")}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t("adminProgrammes.versions")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("adminProgrammes.version")}</th>
                <th scope="col">{t("adminProgrammes.changedAt")}</th>
                <th scope="col">{t("adminProgrammes.changedBy")}</th>
                <th scope="col">{t("adminProgrammes.whatChanged")}</th>
              </tr>
            </thead>
            <tbody>
              {[...versions].reverse().map((v) => (
                <tr key={v.rev}>
                  <td>{v.rev}</td>
                  <td>{formatDateTime(v.changedAt)}</td>
                  <td>{who(v.changedBy)}</td>
                  <td>
                    <ul className="plain">
                      {changes(v).map((c, i) => (
                        <li key={i}>{c}</li>
                      ))}
                    </ul>
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
