import { bilingual } from "./field-messages.js";
import { electronicFormatIBAN, isValidIBAN } from "ibantools";
import * as z from "zod";

/**
 * A Polish bank account as an IBAN: "PL" + 26 digits, or the 26 digits of the NRB alone; spaces
 * allowed. Checked by the IBAN mod-97 checksum (ibantools), stored as "PL" + 26 digits.
 */
export const PolishIban = z
  .string()
  .transform((s) => {
    const compact = s.replace(/\s+/g, "").toUpperCase();
    return /^\d{26}$/.test(compact) ? `PL${compact}` : compact;
  })
  .pipe(
    z
      .string()
      .regex(/^PL\d{26}$/, bilingual("oczekiwano polskiego numeru rachunku: PL i 26 cyfr albo same 26 cyfr (NRB)", "expected a Polish account number: PL and 26 digits, or the 26 digits of the NRB"))
      .refine((iban) => isValidIBAN(iban), bilingual("suma kontrolna numeru rachunku (mod 97) się nie zgadza: sprawdź cyfry", "the account number's checksum (mod 97) does not match: check the digits")),
  )
  .transform((iban) => electronicFormatIBAN(iban) ?? iban);
export type PolishIban = z.infer<typeof PolishIban>;
