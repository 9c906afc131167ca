import { requireAnyRole } from "../core/auth.js";
import { monthsBetween, OverviewQuery, utilisation } from "../core/overview.js";
import { reportsByProgrammeMonth } from "../adapters/reports.js";
import { ordersByProgrammeMonth } from "../adapters/service-orders.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** GET /api/programmes/{programmeId}/overview?from=…&to=… — minutes ordered, logged and approved per beneficiary and month (coordinator, admin). */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const programmeId = req.param("programmeId");
  requireAnyRole(person, programmeId, ["coordinator", "admin"]);
  const range = req.queryAs(OverviewQuery);
  const months = monthsBetween(range.from, range.to);
  const [orders, reports] = await Promise.all([
    Promise.all(months.map((m) => ordersByProgrammeMonth(programmeId, m))),
    Promise.all(months.map((m) => reportsByProgrammeMonth(programmeId, m))),
  ]);
  return json(200, utilisation(programmeId, range, orders.flat(), reports.flat().map((s) => s.report)));
});
