import { requireAnyRole } from "../core/auth.js";
import { Month } from "../core/calendar.js";
import { cycleName } from "../core/cycle.js";
import { cycleStatus } from "../adapters/cycles.js";
import { describeNamedExecution } from "../adapters/sfn.js";
import { api, json, parseWith } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** GET /api/programmes/{programmeId}/cycles/{month} — the month's cycle: execution, state, counts, batches (coordinator, finance, admin). */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const programmeId = req.param("programmeId");
  requireAnyRole(person, programmeId, ["coordinator", "finance", "admin"]);
  const month = parseWith(Month, req.param("month"), "path");
  const [execution, status] = await Promise.all([describeNamedExecution("CYCLE_STATE_MACHINE_ARN", cycleName(programmeId, month)), cycleStatus(programmeId, month)]);
  return json(200, { programmeId, month, execution: execution ? { status: execution.status, startDate: execution.startDate } : null, ...status });
});
