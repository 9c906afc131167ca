import { programmesOf } from "../core/auth.js";
import { getProgramme, listProgrammes } from "../adapters/programmes.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** GET /api/programmes — the programmes the signed-in person has a role in (every one for the centre's administrator). */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  if (person.centreAdmin) return json(200, { programmes: await listProgrammes() });
  return json(200, { programmes: await Promise.all(programmesOf(person).map(getProgramme)) });
});
