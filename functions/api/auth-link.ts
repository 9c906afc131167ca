import { setTimeout as sleep } from "node:timers/promises";
import { after, SIGN_IN_ANSWER_MS, SIGN_IN_LIMITS, SIGN_IN_LINK_SECONDS, signInLimitWindow, tokenHash } from "../core/auth.js";
import { SignInRequest } from "../core/api-inputs.js";
import { signInEmail } from "../core/email/sign-in-email.js";
import { sendOnce } from "../adapters/email.js";
import { personByEmail } from "../adapters/people.js";
import { createSignInLink, takeSignInAllowance, type SignInLimit } from "../adapters/sessions.js";
import { api, json, type HttpRequest } from "./lib/http.js";
import { appUrl } from "../adapters/config.js";
import { newToken } from "./lib/session.js";
import { outboxKeys } from "../adapters/keys.js";

/**
 * POST /api/auth/link — always the same 202 (no account enumeration): a known, active person
 * gets a single-use link valid 15 minutes, unless the address or the client is over its limit
 * (SIGN_IN_LIMITS). Known and unknown addresses do the same counting and answer no sooner than
 * SIGN_IN_ANSWER_MS, so the time tells nothing either.
 */
export const handler = api(async (req) => {
  const started = performance.now();
  const { email } = req.json(SignInRequest);
  await sendLinkWithinLimits(req, email);
  await sleep(Math.max(0, SIGN_IN_ANSWER_MS - (performance.now() - started)));
  return json(202, { accepted: true });
});

async function sendLinkWithinLimits(req: HttpRequest, email: string): Promise<void> {
  const window = signInLimitWindow(req.now);
  const client: SignInLimit = { scope: "CLIENT", hash: tokenHash(`client:${sourceIp(req)}`), window };
  const address: SignInLimit = { scope: "ADDRESS", hash: tokenHash(`address:${email}`), window };
  const [person, allowed] = await Promise.all([
    personByEmail(email),
    takeSignInAllowance(client, SIGN_IN_LIMITS.perClient).then((ok) => ok && takeSignInAllowance(address, SIGN_IN_LIMITS.perAddress)),
  ]);
  if (!allowed || !person?.active) return;
  const token = newToken();
  const hash = tokenHash(token);
  await createSignInLink(hash, person.id, req.now, after(req.now, SIGN_IN_LINK_SECONDS), address);
  const url = `${appUrl()}/api/auth/callback?token=${token}`;
  await sendOnce({ outboxKey: outboxKeys.signInLink(hash), to: [person.email], ...signInEmail({ name: person.name, url }), now: req.now });
}

/** The client's address as API Gateway saw it (payload 2.0 requestContext.http.sourceIp). */
function sourceIp(req: HttpRequest): string {
  const context = req.event.requestContext as { http?: { sourceIp?: string } } | undefined;
  return context?.http?.sourceIp ?? "unknown";
}
