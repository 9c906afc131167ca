import { requireAnyRole } from "../core/auth.js";
import { BeneficiaryChange, BeneficiaryCode } from "../core/beneficiary.js";
import { NotFoundError } from "../core/errors.js";
import { changeBeneficiary } from "../adapters/beneficiaries.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** PATCH /api/programmes/{programmeId}/beneficiaries/{code} — initials or active (a deactivated beneficiary takes no new orders). */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const programmeId = req.param("programmeId");
  requireAnyRole(person, programmeId, ["admin", "coordinator"]);
  const change = req.json(BeneficiaryChange);
  const code = BeneficiaryCode.safeParse(req.param("code"));
  if (!code.success) throw new NotFoundError("beneficiary", `${programmeId}/${req.param("code").slice(0, 40)}`);
  return json(200, { beneficiary: await changeBeneficiary(programmeId, code.data, change) });
});
