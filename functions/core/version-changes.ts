import { displaySpan } from "./calendar.js";
import type { Lang } from "./errors.js";
import type { Programme } from "./programme.js";
import type { Report, Visit } from "./report.js";
import { modeLabel, scopeText } from "./report-summary.js";

const words = {
  pl: {
    added: "Dodano wizytę",
    removed: "Usunięto wizytę",
    changed: "Zmieniono wizytę",
    times: "godziny",
    mode: "forma",
    scope: "zakres",
    justification: "uzasadnienie",
    note: "notatka",
    explanation: "Zmieniono wyjaśnienie przekroczenia zlecenia",
    none: "Wizyty są takie same jak w wersji zwróconej (zmieniono tylko podpisy).",
    empty: "(brak)",
  },
  en: {
    added: "Visit added",
    removed: "Visit removed",
    changed: "Visit changed",
    times: "times",
    mode: "mode",
    scope: "scope",
    justification: "justification",
    note: "note",
    explanation: "The explanation of hours beyond the order changed",
    none: "The visits are the same as in the returned version (only the signatures are new).",
    empty: "(none)",
  },
};

/**
 * What changed in a resubmitted version against the version returned before it, as sentences an
 * approver reads: visits added, removed or changed (times in Warsaw time, mode, scope,
 * justification, note) and the explanation of hours beyond the order. Visits keep their ids
 * across versions, so a visit is matched by id.
 */
export function versionChanges(previous: Report, current: Report, programme: Pick<Programme, "scopeCategories">, lang: Lang): string[] {
  const w = words[lang];
  const span = (v: Visit) => displaySpan(v.start, v.end);
  const before = new Map(previous.visits.map((v) => [v.id, v]));
  const changes: string[] = [];
  for (const v of current.visits) {
    const old = before.get(v.id);
    before.delete(v.id);
    if (!old) {
      changes.push(`${w.added}: ${span(v)}, ${modeLabel(v.mode, lang)}, ${scopeText(programme, v.scopeIds, lang)}.`);
      continue;
    }
    const parts: string[] = [];
    const text = (value: string | undefined) => value || w.empty;
    if (old.start !== v.start || old.end !== v.end) parts.push(`${w.times} ${span(old)} → ${span(v)}`);
    if (old.mode !== v.mode) parts.push(`${w.mode} ${modeLabel(old.mode, lang)} → ${modeLabel(v.mode, lang)}`);
    if (scopeText(programme, old.scopeIds, lang) !== scopeText(programme, v.scopeIds, lang))
      parts.push(`${w.scope} ${scopeText(programme, old.scopeIds, lang)} → ${scopeText(programme, v.scopeIds, lang)}`);
    if ((old.justification ?? "") !== (v.justification ?? "")) parts.push(`${w.justification} „${text(old.justification)}” → „${text(v.justification)}”`);
    if ((old.note ?? "") !== (v.note ?? "")) parts.push(`${w.note} „${text(old.note)}” → „${text(v.note)}”`);
    if (parts.length) changes.push(`${w.changed} ${span(old)}: ${parts.join("; ")}.`);
  }
  for (const v of before.values()) changes.push(`${w.removed}: ${span(v)}, ${modeLabel(v.mode, lang)}, ${scopeText(programme, v.scopeIds, lang)}.`);
  if ((previous.overOrderExplanation ?? "") !== (current.overOrderExplanation ?? "")) changes.push(`${w.explanation}: „${current.overOrderExplanation ?? w.empty}”.`);
  return changes.length ? changes : [w.none];
}
