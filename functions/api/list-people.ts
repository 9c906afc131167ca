import { requireAnyRole } from "../core/auth.js";
import { RoleQuery } from "../core/api-inputs.js";
import { Role } from "../core/person.js";
import { peopleByProgrammeRole } from "../adapters/people.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** GET /api/programmes/{programmeId}/people?role=… — the programme's people (admin, coordinator). */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const programmeId = req.param("programmeId");
  requireAnyRole(person, programmeId, ["admin", "coordinator"]);
  const { role } = req.queryAs(RoleQuery);
  const roles = role ? [role] : Role.options;
  const lists = await Promise.all(roles.map((r) => peopleByProgrammeRole(programmeId, r)));
  const people = [...new Map(lists.flat().map((p) => [p.id, p])).values()];
  return json(200, { people });
});
