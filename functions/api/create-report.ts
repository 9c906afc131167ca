import { requireRole } from "../core/auth.js";
import { CreateReportInput } from "../core/api-inputs.js";
import { NoServiceOrderError } from "../core/errors.js";
import { contractPeriods, requireContractForMonth } from "../core/contract.js";
import { newReport } from "../core/report.js";
import { findContracts } from "../adapters/contracts.js";
import { createReport, findReport } from "../adapters/reports.js";
import { findServiceOrder } from "../adapters/service-orders.js";
import { api, json } from "./lib/http.js";
import { audit, reportBody } from "./lib/reports.js";
import { signedIn } from "./lib/session.js";

/** POST /api/reports — the assistant's draft for one of their service orders in a month of their contract (the same again answers the existing one). */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const input = req.json(CreateReportInput);
  requireRole(person, "assistant", input.programmeId);
  const draft = newReport({ ...input, assistantId: person.id });
  const existing = await findReport(draft.id);
  if (existing) return json(200, reportBody(existing));
  if (!(await findServiceOrder(input.programmeId, input.month, person.id, draft.beneficiaryCode))) throw new NoServiceOrderError(draft.id);
  requireContractForMonth(contractPeriods((await findContracts(person.id)).contracts, person), { assistantId: person.id, programmeId: input.programmeId }, input.month);
  const stored = await createReport(draft);
  await audit("report.created", draft, person.id, req.now, "session");
  return json(201, reportBody(stored));
});
