import { setTimeout as sleep } from "node:timers/promises";
import type { AuditEvent } from "../../core/audit-event.js";
import { requireOwner } from "../../core/auth.js";
import { VersionConflictError } from "../../core/errors.js";
import type { Person } from "../../core/person.js";
import type { Programme } from "../../core/programme.js";
import type { Report } from "../../core/report.js";
import { getProgramme } from "../../adapters/programmes.js";
import { getReport, saveReport } from "../../adapters/reports.js";
import type { HttpRequest } from "./http.js";
import { audit, reportBody } from "./reports.js";
import { signedIn } from "./session.js";

/**
 * Attempts of a change sent without If-Match ("apply to the latest revision"): the first and up to
 * 11 more, each after a jittered back-off that doubles from 20 ms to at most 1 s, and none begun
 * after 8 s (inside the route's 15 s and API Gateway's 29 s). An offline queue replaying several
 * visits at once needs every one to land; with If-Match a stale revision is refused at once.
 */
export const LATEST_REVISION_ATTEMPTS = 12;
const RETRY_WINDOW_MS = 8_000;
const backoffMs = (retry: number) => Math.random() * Math.min(1_000, 10 * 2 ** retry);

/**
 * Loads the signed-in assistant's own report, applies a core change, saves it under the lock and
 * audits it. Without If-Match a revision conflict re-reads the report and applies the change
 * again (the rules run on the new content: a visit id added meanwhile is still ALREADY_EXISTS).
 */
export async function changeOwnReport(
  req: HttpRequest,
  type: AuditEvent["type"],
  change: (report: Report, programme: Programme, person: Person) => Report | Promise<Report>,
  details?: Record<string, unknown>,
) {
  const person = await signedIn(req);
  const reportId = req.param("reportId");
  const ifMatch = req.header("if-match")?.trim();
  const latest = !ifMatch || ifMatch === "*";
  let programme: Programme | undefined;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const stored = await getReport(reportId);
    requireOwner(person, stored.report);
    req.checkRevision(stored.rev);
    programme ??= await getProgramme(stored.report.programmeId);
    const next = await change(stored.report, programme, person);
    try {
      const saved = await saveReport(next, stored.rev);
      await audit(type, next, person.id, req.now, "session", details);
      return reportBody(saved);
    } catch (error) {
      if (!(error instanceof VersionConflictError) || !latest || attempt >= LATEST_REVISION_ATTEMPTS) throw error;
      const pause = backoffMs(attempt);
      if (Date.now() + pause - started > RETRY_WINDOW_MS) throw error;
      await sleep(pause);
    }
  }
}
