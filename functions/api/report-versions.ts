import { requireReader } from "../core/auth.js";
import { contentHash } from "../core/report.js";
import { getReport, reportVersions } from "../adapters/reports.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** GET /api/reports/{reportId}/versions — every submitted version, oldest first (immutable snapshots). */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const { report } = await getReport(req.param("reportId"));
  requireReader(person, report);
  const versions = await reportVersions(report.id);
  return json(200, { versions: versions.map((v) => ({ report: v, contentHash: contentHash(v) })) });
});
