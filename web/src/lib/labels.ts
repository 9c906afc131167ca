import type { Lang } from "../i18n/i18n";
import type { Programme } from "./types";

/** A scope's label in the reader's language (programme configuration carries both). */
export function scopeLabel(programme: Pick<Programme, "scopeCategories">, id: string, lang: Lang): string {
  return programme.scopeCategories.find((c) => c.id === id)?.label[lang] ?? id;
}

export function visitMinutes(v: { start: string; end: string }): number {
  return Math.round((Date.parse(v.end) - Date.parse(v.start)) / 60_000);
}
