import { contractVersions, findContracts } from "../adapters/contracts.js";
import { getPerson } from "../adapters/people.js";
import { readableContractProgrammes } from "./lib/contracts.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** GET /api/people/{personId}/contracts/versions — every change of the person's contracts: who, when, before and after (the same readers as the contracts). */
export const handler = api(async (req) => {
  const reader = await signedIn(req);
  const person = await getPerson(req.param("personId"));
  const [{ contracts, rev }, versions] = await Promise.all([findContracts(person.id), contractVersions(person.id)]);
  const visible = readableContractProgrammes(reader, person, contracts.map((c) => c.programmeId));
  return json(200, { personId: person.id, rev, versions: versions.filter((v) => visible.has(v.after.programmeId)) });
});
