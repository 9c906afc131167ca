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
  roles: z.array(z.object({ programmeId: ProgrammeId, role: Role })).min(1),
  contractNumber: z.string().trim().min(1).max(60).optional(),
  bankAccount: BankAccount.optional(),
});
export type Person = z.infer<typeof Person>;

/** Whether the person has `role` in the programme. */
export function hasRole(person: Pick<Person, "roles">, programmeId: string, role: Role): boolean {
  return person.roles.some((r) => r.programmeId === programmeId && r.role === role);
}

/** The normalised form of an e-mail address used as a lookup key. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
