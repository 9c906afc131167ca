import { ForbiddenError } from "../../core/auth.js";
import { mayReadContracts } from "../../core/contract.js";
import type { Person } from "../../core/person.js";

/** The programmes whose contracts of `person` the reader may see; ForbiddenError when none. */
export function readableContractProgrammes(reader: Person, person: Person, contractProgrammes: readonly string[]): Set<string> {
  const programmes = new Set([...person.roles.map((r) => r.programmeId), ...contractProgrammes].filter((p) => mayReadContracts(reader, person.id, p)));
  if (programmes.size === 0 && reader.id !== person.id && !reader.centreAdmin) throw new ForbiddenError("contracts of a person outside your programmes");
  return programmes;
}
