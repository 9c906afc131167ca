import { monthLabel } from "../exports/format.js";
import type { Report } from "../report.js";
import { renderEmail } from "./layout.js";

/** Tells the assistant the report was returned, with the approver's reason and a link to correct it. */
export function returnedEmail(args: { assistantName: string; report: Report; reason: string; url: string }) {
  return renderEmail({
    subject: `Karta: sprawozdanie ${args.report.beneficiaryCode} za ${monthLabel(args.report.month)} zwrócone do poprawy`,
    title: "Sprawozdanie zwrócone do poprawy",
    blocks: [
      {
        paragraphs: [
          `Dzień dobry, ${args.assistantName}.`,
          `Twoje sprawozdanie za ${monthLabel(args.report.month)} (uczestnik ${args.report.beneficiaryCode}, wersja ${args.report.version}) zostało zwrócone do poprawy.`,
          `Powód: ${args.reason}`,
          "Popraw sprawozdanie, zbierz ponownie oba podpisy i złóż je jeszcze raz.",
        ],
      },
      { action: { label: "Popraw sprawozdanie", url: args.url } },
    ],
    footer: "Wiadomość wysłana automatycznie przez Kartę.",
  });
}
