import { requireCentreAdmin, requireRole } from "../core/auth.js";
import { Person } from "../core/person.js";
import { createPerson, findPerson } from "../adapters/people.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/**
 * POST /api/people — adds a person, with roles in the programmes the caller administers (or
 * none yet: the centre's administrator, e.g. an approver named by a programme created next).
 * An e-mail already held is refused with that person's id: give them a role instead.
 */
export const handler = api(async (req) => {
  const admin = await signedIn(req);
  const person = req.json(Person.omit({ centreAdmin: true }));
  if (person.roles.length === 0) requireCentreAdmin(admin);
  for (const { programmeId } of person.roles) requireRole(admin, "admin", programmeId);
  const written = await createPerson(person);
  return json(written > 0 ? 201 : 200, { person: await findPerson(person.id) });
});
