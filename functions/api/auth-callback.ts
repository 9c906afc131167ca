import { consumeSignInLink } from "../adapters/sessions.js";
import { appUrl } from "../adapters/config.js";
import { page } from "./lib/http.js";
import { openSession } from "./lib/session.js";
import { invalidSignInLink, signInTokenHash } from "./lib/sign-in-link.js";

/**
 * POST /api/auth/callback (form field `token`, from the link's page) — uses the sign-in link
 * once, sets the session cookie and goes to the app (303). A form posted from another site is
 * refused: it would sign the browser in as someone else (login CSRF).
 */
export const handler = page(async (req) => {
  req.requireOwnOrigin();
  const token = req.form().token ?? req.query("token");
  const hash = signInTokenHash(token);
  const personId = hash ? await consumeSignInLink(hash, req.now) : undefined;
  if (!personId) return invalidSignInLink(req);
  const cookie = await openSession(personId, req.now);
  return { statusCode: 303, headers: { location: `${appUrl()}/`, "cache-control": "no-store", "referrer-policy": "no-referrer" }, cookies: [cookie] };
});
