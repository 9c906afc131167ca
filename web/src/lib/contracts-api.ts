// Contracts of assistants (docs/api.md, "Contracts"): the admin's list and form, the coordinator's board.
import { get, request } from "./api";
import type { Contract, Declarations } from "../../../functions/core/contract";

export type { Contract, Declarations };
export type StoredContract = Contract & { changedBy: string; changedAt: string };
export type LegacyContract = { number: string; programmeId: string; bankAccount?: string };
export type PersonContracts = { personId: string; rev: number; contracts: StoredContract[]; legacy: LegacyContract[] };
export type ContractEnd = { personId: string; name: string; programmeId: string; number: string; from: string; to: string; state: "ending" | "ended" };

const enc = encodeURIComponent;

/** GET /api/people/{id}/contracts — the person's contracts the reader may see, with their revision. */
export const loadContracts = (personId: string) => get<PersonContracts>(`/api/people/${enc(personId)}/contracts`);

/** PUT /api/people/{id}/contracts — records a contract or changes it (by number), only if nobody changed the contracts since `rev`. */
export const saveContract = (personId: string, contract: Contract, rev: number) =>
  request<PersonContracts>("PUT", `/api/people/${enc(personId)}/contracts`, contract, { headers: { "if-match": `"${rev}"` } });

/** GET /api/programmes/{id}/contracts/ending — active assistants whose last contract ends within a month or has ended. */
export async function loadContractEnds(programmeId: string): Promise<ContractEnd[]> {
  return (await get<{ contracts: ContractEnd[] }>(`/api/programmes/${enc(programmeId)}/contracts/ending`)).contracts;
}
