import { pluralForm } from "./amount-words.js";
import { clockHours, decimalHours, displayZloty, monthLabel } from "./format.js";
import type { BatchHeader } from "./model.js";
import { escapeHtml, pdfText } from "./safe-cell.js";

/** A file as the finance e-mail lists it: attached, or downloadable when `url` is given. */
export type FinanceEmailFile = { name: string; bytes: number; sha256: string; url?: string };

export type FinanceEmail = { subject: string; text: string; html: string };

/** A report of the month held back from this batch because the files could not print it (core/set-aside.ts). */
export type FinanceEmailSetAside = { assistantName: string; beneficiaryCode: string; reportId: string; version: number };

/** The batch kind in the subject (nominative) and in "przesyłamy …" (accusative). */
const KIND_LABEL = { main: "paczka płatności", supplementary: "uzupełniająca paczka płatności" } as const;
const KIND_SENT = { main: "paczkę płatności", supplementary: "uzupełniającą paczkę płatności" } as const;

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1).replace(".", ",")} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(".", ",")} MB`;
}

/** Issue 17: the page with the net estimate, the transfer file (Elixir-O) and the payroll export of the batch. */
const PAYROLL_LINE = "Płace i przelewy (szacunek netto do potwierdzenia, plik przelewów Elixir-O, eksport dla płac)";

/** Subject and bodies of the e-mail that sends a batch to finance: control totals and the SHA-256 of every file. */
export function financeEmail(header: BatchHeader, files: FinanceEmailFile[], options: { statusUrl?: string; payrollUrl?: string; setAside?: FinanceEmailSetAside[] } = {}): FinanceEmail {
  const programme = pdfText(header.programmeName);
  const batchId = pdfText(header.batchId);
  const month = monthLabel(header.month);
  const kind = KIND_LABEL[header.kind];
  const sent = KIND_SENT[header.kind];
  const { reports, minutes, grosze } = header.totals;
  const subject = `Karta: ${kind} ${programme}, ${month} (${header.month}), ${batchId}`;

  const totals: [string, string][] = [
    ["Liczba sprawozdań", String(reports)],
    ["Łączny czas", `${clockHours(minutes)} h (${decimalHours(minutes)} h)`],
    ["Kwota brutto", displayZloty(grosze)],
  ];
  const setAside = options.setAside ?? [];
  const setAsideIntro =
    `Wstrzymano ${setAside.length} ${pluralForm(setAside.length, ["sprawozdanie (nie ma go", "sprawozdania (nie ma ich", "sprawozdań (nie ma ich"])} w tej paczce ani w sumach kontrolnych): ` +
    "plików płatności nie dało się dla nich wydrukować, więc zwrócono je asystentom do poprawy; po ponownym zatwierdzeniu trafią do paczki uzupełniającej.";
  const setAsideLine = (s: FinanceEmailSetAside) => `${pdfText(s.assistantName)}, uczestnik ${pdfText(s.beneficiaryCode)} (${pdfText(s.reportId)}, wersja ${s.version})`;
  const where = (f: FinanceEmailFile) => (f.url ? `do pobrania: ${f.url}` : "w załączniku");

  const text = [
    "Dzień dobry,",
    "",
    `przesyłamy ${sent} ${batchId} — ${programme}, ${month}.`,
    "",
    "Sumy kontrolne:",
    ...totals.map(([label, value]) => `- ${label}: ${value}`),
    "",
    "Pliki (SHA-256 pozwala sprawdzić, że plik nie został zmieniony):",
    ...files.map((f) => `- ${pdfText(f.name)} (${size(f.bytes)}), ${where(f)}\n  SHA-256: ${f.sha256}`),
    ...(setAside.length ? ["", setAsideIntro, ...setAside.map((s) => `- ${setAsideLine(s)}`)] : []),
    ...(options.statusUrl ? ["", `Paczka w systemie: ${options.statusUrl}`] : []),
    ...(options.payrollUrl ? ["", `${PAYROLL_LINE}: ${options.payrollUrl}`] : []),
    "",
    "Wiadomość wysłana automatycznie przez Karta.",
  ].join("\n");

  const e = escapeHtml;
  const html = [
    `<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>${e(subject)}</title></head><body style="font-family:sans-serif">`,
    `<p>Dzień dobry,</p><p>przesyłamy ${e(sent)} <strong>${e(batchId)}</strong> — ${e(programme)}, ${e(month)}.</p>`,
    `<table cellpadding="4" style="border-collapse:collapse">`,
    ...totals.map(([label, value]) => `<tr><th align="left">${e(label)}</th><td align="right">${e(value)}</td></tr>`),
    `</table>`,
    `<p>Pliki (SHA-256 pozwala sprawdzić, że plik nie został zmieniony):</p><ul>`,
    ...files.map(
      (f) =>
        `<li>${f.url ? `<a href="${e(f.url)}">${e(f.name)}</a>` : e(f.name)} (${e(size(f.bytes))}, ${f.url ? "do pobrania" : "w załączniku"})` +
        `<br><code>SHA-256: ${e(f.sha256)}</code></li>`,
    ),
    `</ul>`,
    ...(setAside.length ? [`<p>${e(setAsideIntro)}</p><ul>`, ...setAside.map((s) => `<li>${e(setAsideLine(s))}</li>`), `</ul>`] : []),
    ...(options.statusUrl ? [`<p><a href="${e(options.statusUrl)}">Paczka w systemie</a></p>`] : []),
    ...(options.payrollUrl ? [`<p><a href="${e(options.payrollUrl)}">${e(PAYROLL_LINE)}</a></p>`] : []),
    `<p style="color:#666">Wiadomość wysłana automatycznie przez Karta.</p></body></html>`,
  ].join("\n");

  return { subject, text, html };
}
