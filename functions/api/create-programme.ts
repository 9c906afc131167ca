import { requireCentreAdmin } from "../core/auth.js";
import { checkProgrammeChange, parseProgramme } from "../core/programme.js";
import { createProgramme } from "../adapters/programmes.js";
import { grantNamedRoles, namedPeople } from "./lib/admin.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";
import * as z from "zod";

/** POST /api/programmes — the centre's administrator creates a programme; the people it names get their roles. */
export const handler = api(async (req) => {
  const admin = await signedIn(req);
  requireCentreAdmin(admin);
  const programme = parseProgramme(req.json(z.unknown()));
  checkProgrammeChange(undefined, programme, { now: req.now.toISOString(), people: await namedPeople(programme) });
  await createProgramme(programme);
  await grantNamedRoles(programme);
  return json(201, { programme, rev: 1 }, { headers: { etag: `"1"` } });
});
