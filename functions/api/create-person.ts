import { ForbiddenError, requireRole } from "../core/auth.js";
import { Person } from "../core/person.js";
import { getProgramme } from "../adapters/programmes.js";
import { createPerson, findPerson } from "../adapters/people.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** POST /api/programmes/{programmeId}/people — an admin adds a person with roles in this programme only. */
export const handler = api(async (req) => {
  const admin = await signedIn(req);
  const programmeId = req.param("programmeId");
  requireRole(admin, "admin", programmeId);
  await getProgramme(programmeId);
  const person = req.json(Person);
  if (person.roles.some((r) => r.programmeId !== programmeId)) throw new ForbiddenError(`roles outside ${programmeId}`);
  const written = await createPerson(person);
  return json(written > 0 ? 201 : 200, { person: await findPerson(person.id) });
});
