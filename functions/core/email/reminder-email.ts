import { displayDate } from "../calendar.js";
import type { OwedReport } from "../cycle.js";
import { monthLabel } from "../exports/format.js";
import { formatHours } from "../money.js";
import { renderEmail } from "./layout.js";

const STATE_LABELS: Record<OwedReport["state"], string> = {
  missing: "nie rozpoczęte",
  draft: "wersja robocza, nie wysłane",
  returned: "zwrócone do poprawy",
};

/** The assistant's reminder before the deadline: every beneficiary whose report is still owed. */
export function reminderEmail(input: {
  assistantName: string;
  programmeName: string;
  month: string;
  deadlineDate: string;
  owed: OwedReport[];
  appUrl: string;
}) {
  const lastDay = displayDate(input.deadlineDate);
  const month = monthLabel(input.month);
  return renderEmail({
    subject: `Przypomnienie: sprawozdania za ${month} — termin ${lastDay}`,
    title: `Sprawozdania za ${month} czekają na wysłanie`,
    blocks: [
      {
        paragraphs: [
          `Dzień dobry ${input.assistantName},`,
          `w programie ${input.programmeName} nie otrzymaliśmy jeszcze sprawozdań za ${month} dla ${input.owed.length} ${input.owed.length === 1 ? "uczestnika" : "uczestników"}. Termin: ${lastDay} (do końca dnia).`,
        ],
        table: {
          head: ["Uczestnik", "Zlecone godziny", "Wpisane godziny", "Stan"],
          rows: input.owed.map((o) => [o.beneficiaryCode, formatHours(o.orderedMinutes), formatHours(o.loggedMinutes), STATE_LABELS[o.state]]),
        },
        action: { label: "Uzupełnij sprawozdania", url: `${input.appUrl.replace(/\/+$/, "")}/?month=${input.month}` }, // the month still due, not the one begun
      },
    ],
    footer: "Otrzymujesz tę wiadomość, bo masz zlecenia usług w tym miesiącu. Wiadomość wysłana automatycznie przez Karta.",
  });
}
