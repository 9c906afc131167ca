import type { AuditEvent } from "../../core/audit-event.js";
import { requireOwner } from "../../core/auth.js";
import type { Person } from "../../core/person.js";
import type { Programme } from "../../core/programme.js";
import type { Report } from "../../core/report.js";
import { getProgramme } from "../../adapters/programmes.js";
import { getReport, saveReport } from "../../adapters/reports.js";
import type { HttpRequest } from "./http.js";
import { audit, reportBody } from "./reports.js";
import { signedIn } from "./session.js";

/** Loads the signed-in assistant's own report, applies a core change, saves it under the lock and audits it. */
export async function changeOwnReport(
  req: HttpRequest,
  type: AuditEvent["type"],
  change: (report: Report, programme: Programme, person: Person) => Report | Promise<Report>,
  details?: Record<string, unknown>,
) {
  const person = await signedIn(req);
  const stored = await getReport(req.param("reportId"));
  requireOwner(person, stored.report);
  req.checkRevision(stored.rev);
  const programme = await getProgramme(stored.report.programmeId);
  const next = await change(stored.report, programme, person);
  const saved = await saveReport(next, stored.rev);
  await audit(type, next, person.id, req.now, "session", details);
  return reportBody(saved);
}
