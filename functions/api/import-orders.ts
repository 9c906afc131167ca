import { requireRole } from "../core/auth.js";
import { ImportOrdersQuery } from "../core/api-inputs.js";
import { FileTypeExpectedError } from "../core/http-errors.js";
import { importServiceOrders } from "../adapters/service-orders.js";
import { spreadsheetFileName, spreadsheetTypes } from "./lib/files.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";


/** POST /api/programmes/{programmeId}/orders/import?month=… — the coordinator's orders file (CSV or XLSX body), all rows or none. */
export const handler = api(async (req) => {
  const coordinator = await signedIn(req);
  const programmeId = req.param("programmeId");
  requireRole(coordinator, "coordinator", programmeId);
  const { month } = req.queryAs(ImportOrdersQuery);
  const type = req.header("content-type");
  const fileName = spreadsheetFileName(type, "orders");
  if (!fileName) throw new FileTypeExpectedError(type, spreadsheetTypes);
  const orders = await importServiceOrders({ programmeId, month, fileName, bytes: req.bodyBytes(), issuedBy: coordinator.id, now: req.now.toISOString() });
  return json(200, { programmeId, month, imported: orders.length });
});
