import { api, json } from "./lib/http.js";
import { closeSession } from "./lib/session.js";

/** POST /api/auth/logout — ends the session and clears the cookie. */
export const handler = api(async (req) => json(204, undefined, { cookies: [await closeSession(req)] }));
