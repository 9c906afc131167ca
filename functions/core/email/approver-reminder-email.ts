import { warsawDate } from "../calendar.js";
import { monthLabel } from "../exports/format.js";
import { renderEmail } from "./layout.js";

/** The approver's daily reminder of reports waiting longer than the programme's limit. */
export function approverReminderEmail(input: {
  approverName: string;
  programmeName: string;
  month: string;
  waiting: { assistantName: string; beneficiaryCode: string; submittedAt: string }[];
  appUrl: string;
}) {
  const month = monthLabel(input.month);
  return renderEmail({
    subject: `Sprawozdania za ${month} czekają na zatwierdzenie (${input.waiting.length})`,
    title: "Sprawozdania czekają na Twoją decyzję",
    blocks: [
      {
        paragraphs: [
          `Dzień dobry ${input.approverName},`,
          `w programie ${input.programmeName} ${input.waiting.length} ${input.waiting.length === 1 ? "sprawozdanie czeka" : "sprawozdań czeka"} na potwierdzenie merytoryczne dłużej niż przewiduje program.`,
        ],
        table: {
          head: ["Asystent", "Uczestnik", "Złożone"],
          rows: input.waiting.map((w) => [w.assistantName, w.beneficiaryCode, warsawDate(w.submittedAt)]),
        },
        action: { label: "Przejdź do zatwierdzania", url: `${input.appUrl.replace(/\/+$/, "")}/` },
      },
    ],
    footer: "Otrzymujesz tę wiadomość jako osoba upoważniona do zatwierdzania. Wiadomość wysłana automatycznie przez Karta.",
  });
}
