import { monthOf } from "../core/calendar.js";
import { MonthQuery } from "../core/api-inputs.js";
import { ordersByAssistantMonth } from "../adapters/service-orders.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** GET /api/orders?month=YYYY-MM — the signed-in assistant's own service orders of the month. */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const { month = monthOf(req.now.toISOString()) } = req.queryAs(MonthQuery);
  return json(200, { month, orders: await ordersByAssistantMonth(person.id, month) });
});
