import { requireAnyRole } from "../core/auth.js";
import { monthOf } from "../core/calendar.js";
import { MonthQuery } from "../core/api-inputs.js";
import { reportsByProgrammeMonth } from "../adapters/reports.js";
import { api, json } from "./lib/http.js";
import { reportBody } from "./lib/reports.js";
import { signedIn } from "./lib/session.js";

/** GET /api/programmes/{programmeId}/reports?month=… — every report of the month (programme staff). */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const programmeId = req.param("programmeId");
  requireAnyRole(person, programmeId, ["coordinator", "approver", "finance", "admin"]);
  const { month = monthOf(req.now.toISOString()) } = req.queryAs(MonthQuery);
  return json(200, { month, reports: (await reportsByProgrammeMonth(programmeId, month)).map(reportBody) });
});
