import { contractPeriods } from "../core/contract.js";
import { findContracts } from "../adapters/contracts.js";
import { getPerson } from "../adapters/people.js";
import { readableContractProgrammes } from "./lib/contracts.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/**
 * GET /api/people/{personId}/contracts — the person's contracts (ETag: their revision, for
 * If-Match on PUT) and, in a programme with none recorded, the legacy contract number that still
 * counts there. The person reads their own; admins, coordinators and finance those of their programmes.
 */
export const handler = api(async (req) => {
  const reader = await signedIn(req);
  const person = await getPerson(req.param("personId"));
  const { contracts, rev } = await findContracts(person.id);
  const visible = readableContractProgrammes(reader, person, contracts.map((c) => c.programmeId));
  const legacy = contractPeriods(contracts, person)
    .filter((c) => c.legacy && visible.has(c.programmeId))
    .map((c) => ({ number: c.number, programmeId: c.programmeId, ...(person.bankAccount ? { bankAccount: person.bankAccount } : {}) }));
  return json(200, { personId: person.id, rev, contracts: contracts.filter((c) => visible.has(c.programmeId)), legacy }, { headers: { etag: `"${rev}"` } });
});
