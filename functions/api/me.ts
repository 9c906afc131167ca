import { stillDue } from "../core/calendar.js";
import { getProgramme } from "../adapters/programmes.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/**
 * GET /api/me — the signed-in person and their roles per programme, the server's time, and the
 * previous month while its reports are still due in one of the person's programmes (the app
 * opens that month first).
 */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const now = req.now.toISOString();
  const programmes = await Promise.all([...new Set(person.roles.map((r) => r.programmeId))].map((id) => getProgramme(id).catch(() => undefined)));
  const due = stillDue(now, programmes.filter((p) => p !== undefined));
  return json(200, { person, now, ...(due ? { stillDue: due } : {}) });
});
