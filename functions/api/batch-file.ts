import { randomUUID } from "node:crypto";
import { requireAnyRole } from "../core/auth.js";
import { batchFileKindOf, storedFileOf } from "../core/batch.js";
import { appendBatchAuditEvent } from "../adapters/audit-events.js";
import { getBatch } from "../adapters/batches.js";
import { downloadUrl } from "../adapters/object-store.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/**
 * GET /api/batches/{batchId}/files/{file} — a short-lived presigned URL of the batch's stored
 * CSV, XLSX or ZIP of PDFs (finance, admin), audited: a 303 to it (a browser's download link),
 * or its JSON description when the client asks for `application/json`.
 */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const batch = await getBatch(req.param("batchId"));
  requireAnyRole(person, batch.programmeId, ["finance", "admin"]);
  const file = storedFileOf(batch, batchFileKindOf(batch, req.param("file")));
  const { url, expiresAt } = await downloadUrl(file);
  await appendBatchAuditEvent({
    id: randomUUID(),
    batchId: batch.batchId,
    at: req.now.toISOString(),
    actorId: person.id,
    type: "batch.file_downloaded",
    name: file.name,
    key: file.key,
    ...(file.versionId ? { versionId: file.versionId } : {}),
    bytes: file.bytes,
    sha256: file.sha256,
    expiresAt,
    via: "session",
  });
  const described = { url, expiresAt, name: file.name, bytes: file.bytes, sha256: file.sha256 };
  if (req.header("accept")?.includes("application/json")) return json(200, described);
  return json(303, undefined, { headers: { location: url, "x-karta-sha256": file.sha256 } });
});
