import { ForbiddenError } from "../core/auth.js";
import { hasRole, PersonChange } from "../core/person.js";
import { changePerson, personWithRev } from "../adapters/people.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/**
 * PATCH /api/people/{personId} — name, e-mail, contract number, bank account or active (If-Match:
 * the revision). The id stays, so the person's reports, approvals and batches keep naming them.
 * Allowed to the centre's administrator and to an admin of a programme the person works in.
 */
export const handler = api(async (req) => {
  const admin = await signedIn(req);
  const personId = req.param("personId");
  const { person, rev: current } = await personWithRev(personId);
  if (!person.roles.some((r) => hasRole(admin, r.programmeId, "admin")) && !admin.centreAdmin) throw new ForbiddenError("admin of the person's programme");
  const change = req.json(PersonChange);
  if (change.active === false && personId === admin.id) throw new ForbiddenError("deactivating yourself");
  req.checkRevision(current);
  const { person: after, rev } = await changePerson(personId, change, current);
  return json(200, { person: after, rev }, { headers: { etag: `"${rev}"` } });
});
