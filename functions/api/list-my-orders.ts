import { monthOf } from "../core/calendar.js";
import { MonthQuery } from "../core/api-inputs.js";
import { reportId } from "../core/report.js";
import { ordersByAssistantMonth } from "../adapters/service-orders.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/**
 * GET /api/orders?month=YYYY-MM — the signed-in assistant's own service orders of the month, each
 * with the id its report has (or will have: derived from its keys), so the app can start a
 * report without a connection and send it later.
 */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const { month = monthOf(req.now.toISOString()) } = req.queryAs(MonthQuery);
  const orders = await ordersByAssistantMonth(person.id, month);
  return json(200, { month, orders: orders.map((o) => ({ ...o, reportId: reportId(o.programmeId, o.month, person.id, o.beneficiaryCode) })) });
});
