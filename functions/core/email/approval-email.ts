import { displayDateTime } from "../calendar.js";
import { monthLabel } from "../exports/format.js";
import type { Programme } from "../programme.js";
import type { Report } from "../report.js";
import { reportSummary } from "../report-summary.js";
import { renderEmail } from "./layout.js";

export type ApprovalEmailKind = "ask" | "reminder" | "escalation";

const titles: Record<ApprovalEmailKind, string> = {
  ask: "Sprawozdanie czeka na potwierdzenie merytoryczne",
  reminder: "Przypomnienie: sprawozdanie wciąż czeka na potwierdzenie",
  escalation: "Sprawozdanie czeka na potwierdzenie — jako zastępca",
};

/** The approver's e-mail (Polish, text + HTML): the report summary and one link to the approval page. */
export function approvalEmail(args: {
  kind: ApprovalEmailKind;
  recipientName: string;
  assistantName: string;
  report: Report;
  programme: Programme;
  url: string;
  expiresAt: string;
  /** For a resubmission: the version returned before it and what changed since (core/version-changes.ts). */
  changes?: { since: number; lines: string[] };
}) {
  const s = reportSummary(args.report, args.programme, args.assistantName, "pl");
  const intro =
    args.kind === "escalation"
      ? "Osoba zatwierdzająca nie rozpatrzyła tego sprawozdania w terminie. Jako zastępca możesz je zatwierdzić albo zwrócić do poprawy."
      : args.kind === "reminder"
        ? "Przypominamy o sprawozdaniu, które nadal czeka na Twoją decyzję."
        : "Asystent złożył miesięczne sprawozdanie. Sprawdź je i zatwierdź albo zwróć do poprawy z podaniem powodu.";
  return renderEmail({
    subject: `Karta: ${args.kind === "ask" ? "" : args.kind === "reminder" ? "przypomnienie — " : "zastępstwo — "}sprawozdanie ${args.report.beneficiaryCode} za ${monthLabel(args.report.month)} (${args.assistantName})`,
    title: titles[args.kind],
    blocks: [
      { paragraphs: [`Dzień dobry, ${args.recipientName}.`, intro] },
      { table: { head: ["", ""], rows: s.facts } },
      ...(args.changes ? [{ paragraphs: [`Co się zmieniło od wersji ${args.changes.since}, zwróconej do poprawy:`, ...args.changes.lines.map((l) => `– ${l}`)] }] : []),
      { table: { head: s.visitHead, rows: s.visitRows } },
      ...(args.report.overOrderExplanation ? [{ paragraphs: [`Wyjaśnienie przekroczenia zlecenia: ${args.report.overOrderExplanation}`] }] : []),
      { paragraphs: s.signatures.map((sig) => `${sig.label}: ${sig.signer}, ${sig.signedAt}${sig.evidence ? ` (${sig.evidence})` : ""}.`) },
      { action: { label: "Otwórz sprawozdanie, aby je zatwierdzić lub zwrócić", url: args.url } },
      {
        paragraphs: [
          `Link jest ważny do ${displayDateTime(args.expiresAt)} (czas polski) i działa tylko dla tej wersji sprawozdania. Samo otwarcie linku niczego nie zmienia — decyzję zapisuje dopiero przycisk na stronie.`,
        ],
      },
    ],
    footer: `Program: ${args.programme.name.pl}. Otrzymujesz tę wiadomość jako osoba upoważniona do potwierdzania sprawozdań.`,
  });
}
