import { ForbiddenError, requireRole } from "../core/auth.js";
import { Contract, ContractNotAssistantError } from "../core/contract.js";
import { hasRole } from "../core/person.js";
import { findContracts, saveContract } from "../adapters/contracts.js";
import { getPerson } from "../adapters/people.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/**
 * PUT /api/people/{personId}/contracts — an admin of the contract's programme records a contract
 * or changes it (the whole contract, found by its number; If-Match: the contracts' revision).
 * Every change is kept with who and when (GET …/contracts/versions).
 */
export const handler = api(async (req) => {
  const admin = await signedIn(req);
  const person = await getPerson(req.param("personId"));
  if (!admin.centreAdmin && !person.roles.some((r) => hasRole(admin, r.programmeId, "admin"))) throw new ForbiddenError("admin of the person's programme");
  const contract = req.json(Contract);
  requireRole(admin, "admin", contract.programmeId);
  if (!hasRole(person, contract.programmeId, "assistant")) throw new ContractNotAssistantError(person.id, contract.programmeId);
  const current = await findContracts(person.id);
  req.checkRevision(current.rev);
  const saved = await saveContract(current, contract, { personId: admin.id, at: req.now.toISOString() });
  const body = { personId: person.id, rev: saved.rev, contracts: saved.contracts.filter((c) => hasRole(admin, c.programmeId, "admin")) };
  return json(saved.created ? 201 : 200, body, { headers: { etag: `"${saved.rev}"` } });
});
