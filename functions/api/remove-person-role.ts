import { requireRole } from "../core/auth.js";
import { monthOf, nextMonth } from "../core/calendar.js";
import { NotFoundError } from "../core/errors.js";
import { checkRoleRemoval } from "../core/programme.js";
import { Role } from "../core/person.js";
import { getPerson, removeRole } from "../adapters/people.js";
import { getProgramme } from "../adapters/programmes.js";
import { ordersByAssistantMonth } from "../adapters/service-orders.js";
import { api, json, parseWith } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/**
 * DELETE /api/people/{personId}/roles/{programmeId}/{role} — takes a role in a programme away
 * (the programme's admin). The person, their other roles and their history stay. Refused while
 * the programme names them as approver, deputy or coordinator, or while an assistant has orders
 * this month or next; 404 if they do not hold the role.
 */
export const handler = api(async (req) => {
  const admin = await signedIn(req);
  const programmeId = req.param("programmeId");
  requireRole(admin, "admin", programmeId);
  const role = parseWith(Role, req.param("role"), "role");
  const programme = await getProgramme(programmeId);
  const person = await getPerson(req.param("personId"));
  const month = monthOf(req.now.toISOString());
  const orders = role === "assistant" ? (await Promise.all([month, nextMonth(month)].map((m) => ordersByAssistantMonth(person.id, m)))).flat().filter((o) => o.programmeId === programmeId).length : 0;
  checkRoleRemoval(programme, person, role, orders);
  const { person: after, removed } = await removeRole(person.id, programmeId, role);
  if (!removed) throw new NotFoundError("rola osoby / the person's role", `${role} (${programmeId}, ${person.id})`);
  return json(200, { person: after });
});
