import { bilingual } from "./field-messages.js";
import * as z from "zod";
import { ProgrammeId } from "./programme.js";

export const BeneficiaryCode = z.string().trim().toUpperCase().pipe(z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,31}$/, bilingual("wielkie litery, cyfry i myślniki, np. KR-AOU-001", "letters, digits and dashes, e.g. KR-AOU-001")));
export type BeneficiaryCode = z.infer<typeof BeneficiaryCode>;

/**
 * A beneficiary is only a pseudonymous programme code and initials. Social-assistance data can
 * reveal health and disability (GDPR art. 9): no name, no PESEL, no diagnosis — the schema is
 * strict so that any extra field is refused rather than silently stored.
 */
export const Beneficiary = z.strictObject({
  programmeId: ProgrammeId,
  code: BeneficiaryCode,
  initials: z.string().trim().regex(/^(\p{Lu}\.?){1,4}$/u, bilingual("tylko inicjały, np. A.K.", "initials only, e.g. A.K.")),
  /** A deactivated beneficiary takes no new orders; its reports stay. */
  active: z.boolean().default(true),
});
export type Beneficiary = z.infer<typeof Beneficiary>;

/** Whether the beneficiary takes new orders (a deactivated one keeps its reports and history). */
export const isActiveBeneficiary = (b: Beneficiary) => b.active !== false;

/** What a coordinator or admin may change of a beneficiary: its initials and whether it is active. */
export const BeneficiaryChange = z.strictObject({
  initials: Beneficiary.shape.initials.optional(),
  active: z.boolean().optional(),
});
export type BeneficiaryChange = z.infer<typeof BeneficiaryChange>;

/** The beneficiary input of the API: the programme comes from the path. */
export const NewBeneficiary = Beneficiary.omit({ programmeId: true, active: true });

