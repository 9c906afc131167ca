import { SignatureInput } from "../core/api-inputs.js";
import { addSignature, SignatureRole } from "../core/report.js";
import { assertSignatureImage } from "../core/signature-image.js";
import { api, json, parseWith } from "./lib/http.js";
import { changeOwnReport } from "./lib/edit.js";

/** PUT /api/reports/{reportId}/signatures/{role} — the beneficiary's or the assistant's signature on the current content hash. */
export const handler = api(async (req) => {
  const role = parseWith(SignatureRole, req.param("role"), "path");
  const signature = { ...req.json(SignatureInput), role };
  return json(200, await changeOwnReport(req, "report.signed", (report, programme) => {
    assertSignatureImage(signature as { imageDataUrl?: unknown }); // after the session and ownership checks
    return addSignature(report, signature as never, programme);
  }, { role }));
});
