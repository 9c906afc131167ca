import { requireAnyRole } from "../core/auth.js";
import { monthOf } from "../core/calendar.js";
import { MonthQuery } from "../core/api-inputs.js";
import { ordersByProgrammeMonth } from "../adapters/service-orders.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** GET /api/programmes/{programmeId}/orders?month=… — every service order of the month (coordinator, admin). */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const programmeId = req.param("programmeId");
  requireAnyRole(person, programmeId, ["coordinator", "admin"]);
  const { month = monthOf(req.now.toISOString()) } = req.queryAs(MonthQuery);
  return json(200, { month, orders: await ordersByProgrammeMonth(programmeId, month) });
});
