import { ReportPatch } from "../core/api-inputs.js";
import { setOverOrderExplanation } from "../core/report.js";
import { api, json } from "./lib/http.js";
import { changeOwnReport } from "./lib/edit.js";

/** PATCH /api/reports/{reportId} — the draft's explanation of hours beyond the order. */
export const handler = api(async (req) => {
  const patch = req.json(ReportPatch);
  const body = await changeOwnReport(req, "report.edited", (report) => setOverOrderExplanation(report, patch.overOrderExplanation ?? undefined));
  return json(200, body);
});
