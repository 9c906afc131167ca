import { requireRole } from "../core/auth.js";
import { programmeVersions, programmeWithRev } from "../adapters/programmes.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** GET /api/programmes/{programmeId}/versions — every change of the settings: who, when, before and after (admin). */
export const handler = api(async (req) => {
  const admin = await signedIn(req);
  const programmeId = req.param("programmeId");
  requireRole(admin, "admin", programmeId);
  const { rev } = await programmeWithRev(programmeId);
  return json(200, { programmeId, rev, versions: await programmeVersions(programmeId) });
});
