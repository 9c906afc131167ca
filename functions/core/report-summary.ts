import { displayDate, displayDateTime, displaySpan, warsawTime } from "./calendar.js";
import type { Lang } from "./errors.js";
import { monthLabel } from "./exports/format.js";
import { formatHours, formatPln } from "./money.js";
import type { Programme } from "./programme.js";
import { frozenPricing, pricedTotals, visitMinutes, type Report, type Visit } from "./report.js";

const modeLabels: Record<string, { pl: string; en: string }> = {
  in_person: { pl: "osobiście", en: "in person" },
  remote: { pl: "zdalnie", en: "remote" },
  without_beneficiary: { pl: "bez uczestnika", en: "without the beneficiary" },
};

const englishMonths = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
const englishMonth = (month: string) => englishMonths.format(new Date(`${month}-01T00:00:00Z`));

const words = {
  pl: { justification: "Uzasadnienie", note: "Notatka", beneficiary: "Podpis uczestnika", assistant: "Podpis asystenta", signedAt: "podpisano", paper: "skan podpisanego dokumentu" },
  en: { justification: "Justification", note: "Note", beneficiary: "Beneficiary's signature", assistant: "Assistant's signature", signedAt: "signed", paper: "scan of a signed document" },
};

/** One visit as an approver reads it: when (Warsaw time), how long, how, what, and the assistant's words. */
export type VisitItem = { when: string; duration: string; mode: string; scope: string; justification?: string; note?: string };

/** One signature as an approver sees it: who, when (Warsaw time), and the drawn image when there is one. */
export type SignatureItem = { label: string; signer: string; signedAt: string; evidence: string; imageDataUrl?: string };

export const modeLabel = (mode: string, lang: Lang) => modeLabels[mode]?.[lang] ?? mode;
export const scopeText = (programme: Pick<Programme, "scopeCategories">, ids: readonly string[], lang: Lang) =>
  ids.map((id) => programme.scopeCategories.find((c) => c.id === id)?.label[lang] ?? id).join(", ");

function visitItem(v: Visit, programme: Programme, lang: Lang): VisitItem {
  return {
    when: displaySpan(v.start, v.end),
    duration: formatHours(visitMinutes(v)),
    mode: modeLabel(v.mode, lang),
    scope: scopeText(programme, v.scopeIds, lang),
    ...(v.justification ? { justification: v.justification } : {}),
    ...(v.note ? { note: v.note } : {}),
  };
}

/** The assistant's words on a visit (justification, note) as one line, for a table cell or an e-mail. */
export function visitWords(item: Pick<VisitItem, "justification" | "note">, lang: Lang): string {
  const w = words[lang];
  return [item.justification && `${w.justification}: ${item.justification}`, item.note && `${w.note}: ${item.note}`].filter(Boolean).join(" · ");
}

/** What an approver reads about a report version: heading facts, the visits and the totals — the money as signed, one line per rate. */
export function reportSummary(report: Report, programme: Programme, assistantName: string, lang: Lang = "pl") {
  const lines = frozenPricing(report, programme);
  const price = pricedTotals(lines);
  const perRate: [string, string][] =
    lines.length > 1
      ? [[lang === "pl" ? "Według stawek" : "By rate", lines.map((l) => `${formatHours(l.minutes)} × ${formatPln(l.rateGrosze)}/h = ${formatPln(l.amountGrosze)}`).join("; ")]]
      : [];
  return {
    facts: [
      [lang === "pl" ? "Asystent" : "Assistant", assistantName],
      [lang === "pl" ? "Uczestnik (kod)" : "Beneficiary (code)", report.beneficiaryCode],
      [lang === "pl" ? "Miesiąc" : "Month", lang === "pl" ? monthLabel(report.month) : englishMonth(report.month)],
      [lang === "pl" ? "Wersja" : "Version", String(report.version)],
      [lang === "pl" ? "Liczba wizyt" : "Visits", String(report.visits.length)],
      [lang === "pl" ? "Łączny czas (godz.)" : "Total time (h)", formatHours(price.minutes)],
      [lang === "pl" ? "Kwota brutto" : "Gross amount", formatPln(price.amountGrosze)],
      ...perRate,
    ] as [string, string][],
    visitHead: lang === "pl" ? ["Data", "Od", "Do", "Czas", "Forma", "Zakres"] : ["Date", "From", "To", "Time", "Mode", "Scope"],
    visitRows: report.visits.map((v) => [
      displayDate(v.date),
      warsawTime(v.start),
      warsawTime(v.end),
      formatHours(visitMinutes(v)),
      modeLabel(v.mode, lang),
      [scopeText(programme, v.scopeIds, lang), visitWords(v, lang)].filter(Boolean).join(" — "),
    ]),
    visits: report.visits.map((v) => visitItem(v, programme, lang)),
    signatures: report.signatures.map(
      (sig): SignatureItem => ({
        label: words[lang][sig.role],
        signer: sig.signer,
        signedAt: `${words[lang].signedAt} ${displayDateTime(sig.signedAt)}`,
        evidence: sig.evidence === "drawn" ? "" : words[lang].paper,
        ...(sig.imageDataUrl ? { imageDataUrl: sig.imageDataUrl } : {}),
      }),
    ),
    minutes: price.minutes,
    amountGrosze: price.amountGrosze,
  };
}
