import { requireReader } from "../core/auth.js";
import { auditEventsOfReport } from "../adapters/audit-events.js";
import { getReport } from "../adapters/reports.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** GET /api/reports/{reportId}/audit — the report's append-only history. */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const { report } = await getReport(req.param("reportId"));
  requireReader(person, report);
  return json(200, { events: await auditEventsOfReport(report.id) });
});
