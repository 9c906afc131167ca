import { displayDate, warsawTime } from "./calendar.js";
import { monthLabel } from "./exports/format.js";
import { formatHours, formatPln } from "./money.js";
import type { Programme } from "./programme.js";
import { frozenPricing, pricedTotals, visitMinutes, type Report } from "./report.js";

const modeLabels: Record<string, { pl: string; en: string }> = {
  in_person: { pl: "osobiście", en: "in person" },
  remote: { pl: "zdalnie", en: "remote" },
  without_beneficiary: { pl: "bez uczestnika", en: "without the beneficiary" },
};

const englishMonths = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
const englishMonth = (month: string) => englishMonths.format(new Date(`${month}-01T00:00:00Z`));

/** What an approver reads about a report version: heading facts, the visits and the totals — the money as signed, one line per rate. */
export function reportSummary(report: Report, programme: Programme, assistantName: string, lang: "pl" | "en" = "pl") {
  const lines = frozenPricing(report, programme);
  const price = pricedTotals(lines);
  const perRate: [string, string][] =
    lines.length > 1
      ? [[lang === "pl" ? "Według stawek" : "By rate", lines.map((l) => `${formatHours(l.minutes)} × ${formatPln(l.rateGrosze)}/h = ${formatPln(l.amountGrosze)}`).join("; ")]]
      : [];
  const scope = (id: string) => programme.scopeCategories.find((c) => c.id === id)?.label[lang] ?? id;
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
      modeLabels[v.mode]?.[lang] ?? v.mode,
      v.scopeIds.map(scope).join(", "),
    ]),
    minutes: price.minutes,
    amountGrosze: price.amountGrosze,
  };
}
