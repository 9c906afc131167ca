import { randomBytes } from "node:crypto";
import { SESSION_COOKIE, SESSION_SECONDS, UnauthenticatedError, after, tokenHash } from "../../core/auth.js";
import type { Person } from "../../core/person.js";
import { findPerson } from "../../adapters/people.js";
import { logPerson } from "../../adapters/observability.js";
import type { Read } from "../../adapters/dynamo.js";
import { createSession, deleteSession, sessionPerson, sessionRead } from "../../adapters/sessions.js";
import type { HttpRequest } from "./http.js";

// Read once at cold start: only the embedded local stack (plain http on 127.0.0.1) drops Secure.
const secure = process.env.KARTA_LOCAL === "1" ? "" : "; Secure";

/** A fresh random secret token (256 bits, base64url). */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Opens a session for the person; returns the Set-Cookie value. */
export async function openSession(personId: string, now: Date): Promise<string> {
  const token = newToken();
  await createSession(tokenHash(token), personId, now, after(now, SESSION_SECONDS));
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_SECONDS}${secure}`;
}

export async function closeSession(req: HttpRequest): Promise<string> {
  const token = req.cookie(SESSION_COOKIE);
  if (token) await deleteSession(tokenHash(token));
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`;
}

/** The signed-in person, or undefined. */
export async function optionalPerson(req: HttpRequest): Promise<Person | undefined> {
  const token = req.cookie(SESSION_COOKIE);
  if (!token) return undefined;
  const personId = await sessionPerson(tokenHash(token), req.now);
  logPerson(personId);
  return personId ? live(await findPerson(personId)) : undefined;
}

/**
 * The session of the request as a read to send together with others (readTogether), for
 * handlers that save round trips; 401 at once without a cookie. It yields the signed-in
 * person's id, or undefined for an unknown or expired session: pass it to `requireSession`
 * before using anything read with it, then load the person and pass it to `requireSignedIn`
 * (a person who no longer exists is signed out) — both fail closed, as `signedIn` does.
 */
export function sessionOf(req: HttpRequest): Read<string | undefined> {
  const token = req.cookie(SESSION_COOKIE);
  if (!token) throw new UnauthenticatedError();
  return sessionRead(tokenHash(token), req.now);
}

/** The person id of a live session, or 401. */
export function requireSession(personId: string | undefined): string {
  if (!personId) throw new UnauthenticatedError();
  logPerson(personId);
  return personId;
}

/** The session's person, or 401 (also for a deactivated person: signed out at once). */
export function requireSignedIn(person: Person | undefined): Person {
  const found = live(person);
  logPerson(person?.id);
  if (!found) throw new UnauthenticatedError();
  return found;
}

/** A deactivated person is treated as no one. */
const live = (person: Person | undefined) => (person?.active === false ? undefined : person);

/** The signed-in person, or 401. */
export async function signedIn(req: HttpRequest): Promise<Person> {
  const person = await optionalPerson(req);
  if (!person) throw new UnauthenticatedError();
  return person;
}
