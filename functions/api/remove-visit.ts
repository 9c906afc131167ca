import { removeVisit } from "../core/report.js";
import { api, json } from "./lib/http.js";
import { changeOwnReport } from "./lib/edit.js";

/** DELETE /api/reports/{reportId}/visits/{visitId} — removes a visit (signatures cleared). */
export const handler = api(async (req) => {
  const visitId = req.param("visitId");
  return json(200, await changeOwnReport(req, "report.edited", (report, programme) => removeVisit(report, visitId, programme), { visitRemoved: visitId }));
});
