import { page } from "./approval-page.js";
import { escapeHtml } from "./exports/safe-cell.js";

type Lang = "pl" | "en";

const texts = {
  pl: {
    title: "Logowanie do Karty",
    intro: "Aby się zalogować, naciśnij przycisk. Samo otwarcie linku niczego nie robi — dzięki temu programy sprawdzające pocztę nie zużywają go za Ciebie.",
    button: "Zaloguj się",
    invalidTitle: "Ten link logowania jest nieważny",
    invalid: "Link wygasł (jest ważny 15 minut) albo został już użyty. Poproś o nowy link — przyjdzie na Twój adres e-mail.",
    again: "Poproś o nowy link logowania",
    other: "English version",
  },
  en: {
    title: "Sign in to Karta",
    intro: "To sign in, press the button. Opening the link alone does nothing, so programs that check e-mail cannot use it up for you.",
    button: "Sign in",
    invalidTitle: "This sign-in link is no longer valid",
    invalid: "The link has expired (it is valid 15 minutes) or was already used. Ask for a new link — it will come to your e-mail address.",
    again: "Ask for a new sign-in link",
    other: "Wersja polska",
  },
};

const otherLang = (lang: Lang): Lang => (lang === "pl" ? "en" : "pl");

/** The page a sign-in link opens: one button that signs in (a POST); showing it uses nothing. */
export function signInLinkPage(args: { lang: Lang; token: string; formAction: string; otherLanguageUrl: string }): string {
  const t = texts[args.lang];
  const e = escapeHtml;
  return page(
    args.lang,
    t.title,
    [
      `<p><a href="${e(args.otherLanguageUrl)}" lang="${otherLang(args.lang)}">${texts[args.lang].other}</a></p>`,
      `<p>${t.intro}</p>`,
      `<form method="post" action="${e(args.formAction)}">`,
      `<input type="hidden" name="token" value="${e(args.token)}">`,
      `<button type="submit">${t.button}</button></form>`,
    ].join("\n"),
  );
}

/** The page of an expired, used or unknown sign-in link: why, and where to ask for a new one. */
export function signInLinkInvalidPage(args: { lang: Lang; signInUrl: string; otherLanguageUrl?: string }): string {
  const t = texts[args.lang];
  const e = escapeHtml;
  return page(
    args.lang,
    t.invalidTitle,
    [
      args.otherLanguageUrl ? `<p><a href="${e(args.otherLanguageUrl)}" lang="${otherLang(args.lang)}">${t.other}</a></p>` : "",
      `<p role="status">${t.invalid}</p>`,
      `<p><a href="${e(args.signInUrl)}">${t.again}</a></p>`,
    ].join("\n"),
  );
}
