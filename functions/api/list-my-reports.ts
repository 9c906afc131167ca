import { monthOf } from "../core/calendar.js";
import { MonthQuery } from "../core/api-inputs.js";
import { reportsByAssistantMonth } from "../adapters/reports.js";
import { api, json } from "./lib/http.js";
import { reportBody } from "./lib/reports.js";
import { signedIn } from "./lib/session.js";

/** GET /api/reports?month=YYYY-MM — the signed-in assistant's own reports of the month (default: this month). */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const { month = monthOf(req.now.toISOString()) } = req.queryAs(MonthQuery);
  const reports = await reportsByAssistantMonth(person.id, month);
  return json(200, { month, reports: reports.map(reportBody) });
});
