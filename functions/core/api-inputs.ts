import * as z from "zod";
import { Month } from "./calendar.js";
import { BeneficiaryCode } from "./beneficiary.js";
import { Email, PersonId, Role } from "./person.js";
import { ProgrammeId } from "./programme.js";

/** Bodies and queries of the HTTP API that are not whole core entities. */
export const SignInRequest = z.object({ email: Email });
export const CreateReportInput = z.object({ programmeId: ProgrammeId, month: Month, beneficiaryCode: BeneficiaryCode });
/** A visit as the client sends it: the id may be chosen by the client (offline drafts) or left to the server. */
export const VisitInput = z.looseObject({ id: z.string().optional() });
export const SignatureInput = z.looseObject({});
export const ReportPatch = z.object({ overOrderExplanation: z.string().max(2000).nullable() });
export const MonthQuery = z.object({ month: Month.optional(), lang: z.string().optional() });
/** A role given to an existing person in a programme. */
export const RoleGrant = z.strictObject({ programmeId: ProgrammeId, role: Role });
export const RoleQuery = z.object({ role: Role.optional(), lang: z.string().optional() });
/** The coordinator's order for one assistant × beneficiary × month (issued by and at are set by the server). */
export const OrderInput = z.object({ month: Month, assistantId: PersonId, beneficiaryCode: BeneficiaryCode, orderedMinutes: z.number().int().positive().max(744 * 60) });
/** The month an orders file is for (`?month=YYYY-MM`, required: a file for the wrong month must not slip in). */
export const ImportOrdersQuery = z.object({ month: Month, lang: z.string().optional() });
