import { requireRole } from "../core/auth.js";
import { checkProgrammeChange, parseProgramme } from "../core/programme.js";
import { changeProgramme, programmeWithRev } from "../adapters/programmes.js";
import { grantNamedRoles, namedPeople } from "./lib/admin.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";
import * as z from "zod";

/** PUT /api/programmes/{programmeId} — the programme's admin replaces its settings (If-Match: its revision); versioned. */
export const handler = api(async (req) => {
  const admin = await signedIn(req);
  const programmeId = req.param("programmeId");
  requireRole(admin, "admin", programmeId);
  const { programme: before, rev } = await programmeWithRev(programmeId);
  req.checkRevision(rev);
  const after = parseProgramme({ ...(req.json(z.record(z.string(), z.unknown())) as object), id: programmeId });
  checkProgrammeChange(before, after, { now: req.now.toISOString(), people: await namedPeople(after) });
  const next = await changeProgramme(before, after, rev, { personId: admin.id, at: req.now.toISOString() });
  await grantNamedRoles(after);
  return json(200, { programme: after, rev: next }, { headers: { etag: `"${next}"` } });
});
