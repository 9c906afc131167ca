import { signInLinkPage } from "../core/sign-in-page.js";
import { signInLinkUsable } from "../adapters/sessions.js";
import { html, page } from "./lib/http.js";
import { invalidSignInLink, signInTokenHash } from "./lib/sign-in-link.js";

/**
 * GET and HEAD /api/auth/callback?token=… — the page with the "Sign in" button. Mail scanners
 * (Safe Links and the like) open links before the person does, so this only reads: the link
 * stays usable until the button's POST.
 */
export const handler = page(async (req) => {
  const token = req.query("token");
  const hash = signInTokenHash(token);
  if (!hash || !(await signInLinkUsable(hash, req.now))) return invalidSignInLink(req, hash ? token : undefined);
  const self = `/api/auth/callback?token=${encodeURIComponent(token!)}`;
  return html(
    200,
    signInLinkPage({ lang: req.lang, token: token!, formAction: `/api/auth/callback?lang=${req.lang}`, otherLanguageUrl: `${self}&lang=${req.lang === "pl" ? "en" : "pl"}` }),
  );
});
