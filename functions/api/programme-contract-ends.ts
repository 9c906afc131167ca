import { requireAnyRole } from "../core/auth.js";
import { addDays, warsawDate } from "../core/calendar.js";
import { contractEndsOnBoard } from "../core/contract.js";
import { contractEndsOfProgramme } from "../adapters/contracts.js";
import { peopleByProgrammeRole } from "../adapters/people.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

const WITHIN_DAYS = 31;

/**
 * GET /api/programmes/{programmeId}/contracts/ending — the programme's active assistants whose
 * last contract there ends within a month (Warsaw days) or has ended, earliest end first (coordinator, admin).
 */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  const programmeId = req.param("programmeId");
  requireAnyRole(person, programmeId, ["coordinator", "admin"]);
  const today = warsawDate(req.now.toISOString());
  const until = addDays(today, WITHIN_DAYS);
  const [ends, assistants] = await Promise.all([contractEndsOfProgramme(programmeId, until), peopleByProgrammeRole(programmeId, "assistant")]);
  const active = new Map(assistants.filter((a) => a.active).map((a) => [a.id, a]));
  const contracts = contractEndsOnBoard(ends.filter((e) => active.has(e.personId)), today, WITHIN_DAYS).map((e) => ({ ...e, name: active.get(e.personId)!.name }));
  return json(200, { programmeId, today, until, contracts });
});
