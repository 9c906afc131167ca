import { displayDate } from "../calendar.js";
import { monthLabel } from "../exports/format.js";
import { renderEmail } from "./layout.js";

/** The coordinator's summary when intake closes: per assistant, the beneficiaries whose reports are missing. */
export function intakeSummaryEmail(input: {
  programmeName: string;
  month: string;
  deadlineDate: string;
  expected: number;
  missing: { assistantName: string; beneficiaryCodes: string[] }[];
  appUrl: string;
}) {
  const month = monthLabel(input.month);
  const missingCount = input.missing.reduce((s, m) => s + m.beneficiaryCodes.length, 0);
  return renderEmail({
    subject: `Zamknięcie przyjmowania sprawozdań za ${month}: brakuje ${missingCount}`,
    title: `Sprawozdania za ${month} — stan po terminie ${displayDate(input.deadlineDate)}`,
    blocks: [
      {
        paragraphs: [
          `Program: ${input.programmeName}.`,
          missingCount === 0
            ? `Wszystkie oczekiwane sprawozdania (${input.expected}) zostały złożone w terminie.`
            : `Oczekiwano ${input.expected} sprawozdań; po terminie brakuje ${missingCount}. Brakujące oznaczono jako zaległe; asystenci nadal mogą je złożyć — zostaną oznaczone jako spóźnione.`,
        ],
        ...(missingCount
          ? { table: { head: ["Asystent", "Brakujące sprawozdania (uczestnicy)"], rows: input.missing.map((m) => [m.assistantName, m.beneficiaryCodes.join(", ")]) } }
          : {}),
        action: { label: "Otwórz Karta", url: `${input.appUrl.replace(/\/+$/, "")}/` },
      },
    ],
    footer: "Otrzymujesz tę wiadomość jako koordynator programu. Wiadomość wysłana automatycznie przez Karta.",
  });
}
