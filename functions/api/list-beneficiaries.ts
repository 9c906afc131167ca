import { requireAnyRole } from "../core/auth.js";
import { beneficiariesOfProgramme } from "../adapters/beneficiaries.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** GET /api/programmes/{programmeId}/beneficiaries — the programme's register: codes, initials, active (admin, coordinator). */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const programmeId = req.param("programmeId");
  requireAnyRole(person, programmeId, ["admin", "coordinator"]);
  return json(200, { beneficiaries: await beneficiariesOfProgramme(programmeId) });
});
