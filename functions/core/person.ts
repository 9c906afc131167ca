import * as z from "zod";
import { ProgrammeId } from "./programme.js";

export const Role = z.enum(["assistant", "coordinator", "approver", "finance", "admin"]);
export type Role = z.infer<typeof Role>;

export const PersonId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "letters, digits, _ and -");
export type PersonId = z.infer<typeof PersonId>;

/** An e-mail address, trimmed and lowercased so that lookups by e-mail are exact. */
export const Email = z.string().trim().toLowerCase().pipe(z.email());
export type Email = z.infer<typeof Email>;

/** A Polish bank account (NRB, 26 digits, optionally with the PL prefix); stored without spaces. */
export const BankAccount = z
  .string()
  .transform((s) => s.replace(/\s+/g, "").toUpperCase())
  .pipe(z.string().regex(/^(PL)?\d{26}$/, "expected 26 digits (NRB), optionally prefixed with PL"));

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
  return Person.parse(next);
}

/** The normalised form of an e-mail address used as a lookup key. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
