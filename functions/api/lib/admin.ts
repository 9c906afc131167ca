// What the administration routes share: the people a programme names, checked and given their
// roles, so that naming an approver in the programme is all it takes.
import { namedPersonIds, type NamedPeople, type Programme } from "../../core/programme.js";
import { addRole, findPerson } from "../../adapters/people.js";

/** The people the programme names, as the change check reads them. */
export async function namedPeople(programme: Programme): Promise<NamedPeople> {
  const ids = namedPersonIds(programme);
  const found = await Promise.all(ids.map(findPerson));
  return new Map(ids.map((id, i) => [id, found[i]]));
}

/** Gives the named approvers, deputy and coordinators their role in the programme (idempotent). */
export async function grantNamedRoles(programme: Programme): Promise<void> {
  for (const id of [...programme.approverIds, ...(programme.deputyApproverId ? [programme.deputyApproverId] : [])]) await addRole(id, programme.id, "approver");
  for (const id of programme.coordinatorIds) await addRole(id, programme.id, "coordinator");
}
