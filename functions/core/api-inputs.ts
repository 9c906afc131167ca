import { z } from "zod";
import { Month } from "./calendar.js";
import { BeneficiaryCode } from "./beneficiary.js";
import { Email } from "./person.js";
import { ProgrammeId } from "./programme.js";

/** Bodies and queries of the HTTP API that are not whole core entities. */
export const SignInRequest = z.object({ email: Email });
export const CreateReportInput = z.object({ programmeId: ProgrammeId, month: Month, beneficiaryCode: BeneficiaryCode });
/** A visit as the client sends it: the id may be chosen by the client (offline drafts) or left to the server. */
export const VisitInput = z.looseObject({ id: z.string().optional() });
export const SignatureInput = z.looseObject({});
export const ReportPatch = z.object({ overOrderExplanation: z.string().max(2000).nullable() });
export const MonthQuery = z.object({ month: Month.optional(), lang: z.string().optional() });
