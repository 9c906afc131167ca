import type { SetAside } from "../batch.js";
import { monthLabel } from "../exports/format.js";
import { renderEmail } from "./layout.js";

/**
 * The alert to the programme's coordinators and the operators that an approved report was set
 * aside from the payment files: which report, why, that the rest of the programme is paid, and
 * what happens next (the assistant corrects it; the re-approved version joins the next batch).
 */
export function setAsideAlertEmail(input: { programmeName: string; setAside: SetAside; assistantName: string; boardUrl: string }) {
  const { setAside: s } = input;
  const month = monthLabel(s.month);
  return renderEmail({
    subject: `Karta: sprawozdanie ${s.beneficiaryCode} za ${month} wstrzymane w płatnościach / report set aside from payment`,
    title: "Sprawozdanie wstrzymane w plikach płatności",
    blocks: [
      {
        paragraphs: [
          `Program: ${input.programmeName}, ${month}.`,
          `Zatwierdzonego sprawozdania asystenta ${input.assistantName} (uczestnik ${s.beneficiaryCode}, wersja ${s.version}) nie da się wydrukować w plikach płatności: ${s.problem.pl}`,
          "Pozostałe sprawozdania programu trafiają do paczki płatności bez opóźnienia. To sprawozdanie zwrócono asystentowi do poprawy (otrzymał wiadomość); po ponownym podpisaniu i zatwierdzeniu trafi do najbliższej paczki uzupełniającej. Księgowość widzi je w wiadomości z paczką.",
        ],
        table: { head: ["Sprawozdanie", "Wersja", "Wstrzymano"], rows: [[s.reportId, String(s.version), s.at]] },
      },
      {
        paragraphs: [
          `English: the approved report of ${input.assistantName} (beneficiary ${s.beneficiaryCode}, version ${s.version}) cannot be printed in the payment files: ${s.problem.en} The rest of the programme is paid on time. The report was returned to the assistant for correction; once signed and approved again it joins the next supplementary batch.`,
        ],
        action: { label: "Otwórz tablicę programu / Open the programme board", url: input.boardUrl },
      },
    ],
    footer: "Otrzymujesz tę wiadomość jako koordynator programu lub operator Karty. Wiadomość wysłana automatycznie przez Kartę.",
  });
}
