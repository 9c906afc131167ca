import { after, SIGN_IN_LINK_SECONDS, tokenHash } from "../core/auth.js";
import { SignInRequest } from "../core/api-inputs.js";
import { signInEmail } from "../core/email/sign-in-email.js";
import { sendOnce } from "../adapters/email.js";
import { personByEmail } from "../adapters/people.js";
import { createSignInLink } from "../adapters/sessions.js";
import { api, json } from "./lib/http.js";
import { appUrl } from "../adapters/config.js";
import { newToken } from "./lib/session.js";

/** POST /api/auth/link — always 202 (no account enumeration); a known, active person gets a single-use link valid 15 minutes. */
export const handler = api(async (req) => {
  const { email } = req.json(SignInRequest);
  const person = await personByEmail(email);
  if (person?.active) {
    const token = newToken();
    const hash = tokenHash(token);
    await createSignInLink(hash, person.id, req.now, after(req.now, SIGN_IN_LINK_SECONDS));
    const url = `${appUrl()}/api/auth/callback?token=${token}`;
    await sendOnce({ outboxKey: `signin#${hash}`, to: [person.email], ...signInEmail({ name: person.name, url }), now: req.now });
  }
  return json(202, { accepted: true });
});
