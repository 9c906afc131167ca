import { VisitInput } from "../core/api-inputs.js";
import { updateVisit } from "../core/report.js";
import { api, json } from "./lib/http.js";
import { changeOwnReport } from "./lib/edit.js";
import { visitContext } from "./lib/reports.js";

/** PUT /api/reports/{reportId}/visits/{visitId} — replaces a visit (rules, overlaps and the contract's days checked; signatures cleared). */
export const handler = api(async (req) => {
  const visit = { ...req.json(VisitInput), id: req.param("visitId") };
  const body = await changeOwnReport(req, "report.edited", async (report, programme, assistant) => updateVisit(report, visit as never, await visitContext(report, programme, req.now, assistant)), { visitUpdated: visit.id });
  return json(200, body);
});
