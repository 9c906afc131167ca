import { createHash } from "node:crypto";
import { DomainError } from "./errors.js";
import { hasRole, type Person, type Role } from "./person.js";
import { canApprove, type Programme } from "./programme.js";
import type { Report } from "./report.js";

/** A sign-in link is valid 15 minutes and opens once. */
export const SIGN_IN_LINK_SECONDS = 15 * 60;
/** A session lasts one working day and a bit (sign in again the next morning). */
export const SESSION_SECONDS = 12 * 60 * 60;
export const SESSION_COOKIE = "karta_session";

/**
 * Sign-in abuse limits, per quarter-hour window: at most 3 unused links for one address (a used
 * link gives its place back, so signing in again is never blocked) and at most 100 requests from
 * one client address — generous because a centre's office or a mobile carrier puts many people
 * behind one IP. Over a limit the answer is the same 202 and nothing is sent.
 */
export const SIGN_IN_LIMITS = { windowSeconds: 15 * 60, perAddress: 3, perClient: 100 } as const;
/** POST /api/auth/link answers no sooner than this, so a known and an unknown address take the same time. */
export const SIGN_IN_ANSWER_MS = 150;

/** The start (ISO) of the sign-in limit window `now` falls in. */
export function signInLimitWindow(now: Date): { start: string; end: string } {
  const ms = SIGN_IN_LIMITS.windowSeconds * 1000;
  const start = Math.floor(now.getTime() / ms) * ms;
  return { start: new Date(start).toISOString(), end: new Date(start + ms).toISOString() };
}

export class UnauthenticatedError extends DomainError {
  constructor() {
    super("UNAUTHENTICATED", 401, {
      pl: "Nie jesteś zalogowany lub sesja wygasła. Zaloguj się ponownie linkiem wysłanym na Twój adres e-mail.",
      en: "You are not signed in or your session has expired. Sign in again with a link sent to your e-mail address.",
    });
  }
}

export class ForbiddenError extends DomainError {
  constructor(what: string) {
    super("FORBIDDEN", 403, {
      pl: `Nie masz uprawnień do tej czynności (${what}). Jeśli to pomyłka, poproś administratora programu o nadanie roli.`,
      en: `You are not allowed to do this (${what}). If this is a mistake, ask the programme's administrator for the role.`,
    }, { details: { what } });
  }
}

/** SHA-256 (hex) of a secret token: what the table stores instead of the token. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The instant `seconds` after `now` (ISO). */
export function after(now: Date, seconds: number): string {
  return new Date(now.getTime() + seconds * 1000).toISOString();
}

/** Refuses unless the person holds `role` in the programme (or in any programme when none is given). */
export function requireRole(person: Pick<Person, "roles" | "centreAdmin">, role: Role, programmeId?: string): void {
  const ok = programmeId ? hasRole(person, programmeId, role) : (role === "admin" && !!person.centreAdmin) || person.roles.some((r) => r.role === role);
  if (!ok) throw new ForbiddenError(programmeId ? `${role} @ ${programmeId}` : role);
}

/** The programmes in which the person holds `role`. */
export function programmesWithRole(person: Pick<Person, "roles">, role: Role): string[] {
  return [...new Set(person.roles.filter((r) => r.role === role).map((r) => r.programmeId))];
}

/** Only the assistant who owns the report may change it. */
export function requireOwner(person: Pick<Person, "id" | "roles">, report: Pick<Report, "assistantId" | "programmeId">): void {
  if (report.assistantId !== person.id || !hasRole(person, report.programmeId, "assistant")) throw new ForbiddenError("report of another assistant");
}

/** Whether the person may decide on the programme's reports: the approver role and named by the programme. */
export function isApproverOf(person: Pick<Person, "id" | "roles">, programme: Pick<Programme, "id" | "approverIds" | "deputyApproverId">): boolean {
  return hasRole(person, programme.id, "approver") && canApprove(programme, person.id);
}

/** Refuses unless the person may decide on the programme's reports. */
export function requireApprover(person: Pick<Person, "id" | "roles">, programme: Pick<Programme, "id" | "approverIds" | "deputyApproverId">): void {
  if (!isApproverOf(person, programme)) throw new ForbiddenError(`approver @ ${programme.id}`);
}

const staffRoles: Role[] = ["approver", "coordinator", "finance", "admin"];

/** The owner reads their report; staff of the report's programme read every report of it. */
export function requireReader(person: Pick<Person, "id" | "roles">, report: Pick<Report, "assistantId" | "programmeId">): void {
  if (report.assistantId === person.id && hasRole(person, report.programmeId, "assistant")) return;
  if (staffRoles.some((role) => hasRole(person, report.programmeId, role))) return;
  throw new ForbiddenError("report of another assistant");
}

/** The request's language from Accept-Language: English only when the reader prefers it over Polish. */
export function languageOf(acceptLanguage: string | undefined): "pl" | "en" {
  if (!acceptLanguage) return "pl";
  const ranked = acceptLanguage
    .split(",")
    .map((part, index) => {
      const [tag, ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag, q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((l) => l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag.startsWith("pl")) return "pl";
    if (tag.startsWith("en")) return "en";
  }
  return "pl";
}

/** Refuses unless the person holds one of `roles` in the programme. */
export function requireAnyRole(person: Pick<Person, "roles">, programmeId: string, roles: Role[]): void {
  if (!roles.some((role) => hasRole(person, programmeId, role))) throw new ForbiddenError(`${roles.join("/")} @ ${programmeId}`);
}

/** Refuses unless the person is the centre's administrator (creates programmes and people of any programme). */
export function requireCentreAdmin(person: Pick<Person, "centreAdmin">): void {
  if (!person.centreAdmin) throw new ForbiddenError("centre admin");
}

/** The programmes in which the person holds any role. */
export function programmesOf(person: Pick<Person, "roles">): string[] {
  return [...new Set(person.roles.map((r) => r.programmeId))];
}
