import * as z from "zod";
import { ProgrammeId } from "./programme.js";

export const BeneficiaryCode = z.string().trim().toUpperCase().pipe(z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,31}$/, "letters, digits and dashes, e.g. KR-AOU-001"));
export type BeneficiaryCode = z.infer<typeof BeneficiaryCode>;

/**
 * A beneficiary is only a pseudonymous programme code and initials. Social-assistance data can
 * reveal health and disability (GDPR art. 9): no name, no PESEL, no diagnosis — the schema is
 * strict so that any extra field is refused rather than silently stored.
 */
export const Beneficiary = z.strictObject({
  programmeId: ProgrammeId,
  code: BeneficiaryCode,
  initials: z.string().trim().regex(/^(\p{Lu}\.?){1,4}$/u, "initials only, e.g. A.K."),
});
export type Beneficiary = z.infer<typeof Beneficiary>;
