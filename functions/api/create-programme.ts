import { requireCentreAdmin } from "../core/auth.js";
import { checkProgrammeChange, parseProgramme } from "../core/programme.js";
import { monthOf } from "../core/calendar.js";
import { cycleName } from "../core/cycle.js";
import { createProgramme } from "../adapters/programmes.js";
import { startNamedExecution } from "../adapters/sfn.js";
import { grantNamedRoles, namedPeople } from "./lib/admin.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";
import * as z from "zod";

/**
 * POST /api/programmes — the centre's administrator creates a programme; the people it names get
 * their roles, and the current month's cycle starts (reminders, intake, approvals, the payment
 * batch), as the monthly schedule does on the 1st for every programme.
 */
export const handler = api(async (req) => {
  const admin = await signedIn(req);
  requireCentreAdmin(admin);
  const programme = parseProgramme(req.json(z.unknown()));
  checkProgrammeChange(undefined, programme, { now: req.now.toISOString(), people: await namedPeople(programme) });
  await createProgramme(programme);
  await grantNamedRoles(programme);
  const month = monthOf(req.now.toISOString());
  await startNamedExecution("CYCLE_STATE_MACHINE_ARN", cycleName(programme.id, month), { programmeId: programme.id, month });
  return json(201, { programme, rev: 1 }, { headers: { etag: `"1"` } });
});
