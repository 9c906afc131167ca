import { requireCentreAdmin } from "../core/auth.js";
import { centrePeople } from "../adapters/people.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** GET /api/people — everyone in the centre, with roles or none yet, active or not (the centre administrator). */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  requireCentreAdmin(person);
  const people = await centrePeople();
  return json(200, { people: people.sort((a, b) => a.name.localeCompare(b.name, "pl") || (a.id < b.id ? -1 : 1)) });
});
