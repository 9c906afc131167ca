import { requireAnyRole } from "../core/auth.js";
import { batchFileKindOf, checkDownloadSize, checkRegenerated, fileOfKind } from "../core/batch.js";
import { regenerateBatchFile } from "../adapters/batch-files.js";
import { getBatch } from "../adapters/batches.js";
import { getProgramme } from "../adapters/programmes.js";
import { api, download } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** GET /api/batches/{batchId}/files/{file} — the batch's CSV, XLSX or ZIP of PDFs, rebuilt from DynamoDB (finance, admin). */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const batch = await getBatch(req.param("batchId"));
  requireAnyRole(person, batch.programmeId, ["finance", "admin"]);
  const kind = batchFileKindOf(batch, req.param("file"));
  const recorded = fileOfKind(batch.files, kind);
  if (recorded) checkDownloadSize(batch, recorded);
  const file = await regenerateBatchFile(batch, await getProgramme(batch.programmeId), kind);
  checkDownloadSize(batch, file);
  checkRegenerated(batch, kind, file);
  return download(file.name, file.contentType, file.content, { "x-karta-sha256": file.sha256 });
});
