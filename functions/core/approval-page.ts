import { escapeHtml } from "./exports/safe-cell.js";
import { visitWords, type SignatureItem, type VisitItem } from "./report-summary.js";

type Lang = "pl" | "en";

/** The frame of every page a link opens (approval, sign-in): one column, readable on a phone, nothing fetched. */
export function page(lang: Lang, title: string, body: string): string {
  return [
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<meta name="robots" content="noindex,nofollow"><title>${escapeHtml(title)} — Karta</title>`,
    // Fits a 390 px phone: the visits are a list, not a six-column table; long words wrap.
    `<style>body{font-family:system-ui,Arial,sans-serif;color:#1a1a1a;line-height:1.5;max-width:760px;margin:0 auto;padding:16px;overflow-wrap:anywhere}`,
    `table{border-collapse:collapse;margin:8px 0 16px}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #ccc;vertical-align:top}`,
    `ol.visits{padding-left:1.4em}ol.visits li{margin:0 0 10px}.muted{color:#555}img{max-width:100%;height:auto;border:1px solid #ccc;background:#fff}`,
    `figure{margin:8px 0 16px}`,
    `fieldset{border:1px solid #999;padding:12px;margin:16px 0}button{font-size:1rem;padding:8px 16px;margin:4px 0}`,
    `textarea{width:100%;font:inherit}:focus{outline:3px solid #0b5394;outline-offset:2px}.notice{padding:12px;border-left:4px solid #0b5394;background:#eef3fa}</style>`,
    `</head><body><main>`,
    `<h1>${escapeHtml(title)}</h1>`,
    body,
    `</main></body></html>`,
  ].join("\n");
}

const texts = {
  pl: {
    title: "Potwierdzenie merytoryczne sprawozdania",
    visits: "Wizyty",
    signatures: "Podpisy",
    changes: (v: number) => `Co się zmieniło od wersji ${v}, zwróconej do poprawy`,
    signatureImage: (who: string) => `${who} — obraz podpisu`,
    explanation: "Wyjaśnienie przekroczenia zlecenia",
    approveLegend: "Zatwierdź sprawozdanie",
    approve: "Zatwierdzam",
    returnLegend: "Zwróć do poprawy",
    reason: "Powód zwrotu (obowiązkowy, zobaczy go asystent)",
    return: "Zwracam do poprawy",
    note: "Otwarcie tej strony niczego nie zmienia. Decyzja zostanie zapisana dopiero po naciśnięciu jednego z przycisków.",
    other: "English version",
  },
  en: {
    title: "Approval of a monthly report",
    visits: "Visits",
    signatures: "Signatures",
    changes: (v: number) => `What changed since version ${v}, returned for correction`,
    signatureImage: (who: string) => `${who} — image of the signature`,
    explanation: "Explanation of hours beyond the order",
    approveLegend: "Approve the report",
    approve: "I approve",
    returnLegend: "Return for correction",
    reason: "Reason for returning (required, the assistant will see it)",
    return: "Return for correction",
    note: "Opening this page changes nothing. The decision is recorded only when you press one of the buttons.",
    other: "Wersja polska",
  },
};

/**
 * The approval page a link opens: the report and an approve / return-with-reason form; showing it
 * decides nothing. The approver sees everything they approve: every visit with its justification
 * and note, both signatures (image and time) and, for a resubmission, what changed since the
 * returned version.
 */
export function approvalFormPage(args: {
  lang: Lang;
  facts: [string, string][];
  visits: VisitItem[];
  signatures: SignatureItem[];
  /** For a resubmission: the version returned before this one and what changed since. */
  changes?: { since: number; lines: string[] };
  overOrderExplanation?: string;
  formAction: string;
  otherLanguageUrl: string;
}): string {
  const t = texts[args.lang];
  const e = escapeHtml;
  const visit = (v: VisitItem) => {
    const said = visitWords(v, args.lang);
    return `<li><strong>${e(v.when)}</strong> (${e(v.duration)} h) · ${e(v.mode)}<br>${e(v.scope)}${said ? `<br><span class="muted">${e(said)}</span>` : ""}</li>`;
  };
  const signature = (s: SignatureItem) =>
    `<figure>${s.imageDataUrl ? `<img src="${e(s.imageDataUrl)}" alt="${e(t.signatureImage(s.label))}" width="300">` : ""}` +
    `<figcaption><strong>${e(s.label)}</strong>: ${e(s.signer)}, ${e(s.signedAt)}${s.evidence ? ` (${e(s.evidence)})` : ""}</figcaption></figure>`;
  return page(
    args.lang,
    t.title,
    [
      `<p><a href="${e(args.otherLanguageUrl)}" lang="${args.lang === "pl" ? "en" : "pl"}">${t.other}</a></p>`,
      `<table><tbody>${args.facts.map(([k, v]) => `<tr><th scope="row">${e(k)}</th><td>${e(v)}</td></tr>`).join("")}</tbody></table>`,
      args.changes ? `<h2>${e(t.changes(args.changes.since))}</h2><ul>${args.changes.lines.map((l) => `<li>${e(l)}</li>`).join("")}</ul>` : "",
      `<h2>${t.visits}</h2>`,
      `<ol class="visits">${args.visits.map(visit).join("")}</ol>`,
      args.overOrderExplanation ? `<h2>${t.explanation}</h2><p>${e(args.overOrderExplanation)}</p>` : "",
      `<h2>${t.signatures}</h2>`,
      args.signatures.map(signature).join(""),
      `<p class="notice">${t.note}</p>`,
      `<form method="post" action="${e(args.formAction)}"><fieldset><legend>${t.approveLegend}</legend>`,
      `<input type="hidden" name="outcome" value="approve"><button type="submit">${t.approve}</button></fieldset></form>`,
      `<form method="post" action="${e(args.formAction)}"><fieldset><legend>${t.returnLegend}</legend>`,
      `<input type="hidden" name="outcome" value="return"><label for="reason">${t.reason}</label>`,
      `<textarea id="reason" name="reason" rows="4" maxlength="2000" required></textarea>`,
      `<button type="submit">${t.return}</button></fieldset></form>`,
    ].join("\n"),
  );
}

/** A page with one message: a decision recorded, or why a link was refused. */
export function messagePage(lang: Lang, title: string, message: string): string {
  return page(lang, title, `<p role="status">${escapeHtml(message)}</p>`);
}

export const pageTitles = {
  decided: { pl: "Decyzja zapisana", en: "Decision recorded" },
  refused: { pl: "Nie można użyć tego linku", en: "This link cannot be used" },
  approved: { pl: "Sprawozdanie zatwierdzone. Asystent zobaczy to w aplikacji, a gdy paczka trafi do księgowości, dostanie e-mailem zestawienie do wypłaty.", en: "The report is approved. The assistant sees it in the app and, once the batch reaches finance, gets the payment summary by e-mail." },
  returned: { pl: "Sprawozdanie zwrócone do poprawy. Asystent otrzyma e-mail z powodem zwrotu.", en: "The report is returned for correction. The assistant will get an e-mail with the reason." },
};
