import { requireAnyRole } from "../core/auth.js";
import { NewBeneficiary } from "../core/beneficiary.js";
import { createBeneficiary } from "../adapters/beneficiaries.js";
import { getProgramme } from "../adapters/programmes.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** POST /api/programmes/{programmeId}/beneficiaries — adds a beneficiary: the programme's code and initials only (admin, coordinator). */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const programmeId = req.param("programmeId");
  requireAnyRole(person, programmeId, ["admin", "coordinator"]);
  const input = req.json(NewBeneficiary);
  await getProgramme(programmeId);
  return json(201, { beneficiary: await createBeneficiary({ ...input, programmeId }) });
});
