import { requireReader } from "../core/auth.js";
import { auditEventsOfReport } from "../adapters/audit-events.js";
import { findPerson } from "../adapters/people.js";
import { getReport } from "../adapters/reports.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** Who did it, as a reader knows them: the person's name; steps of the workflow are "Karta" (the app shows it). */
const AUTOMATIC = "workflow";

/** GET /api/reports/{reportId}/audit — the report's append-only history, each event with its actor's name. */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const { report } = await getReport(req.param("reportId"));
  requireReader(person, report);
  const events = await auditEventsOfReport(report.id);
  const ids = [...new Set(events.map((e) => e.actorId).filter((id) => id !== AUTOMATIC))];
  const names = new Map(await Promise.all(ids.map(async (id) => [id, (await findPerson(id))?.name] as const)));
  return json(200, { events: events.map((e) => ({ ...e, ...(names.get(e.actorId) ? { actorName: names.get(e.actorId) } : {}), ...(e.actorId === AUTOMATIC ? { automatic: true } : {}) })) });
});
