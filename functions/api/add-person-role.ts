import { requireRole } from "../core/auth.js";
import { RoleGrant } from "../core/api-inputs.js";
import { getProgramme } from "../adapters/programmes.js";
import { addRole } from "../adapters/people.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** POST /api/people/{personId}/roles — gives an existing person a role in a programme the caller administers. */
export const handler = api(async (req) => {
  const admin = await signedIn(req);
  const { programmeId, role } = req.json(RoleGrant);
  requireRole(admin, "admin", programmeId);
  await getProgramme(programmeId);
  const { person, added } = await addRole(req.param("personId"), programmeId, role);
  return json(added ? 201 : 200, { person });
});
