import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** GET /api/me — the signed-in person and their roles per programme. */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  return json(200, { person });
});
