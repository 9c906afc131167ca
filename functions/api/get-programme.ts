import { requireAnyRole } from "../core/auth.js";
import { programmeWithRev } from "../adapters/programmes.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** GET /api/programmes/{programmeId} — the programme's configuration, for anyone with a role in it; the ETag (and `rev`) is what PUT's If-Match names. */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const programmeId = req.param("programmeId");
  requireAnyRole(person, programmeId, ["assistant", "coordinator", "approver", "finance", "admin"]);
  const { programme, rev } = await programmeWithRev(programmeId);
  return json(200, { programme, rev }, { headers: { etag: `"${rev}"` } });
});
