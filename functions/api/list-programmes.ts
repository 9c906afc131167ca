import { programmesOf } from "../core/auth.js";
import { getProgramme } from "../adapters/programmes.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** GET /api/programmes — the programmes the signed-in person has a role in (scopes, modes, rules for the forms). */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  return json(200, { programmes: await Promise.all(programmesOf(person).map(getProgramme)) });
});
