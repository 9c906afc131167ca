import { requireAnyRole } from "../core/auth.js";
import { BeneficiaryChange } from "../core/beneficiary.js";
import { changeBeneficiary } from "../adapters/beneficiaries.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** PATCH /api/programmes/{programmeId}/beneficiaries/{code} — initials or active (a deactivated beneficiary takes no new orders). */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const programmeId = req.param("programmeId");
  requireAnyRole(person, programmeId, ["admin", "coordinator"]);
  const change = req.json(BeneficiaryChange);
  return json(200, { beneficiary: await changeBeneficiary(programmeId, req.param("code").toUpperCase(), change) });
});
