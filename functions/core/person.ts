import { bilingual } from "./field-messages.js";
import * as z from "zod";
import { ProgrammeId } from "./programme.js";

export const Role = z.enum(["assistant", "coordinator", "approver", "finance", "admin"]);
export type Role = z.infer<typeof Role>;

export const PersonId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, bilingual("litery, cyfry, _ i -", "letters, digits, _ and -"));
export type PersonId = z.infer<typeof PersonId>;

/** An e-mail address, trimmed and lowercased so that lookups by e-mail are exact. */
export const Email = z.string().trim().toLowerCase().pipe(z.email());
export type Email = z.infer<typeof Email>;

/** A Polish bank account (NRB, 26 digits, optionally with the PL prefix); stored without spaces. */
export const BankAccount = z
  .string()
  .transform((s) => s.replace(/\s+/g, "").toUpperCase())
  .pipe(z.string().regex(/^(PL)?\d{26}$/, bilingual("oczekiwano 26 cyfr (NRB), z PL na początku lub bez", "expected 26 digits (NRB), optionally prefixed with PL")));

/**
 * What SES reported about e-mail to the person's address: a permanent bounce, a complaint (marked
 * as spam) or a send suppressed because the address is on the suppression list. Set by the SES
 * event handler (core/mail-event.ts), shown to the coordinator and admin, cleared when the address
 * changes. Holds no personal data beyond the person: the diagnostic is the SMTP status code only.
 */
export const MailStatus = z.object({
  state: z.enum(["bounced", "complained", "suppressed"]),
  /** When SES reported it (UTC ISO). */
  at: z.iso.datetime(),
  bounceType: z.enum(["Permanent", "Transient", "Undetermined"]).optional(),
  bounceSubType: z.string().max(40).optional(),
  /** The enhanced SMTP status code of the receiving server (e.g. "5.1.1"), never its free text. */
  diagnostic: z.string().max(12).optional(),
  /** The SES message the report is about (a repeated notification of it changes nothing). */
  messageId: z.string().max(200).optional(),
});
export type MailStatus = z.infer<typeof MailStatus>;

export const Person = z.object({
  id: PersonId,
  email: Email,
  name: z.string().trim().min(1).max(200),
  /** Roles per programme; one person (one e-mail) may hold roles in several programmes, or none yet. */
  roles: z.array(z.object({ programmeId: ProgrammeId, role: Role })).default([]),
  /** A deactivated person cannot sign in and gets no e-mail; never deleted while anything names them. */
  active: z.boolean().default(true),
  /** The centre's administrator: creates programmes and is an admin of every programme. */
  centreAdmin: z.boolean().optional(),
  contractNumber: z.string().trim().min(1).max(60).optional(),
  bankAccount: BankAccount.optional(),
  /** E-mail to this address bounced, was marked as spam or is suppressed (only SES events set it). */
  mailStatus: MailStatus.optional(),
});
export type Person = z.infer<typeof Person>;
export type PersonInput = z.input<typeof Person>;

/** Whether the person has `role` in the programme (the centre's administrator is an admin of every programme). */
export function hasRole(person: Pick<Person, "roles"> & { centreAdmin?: boolean }, programmeId: string, role: Role): boolean {
  if (role === "admin" && person.centreAdmin) return true;
  return person.roles.some((r) => r.programmeId === programmeId && r.role === role);
}

/** What an admin may change of a person (the id never changes; the history stays under it). */
export const PersonChange = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  email: Email.optional(),
  active: z.boolean().optional(),
  contractNumber: z.string().trim().min(1).max(60).nullable().optional(),
  bankAccount: BankAccount.nullable().optional(),
  /** null: the address is right after all (the operators took it off SES's suppression list); the mark goes. */
  mailStatus: z.null().optional(),
});
export type PersonChange = z.infer<typeof PersonChange>;

/** The person after an admin's change (null clears an optional field). */
export function applyPersonChange(person: Person, change: PersonChange): Person {
  const next: Record<string, unknown> = { ...person };
  for (const [field, value] of Object.entries(change)) {
    if (value === undefined) continue;
    if (value === null) delete next[field];
    else next[field] = value;
  }
  // A new address has no history with SES: what bounced was the old one.
  if (change.email !== undefined && normaliseEmail(change.email) !== person.email) delete next.mailStatus;
  return Person.parse(next);
}

/** The normalised form of an e-mail address used as a lookup key. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
