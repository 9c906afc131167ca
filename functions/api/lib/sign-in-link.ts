import { tokenHash } from "../../core/auth.js";
import { signInLinkInvalidPage } from "../../core/sign-in-page.js";
import { html, type HttpRequest, type HttpResult } from "./http.js";

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

/** The hash of a well-formed sign-in token, or undefined (junk never reaches the table). */
export function signInTokenHash(token: string | undefined): string | undefined {
  return token && TOKEN.test(token) ? tokenHash(token) : undefined;
}

/** 410 with the page that says the link is spent and where to ask for a new one. */
export function invalidSignInLink(req: HttpRequest, token?: string): HttpResult {
  const other = req.lang === "pl" ? "en" : "pl";
  const otherLanguageUrl = token ? `/api/auth/callback?token=${encodeURIComponent(token)}&lang=${other}` : `/api/auth/callback?lang=${other}`;
  return html(410, signInLinkInvalidPage({ lang: req.lang, signInUrl: "/", otherLanguageUrl }));
}
