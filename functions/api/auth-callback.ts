import { SignInLinkInvalidError, tokenHash } from "../core/auth.js";
import { consumeSignInLink } from "../adapters/sessions.js";
import { appUrl } from "../adapters/config.js";
import { page } from "./lib/http.js";
import { openSession } from "./lib/session.js";

/** GET /api/auth/callback?token=… — uses the sign-in link once, sets the session cookie and goes to the app. */
export const handler = page(async (req) => {
  const token = req.query("token");
  const personId = token && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? await consumeSignInLink(tokenHash(token), req.now) : undefined;
  if (!personId) throw new SignInLinkInvalidError();
  const cookie = await openSession(personId, req.now);
  return { statusCode: 302, headers: { location: `${appUrl()}/`, "cache-control": "no-store", "referrer-policy": "no-referrer" }, cookies: [cookie] };
});
