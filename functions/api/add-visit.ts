import { randomUUID } from "node:crypto";
import { VisitInput } from "../core/api-inputs.js";
import { addVisit } from "../core/report.js";
import { api, json } from "./lib/http.js";
import { changeOwnReport } from "./lib/edit.js";
import { visitContext } from "./lib/reports.js";

/** POST /api/reports/{reportId}/visits — adds a visit (rules, overlaps and the contract's days checked; signatures cleared). */
export const handler = api(async (req) => {
  const input = req.json(VisitInput);
  const visit = { ...input, id: input.id ?? randomUUID() };
  const body = await changeOwnReport(req, "report.edited", async (report, programme, assistant) => addVisit(report, visit as never, await visitContext(report, programme, req.now, assistant)), { visitAdded: visit.id });
  return json(201, body);
});
