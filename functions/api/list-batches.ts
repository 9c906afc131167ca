import { requireAnyRole } from "../core/auth.js";
import { recentBatchMonths } from "../core/batch.js";
import { monthOf } from "../core/calendar.js";
import { MonthQuery } from "../core/api-inputs.js";
import { batchesOfMonths } from "../adapters/batches.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** GET /api/programmes/{programmeId}/batches?month=… — the month's payment batches, or those of the last six months (finance, coordinator, admin). */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const programmeId = req.param("programmeId");
  requireAnyRole(person, programmeId, ["finance", "coordinator", "admin"]);
  const { month } = req.queryAs(MonthQuery);
  const months = month ? [month] : recentBatchMonths(monthOf(req.now.toISOString()));
  return json(200, { programmeId, months, batches: await batchesOfMonths(programmeId, months) });
});
