import { pluralForm } from "../exports/amount-words.js";
import { displayDate, warsawDate, warsawWall } from "../calendar.js";
import { monthLabel } from "../exports/format.js";
import { renderEmail } from "./layout.js";

/** One waiting report in the digest, with the signed link made for this recipient and approval. */
export interface DigestEntry {
  assistantName: string;
  beneficiaryCode: string;
  month: string;
  version: number;
  /** When the approval was asked for (the submission of this version). */
  waitingSince: string;
  url: string;
}

/**
 * At most this many reports get their own link in one digest (the oldest first); the rest are
 * counted and wait in the app's queue. Each link is a signed record written when the digest is
 * built, so a national programme's queue must not turn into one e-mail with thousands of them.
 */
export const DIGEST_MAX_LINKS = 50;

/** Polish plural: 1 sprawozdanie czeka, 2–4 (not 12–14) sprawozdania czekają, otherwise sprawozdań czeka. */
export function reportsWaiting(n: number): string {
  return `${n} ${pluralForm(n, ["sprawozdanie czeka", "sprawozdania czekają", "sprawozdań czeka"])}`;
}

/** "1 kolejne sprawozdanie", "3 kolejne sprawozdania", "12 kolejnych sprawozdań". */
function moreReports(n: number): string {
  return `${n} ${pluralForm(n, ["kolejne sprawozdanie", "kolejne sprawozdania", "kolejnych sprawozdań"])}`;
}

/**
 * The one reminder an approver (or, on escalation, the deputy) gets per programme and day:
 * every report of theirs waiting past the programme's limit, each with its own approval link.
 */
export function approverDigestEmail(input: {
  recipientName: string;
  programmeName: string;
  escalation: boolean;
  entries: readonly DigestEntry[];
  /** Reports also waiting past the limit but left out of this e-mail (over DIGEST_MAX_LINKS). */
  more?: number;
  /** When the links of this digest expire (they are issued together). */
  linksExpireAt: string;
  appUrl: string;
}) {
  const more = input.more ?? 0;
  const n = input.entries.length + more;
  const intro = input.escalation
    ? `W programie ${input.programmeName} ${reportsWaiting(n)} na potwierdzenie merytoryczne, mimo przypomnień wysłanych osobom zatwierdzającym. Jako zastępca możesz je zatwierdzić albo zwrócić do poprawy.`
    : `W programie ${input.programmeName} ${reportsWaiting(n)} na potwierdzenie merytoryczne dłużej, niż przewiduje program. Sprawdź je i zatwierdź albo zwróć do poprawy z podaniem powodu.`;
  return renderEmail({
    subject: `${input.escalation ? "Zastępstwo: s" : "S"}prawozdania czekają na zatwierdzenie (${n}) — ${input.programmeName}`,
    title: input.escalation ? "Sprawozdania czekają na decyzję — jako zastępca" : "Sprawozdania czekają na Twoją decyzję",
    blocks: [
      { paragraphs: [`Dzień dobry, ${input.recipientName}.`, intro] },
      {
        links: input.entries.map((e) => ({
          text: `${e.assistantName} — ${e.beneficiaryCode}, ${monthLabel(e.month)}${e.version > 1 ? ` (wersja ${e.version})` : ""}, czeka od ${displayDate(warsawDate(e.waitingSince))}`,
          label: "Otwórz, aby zatwierdzić lub zwrócić",
          url: e.url,
        })),
      },
      ...(more > 0
        ? [{ paragraphs: [`Oraz ${moreReports(more)} — wiadomość podaje linki do ${input.entries.length} najdłużej czekających; pozostałe są w kolejce w aplikacji.`] }]
        : []),
      {
        paragraphs: [
          `Każdy link dotyczy jednego sprawozdania i tylko tej wersji; jest ważny do ${displayDate(warsawWall(input.linksExpireAt).date)}, godz. ${warsawWall(input.linksExpireAt).time}. Samo otwarcie linku niczego nie zmienia — decyzję zapisuje dopiero przycisk na stronie.`,
          "Przypomnienie przychodzi najwyżej raz dziennie i wymienia wszystkie sprawozdania, które wciąż czekają.",
        ],
        action: { label: "Wszystkie oczekujące sprawozdania w aplikacji", url: `${input.appUrl.replace(/\/+$/, "")}/` },
      },
    ],
    footer: `Program: ${input.programmeName}. Otrzymujesz tę wiadomość jako ${input.escalation ? "zastępca osoby upoważnionej" : "osoba upoważniona"} do potwierdzania sprawozdań. Wiadomość wysłana automatycznie przez Karta.`,
  });
}
