import { Contract, contractPeriods, ContractProgrammeChangeError, withContract, type ContractPeriod, type StoredContract } from "../core/contract.js";
import type { Person } from "../core/person.js";
import { VersionConflictError } from "../core/errors.js";
import { getItem, putTogether, queryAll, readTogether, TransactionConflict, withoutKeys, type Read, type TransactPut } from "./dynamo.js";
import { keys, queries } from "./keys.js";

/** A person's recorded contracts and the revision of their item (0: none recorded yet). */
export type PersonContracts = { personId: string; contracts: StoredContract[]; rev: number };

/** One change of a contract: who, when, the contract before (absent when it was added) and after. */
export type ContractVersion = { rev: number; number: string; changedBy: string; changedAt: string; before?: Contract; after: Contract };

/** A programme's person whose last contract there ends on `to`. */
export type ContractEnd = { personId: string; programmeId: string; number: string; from: string; to: string };

const contractOf = ({ number, programmeId, from, to, bankAccount, declarations }: Contract): Contract => Contract.parse({ number, programmeId, from, to, bankAccount, declarations });
const parseStored = (c: Record<string, unknown>): StoredContract => ({ ...contractOf(c as Contract), changedBy: String(c.changedBy), changedAt: String(c.changedAt) });

/** The person's contracts as a read to send together with others (readTogether). */
export function contractsRead(personId: string): Read<PersonContracts> {
  return {
    key: keys.contracts(personId),
    parse: (found) => ({
      personId,
      contracts: ((found?.contracts as Record<string, unknown>[] | undefined) ?? []).map(parseStored),
      rev: Number(found?.rev ?? 0),
    }),
  };
}

/** The person's recorded contracts (none: an empty list at revision 0). */
export async function findContracts(personId: string): Promise<PersonContracts> {
  const read = contractsRead(personId);
  return read.parse(await getItem(read.key));
}

const content = (c: Contract) => JSON.stringify(contractOf(c));

/**
 * Records a new contract or a change of one (by number), with its version record and the
 * programme's contract-end entry, in one transaction that holds only if nobody changed the
 * person's contracts since `current` was read (VersionConflictError). The same contract again
 * writes nothing. A contract never moves to another programme.
 */
export async function saveContract(
  current: PersonContracts,
  contract: Contract,
  by: { personId: string; at: string },
): Promise<PersonContracts & { created: boolean; changed: boolean }> {
  const { personId } = current;
  const before = current.contracts.find((c) => c.number === contract.number);
  if (before && before.programmeId !== contract.programmeId) throw new ContractProgrammeChangeError(contract.number, before.programmeId, contract.programmeId);
  if (before && content(before) === content(contract)) return { ...current, created: false, changed: false };
  const contracts = withContract<StoredContract>(current.contracts, { ...contract, changedBy: by.personId, changedAt: by.at });
  const rev = current.rev + 1;
  const latest = contracts.filter((c) => c.programmeId === contract.programmeId).sort((a, b) => b.to.localeCompare(a.to))[0]!;
  const version: ContractVersion = { rev, number: contract.number, changedBy: by.personId, changedAt: by.at, ...(before ? { before: contractOf(before) } : {}), after: contractOf(contract) };
  const end: ContractEnd = { personId, programmeId: latest.programmeId, number: latest.number, from: latest.from, to: latest.to };
  const puts: TransactPut[] = [
    current.rev === 0
      ? { item: { ...keys.contracts(personId), entity: "Contracts", personId, contracts, rev }, condition: "attribute_not_exists(pk)" }
      : { item: { ...keys.contracts(personId), entity: "Contracts", personId, contracts, rev }, condition: "rev = :rev", values: { ":rev": current.rev } },
    { item: { ...keys.contractVersion(personId, rev), entity: "ContractVersion", personId, ...version }, condition: "attribute_not_exists(pk)" },
    { item: { ...keys.contractEnd(end.programmeId, personId, end.to), entity: "ContractEnd", ...end } },
  ];
  try {
    await putTogether(puts);
  } catch (error) {
    if (error instanceof TransactionConflict) throw new VersionConflictError("contracts", personId, current.rev);
    throw error;
  }
  return { personId, contracts, rev, created: !before, changed: true };
}

/** The contracts that count (contractPeriods) of each person, by id: BatchGetItems of 100. */
export async function contractPeriodsOf(people: readonly Person[]): Promise<Map<string, ContractPeriod[]>> {
  const periods = new Map<string, ContractPeriod[]>();
  for (let i = 0; i < people.length; i += 100) {
    const chunk = people.slice(i, i + 100);
    const found = await readTogether(chunk.map((p) => contractsRead(p.id)));
    chunk.forEach((p, j) => periods.set(p.id, contractPeriods(found[j]!.contracts, p)));
  }
  return periods;
}

/** The changes of the person's contracts, oldest first. */
export async function contractVersions(personId: string): Promise<ContractVersion[]> {
  return (await queryAll(queries.contractVersions(personId))).map((i) => {
    const v = withoutKeys(i) as ContractVersion;
    return { rev: v.rev, number: v.number, changedBy: v.changedBy, changedAt: v.changedAt, ...(v.before ? { before: v.before } : {}), after: v.after };
  });
}

/** The programme's people whose last contract there ends on or before `lastDay`, earliest end first (a Query on gsi2). */
export async function contractEndsOfProgramme(programmeId: string, lastDay: string): Promise<ContractEnd[]> {
  return (await queryAll(queries.contractEndsOfProgramme(programmeId, lastDay))).map((i) => ({
    personId: String(i.personId),
    programmeId: String(i.programmeId),
    number: String(i.number),
    from: String(i.from),
    to: String(i.to),
  }));
}
