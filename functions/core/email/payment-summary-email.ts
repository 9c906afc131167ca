import type { BatchKind } from "../exports/model.js";
import { clockHours, decimalHours, displayZloty, monthLabel } from "../exports/format.js";
import { renderEmail } from "./layout.js";

/** One report of the assistant in the batch, as the summary lists it: the beneficiary by code only (never initials or a name). */
export interface PaymentSummaryLine {
  beneficiaryCode: string;
  minutes: number;
  amountGrosze: number;
  /** The priced lines the report was approved with: one per rate. */
  rateLines: { rateGrosze: number; minutes: number; amountGrosze: number }[];
}

const KIND_LABEL: Record<BatchKind, string> = { main: "główna paczka płatności", supplementary: "uzupełniająca paczka płatności" };

// 1 sprawozdanie, 2–4 sprawozdania (but 12–14 sprawozdań), 5+ sprawozdań.
function reportsWord(n: number): string {
  if (n === 1) return "sprawozdanie";
  const tens = n % 100;
  return n % 10 >= 2 && n % 10 <= 4 && (tens < 12 || tens > 14) ? "sprawozdania" : "sprawozdań";
}

const hours = (minutes: number) => `${clockHours(minutes)} h (${decimalHours(minutes)} h)`;

/**
 * The assistant's one e-mail per payment batch, sent once finance has received the batch: every
 * report of the assistant in it (beneficiary code, hours, rate, gross amount) and the total.
 */
export function paymentSummaryEmail(input: {
  assistantName: string;
  programmeName: string;
  month: string;
  batchId: string;
  batchKind: BatchKind;
  lines: PaymentSummaryLine[];
  appUrl: string;
}) {
  const month = monthLabel(input.month);
  const lines = [...input.lines].sort((a, b) => a.beneficiaryCode.localeCompare(b.beneficiaryCode));
  const minutes = lines.reduce((s, l) => s + l.minutes, 0);
  const grosze = lines.reduce((s, l) => s + l.amountGrosze, 0);
  const count = `${lines.length} ${reportsWord(lines.length)}`;
  return renderEmail({
    subject: `Karta: sprawozdania za ${month} zatwierdzone i przekazane do wypłaty`,
    title: `Sprawozdania za ${month} przekazane do wypłaty`,
    blocks: [
      {
        paragraphs: [
          `Dzień dobry ${input.assistantName},`,
          `w programie ${input.programmeName} zatwierdzone sprawozdania za ${month} (${count}) trafiły do księgowości: ${KIND_LABEL[input.batchKind]} ${input.batchId}.`,
          `Razem: ${hours(minutes)}, ${displayZloty(grosze)} brutto. Kwota netto zależy od Twoich oświadczeń (podatek, składki) i wylicza ją księgowość.`,
        ],
        table: {
          head: ["Uczestnik", "Godziny", "Stawka", "Kwota brutto"],
          rows: [
            ...lines.flatMap((l) => l.rateLines.map((r) => [l.beneficiaryCode, hours(r.minutes), `${displayZloty(r.rateGrosze)}/h`, displayZloty(r.amountGrosze)])),
            ["Razem", hours(minutes), "", displayZloty(grosze)],
          ],
        },
        action: { label: "Zobacz sprawozdania", url: `${input.appUrl.replace(/\/+$/, "")}/?month=${input.month}` },
      },
    ],
    footer: "Otrzymujesz tę wiadomość, bo Twoje sprawozdania trafiły do paczki płatności. Wiadomość wysłana automatycznie przez Karta.",
  });
}
