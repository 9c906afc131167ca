import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/pl";
import { loadReport, saveVisit } from "../lib/assistant-api";
import { now } from "../lib/clock";
import { setFlash } from "../lib/flash";
import { formatDate, formatDateTime } from "../lib/format";
import { scopeLabel } from "../lib/labels";
import { withPending } from "../lib/offline";
import { Link, navigate } from "../lib/router";
import { addDays, addMinutesToTime, isIsoDate, parseTime, warsawInstant, warsawWall } from "../lib/time";
import { useFormat } from "../lib/use-format";
import { useLoad } from "../lib/use-load";
import { useTitle } from "../lib/use-title";
import { ErrorNotice, Loading } from "../components/status";
import type { Programme, ServiceModeId, Visit } from "../lib/types";

const rememberKey = (programmeId: string) => `karta.lastVisit.${programmeId}`;
type Remembered = { scopeIds: string[]; mode: ServiceModeId };

function remembered(programmeId: string): Remembered | undefined {
  try {
    return JSON.parse(localStorage.getItem(rememberKey(programmeId)) ?? "null") ?? undefined;
  } catch {
    return undefined;
  }
}

function newVisitId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return "v" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const lastDayOf = (month: string) => addDays(`${nextMonthOf(month)}-01`, -1);
const nextMonthOf = (month: string) => {
  const y = +month.slice(0, 4);
  const m = +month.slice(5, 7);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
};

/** Round down to a quarter hour: the default end is "just now", the assistant is on the way from a visit. */
function quarterNow(): string {
  const { time } = warsawWall(now());
  const minutes = Math.floor((+time.slice(0, 2) * 60 + +time.slice(3, 5)) / 15) * 15;
  return addMinutesToTime("00:00", minutes);
}

/** Add or edit a visit: date defaults to today, the last scope and mode are remembered. */
export function VisitPage({ reportId, visitId }: { reportId: string; visitId?: string }) {
  const { t } = useI18n();
  const { data, error, loading, reload } = useLoad(() => loadReport(reportId), [reportId]);
  useTitle(visitId ? t("visit.editTitle") : t("visit.addTitle"));
  if (!data) return <section className="page">{loading ? <Loading /> : <ErrorNotice error={error} onRetry={reload} />}</section>;
  const existing = visitId ? withPending(reportId, data.report.visits).find((v) => v.id === visitId) : undefined;
  if (visitId && !existing) {
    return (
      <section className="page">
        <h1>{t("visit.editTitle")}</h1>
        <p>{t("visit.notFound")}</p>
        <Link to={`/reports/${encodeURIComponent(reportId)}`}>{t("visit.backToReport")}</Link>
      </section>
    );
  }
  return <VisitForm reportId={reportId} month={data.report.month} programme={data.programme} existing={existing} />;
}

function VisitForm({ reportId, month, programme, existing }: { reportId: string; month: string; programme: Programme; existing?: Visit }) {
  const { t, lang } = useI18n();
  const f = useFormat();
  const weekday = (isoDate: string) =>
    new Intl.DateTimeFormat(lang === "pl" ? "pl-PL" : "en-GB", { weekday: "long", timeZone: "UTC" }).format(new Date(`${isoDate}T12:00:00Z`));
  const today = warsawWall(now()).date;
  const first = `${month}-01`;
  const last = lastDayOf(month);
  const defaultDate = today >= first && today <= last ? today : today > last ? last : first;
  const memory = existing ? undefined : remembered(programme.id);
  // the remembered mode carries over only when it needs no justification (remote visits are the exception)
  const rememberedMode = programme.serviceModes.find((m) => m.id === memory?.mode && !m.justificationRequired)?.id;

  const end0 = existing ? warsawWall(existing.end).time : quarterNow();
  const [date, setDate] = useState(existing?.date ?? defaultDate);
  const [start, setStart] = useState(existing ? warsawWall(existing.start).time : addMinutesToTime(end0, -60));
  const [end, setEnd] = useState(end0);
  const [mode, setMode] = useState<ServiceModeId>(existing?.mode ?? rememberedMode ?? "in_person");
  const [scopeIds, setScopeIds] = useState<string[]>(existing?.scopeIds ?? memory?.scopeIds ?? []);
  const [justification, setJustification] = useState(existing?.justification ?? "");
  const [note, setNote] = useState(existing?.note ?? "");
  const [problems, setProblems] = useState<Partial<Record<"date" | "start" | "end" | "scope" | "justification", string>>>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const modeConfig = programme.serviceModes.find((m) => m.id === mode);
  const startTime = parseTime(start);
  const endTime = parseTime(end);
  const crossesMidnight = !!startTime && !!endTime && endTime <= startTime && endTime !== startTime;
  // a date typed with the keyboard is whole only after its last digit
  const dateOk = isIsoDate(date);
  const endDate = crossesMidnight && dateOk ? addDays(date, 1) : date;
  const minutes = useMemo(() => {
    if (!startTime || !endTime || !dateOk) return undefined;
    return Math.round((Date.parse(warsawInstant(endDate, endTime)) - Date.parse(warsawInstant(date, startTime))) / 60_000);
  }, [date, dateOk, endDate, startTime, endTime]);

  const areas = programme.scopeCategories.filter((c) => !c.area);
  const tasksOf = (areaId: string) => programme.scopeCategories.filter((c) => c.area === areaId);
  const toggleScope = (id: string) => setScopeIds((ids) => (ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id]));

  const setDuration = (mins: number) => {
    if (startTime) setEnd(addMinutesToTime(startTime, mins));
  };

  const validate = () => {
    const found: typeof problems = {};
    if (!dateOk || date < first || date > last) found.date = t("visit.errorDate", { from: formatDate(first), to: formatDate(last) });
    if (!startTime) found.start = t("visit.errorTime");
    if (!endTime) found.end = t("visit.errorTime");
    else if (startTime && endTime === startTime) found.end = t("visit.errorEndAfterStart");
    else if (crossesMidnight && !programme.crossMidnightAllowed) found.end = t("visit.errorCrossMidnight");
    else if (minutes !== undefined && minutes > programme.maxVisitMinutes) found.end = t("visit.errorTooLong", { max: f.duration(programme.maxVisitMinutes) });
    // a visit is logged once it has ended (the server refuses it too, with the same words)
    if (!found.date && !found.end && startTime && endTime) {
      const endsAt = warsawInstant(endDate, endTime);
      if (Date.parse(endsAt) > now().getTime()) found.end = t("visit.errorFuture", { end: formatDateTime(endsAt) });
    }
    if (scopeIds.length === 0) found.scope = t("visit.errorScope");
    if (modeConfig?.justificationRequired && !justification.trim()) found.justification = t("visit.errorJustification");
    setProblems(found);
    return Object.keys(found).length === 0;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    if (!validate()) {
      queueMicrotask(() => (document.querySelector("[aria-invalid='true']") as HTMLElement | null)?.focus());
      return;
    }
    const visit: Visit = {
      id: existing?.id ?? newVisitId(),
      date,
      start: warsawInstant(date, startTime!),
      end: warsawInstant(endDate, endTime!),
      scopeIds,
      mode,
      ...(modeConfig?.justificationRequired && justification.trim() ? { justification: justification.trim() } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    setBusy(true);
    try {
      const { queued } = await saveVisit(reportId, visit, !existing);
      localStorage.setItem(rememberKey(programme.id), JSON.stringify({ scopeIds, mode } satisfies Remembered));
      setFlash(queued ? t("visit.savedOffline") : t("visit.saved"));
      navigate(`/reports/${encodeURIComponent(reportId)}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  const nightHint = !programme.nightVisitsAllowed ? t("visit.nightNotAllowed", { from: programme.nightHours.from, to: programme.nightHours.to }) : undefined;
  const scopeSummary = scopeIds.map((id) => scopeLabel(programme, id, lang)).join(", ");
  const [scopeOpen, setScopeOpen] = useState(scopeIds.length === 0);
  useEffect(() => {
    if (problems.scope) setScopeOpen(true);
  }, [problems.scope]);

  return (
    <section className="page narrow">
      <p className="breadcrumb">
        <Link to={`/reports/${encodeURIComponent(reportId)}`}>{t("visit.backToReport")}</Link>
      </p>
      <h1>{existing ? t("visit.editTitle") : t("visit.addTitle")}</h1>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="visit-date">{t("visit.date")}</label>
          <input id="visit-date" type="date" min={first} max={last} value={date} onChange={(e) => setDate(e.target.value)} aria-invalid={!!problems.date} aria-describedby={problems.date ? "visit-date-error" : undefined} required />
          <div className="chips">
            {today >= first && today <= last && (
              <button type="button" className="chip" aria-pressed={date === today} onClick={() => setDate(today)}>
                {t("visit.today")}
              </button>
            )}
            {addDays(today, -1) >= first && addDays(today, -1) <= last && (
              <button type="button" className="chip" aria-pressed={date === addDays(today, -1)} onClick={() => setDate(addDays(today, -1))}>
                {t("visit.yesterday")}
              </button>
            )}
          </div>
          {dateOk && <p className="hint">{weekday(date)}, {formatDate(date)}</p>}
          {problems.date && <p id="visit-date-error" className="field-error">{problems.date}</p>}
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor="visit-start">{t("visit.start")}</label>
            <input id="visit-start" type="text" inputMode="numeric" autoComplete="off" placeholder={t("visit.timePlaceholder")} pattern="[0-2]?[0-9]:?[0-5][0-9]" value={start} onChange={(e) => setStart(e.target.value)} onBlur={() => startTime && setStart(startTime)} aria-invalid={!!problems.start} aria-describedby={`visit-time-hint${problems.start ? " visit-start-error" : ""}`} required />
            {problems.start && <p id="visit-start-error" className="field-error">{problems.start}</p>}
          </div>
          <div className="field">
            <label htmlFor="visit-end">{t("visit.end")}</label>
            <input id="visit-end" type="text" inputMode="numeric" autoComplete="off" placeholder={t("visit.timePlaceholder")} pattern="[0-2]?[0-9]:?[0-5][0-9]" value={end} onChange={(e) => setEnd(e.target.value)} onBlur={() => endTime && setEnd(endTime)} aria-invalid={!!problems.end} aria-describedby={`visit-time-hint${problems.end ? " visit-end-error" : ""}`} required />
            {problems.end && <p id="visit-end-error" className="field-error">{problems.end}</p>}
          </div>
        </div>
        <p id="visit-time-hint" className="hint">
          {t("visit.timeHint")}
          {nightHint ? ` ${nightHint}` : ""}
        </p>
        <div className="chips" role="group" aria-label={t("visit.durationGroup")}>
          {[60, 90, 120, 180].map((mins) => (
            <button key={mins} type="button" className="chip" aria-pressed={minutes === mins} onClick={() => setDuration(mins)}>
              {f.duration(mins)}
            </button>
          ))}
        </div>
        <p className="duration" aria-live="polite">
          {minutes !== undefined && minutes > 0 && t("visit.durationIs", { duration: f.duration(minutes) })}
          {crossesMidnight && programme.crossMidnightAllowed && ` ${t("visit.endsNextDay", { date: formatDate(endDate) })}`}
        </p>

        <fieldset className="field">
          <legend>{t("visit.mode")}</legend>
          {programme.serviceModes.map((m) => (
            <label key={m.id} className="radio">
              <input type="radio" name="mode" value={m.id} checked={mode === m.id} onChange={() => setMode(m.id)} />
              <span>
                {t(`mode.${m.id}` as MessageKey)}
                {m.justificationRequired && <span className="muted"> ({t("visit.needsJustification")})</span>}
              </span>
            </label>
          ))}
        </fieldset>
        {modeConfig?.justificationRequired && (
          <div className="field">
            <label htmlFor="visit-justification">{t("visit.justification")}</label>
            <textarea id="visit-justification" rows={3} value={justification} onChange={(e) => setJustification(e.target.value)} aria-invalid={!!problems.justification} aria-describedby={problems.justification ? "visit-justification-error" : undefined} required />
            {problems.justification && <p id="visit-justification-error" className="field-error">{problems.justification}</p>}
          </div>
        )}

        <fieldset className="field scopes" aria-describedby={problems.scope ? "visit-scope-error" : undefined}>
          <legend>{t("visit.scope")}</legend>
          {!scopeOpen ? (
            <p>
              <span>{scopeSummary}</span>{" "}
              <button type="button" className="link-button" onClick={() => setScopeOpen(true)}>
                {t("visit.changeScope")}
              </button>
            </p>
          ) : (
            areas.map((area) => (
              <div key={area.id} className="scope-group">
                <label className="checkbox strong">
                  <input type="checkbox" checked={scopeIds.includes(area.id)} onChange={() => toggleScope(area.id)} aria-invalid={!!problems.scope} />
                  {area.label[lang]}
                </label>
                {tasksOf(area.id).map((task) => (
                  <label key={task.id} className="checkbox nested">
                    <input type="checkbox" checked={scopeIds.includes(task.id)} onChange={() => toggleScope(task.id)} />
                    {task.label[lang]}
                  </label>
                ))}
              </div>
            ))
          )}
          {problems.scope && <p id="visit-scope-error" className="field-error">{problems.scope}</p>}
        </fieldset>

        <div className="field">
          <label htmlFor="visit-note">{t("visit.note")}</label>
          <textarea id="visit-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
        </div>
        <ErrorNotice error={error} />
        <div className="button-row">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? t("common.saving") : t("visit.save")}
          </button>
          <Link className="button secondary" to={`/reports/${encodeURIComponent(reportId)}`}>
            {t("common.cancel")}
          </Link>
        </div>
      </form>
    </section>
  );
}
