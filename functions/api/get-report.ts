import { requireReader } from "../core/auth.js";
import { getReport } from "../adapters/reports.js";
import { api, json } from "./lib/http.js";
import { reportBody } from "./lib/reports.js";
import { signedIn } from "./lib/session.js";

/** GET /api/reports/{reportId} — the owner, or staff of the report's programme. */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const stored = await getReport(req.param("reportId"));
  requireReader(person, stored.report);
  return json(200, reportBody(stored), { headers: { etag: `"${stored.rev}"` } });
});
