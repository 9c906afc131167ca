import { requireAnyRole } from "../core/auth.js";
import { FileTypeExpectedError } from "../core/http-errors.js";
import { importBeneficiaries } from "../adapters/beneficiaries.js";
import { getProgramme } from "../adapters/programmes.js";
import { spreadsheetFileName, spreadsheetTypes } from "./lib/files.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** POST /api/programmes/{programmeId}/beneficiaries/import — a register file (CSV or XLSX body: "kod uczestnika", "inicjały"), all rows or none. */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const programmeId = req.param("programmeId");
  requireAnyRole(person, programmeId, ["admin", "coordinator"]);
  const type = req.header("content-type");
  const fileName = spreadsheetFileName(type, "beneficiaries");
  if (!fileName) throw new FileTypeExpectedError(type, spreadsheetTypes);
  await getProgramme(programmeId);
  const beneficiaries = await importBeneficiaries(programmeId, fileName, req.bodyBytes());
  return json(200, { programmeId, imported: beneficiaries.length });
});
