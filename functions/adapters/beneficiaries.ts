import { Beneficiary, type BeneficiaryChange } from "../core/beneficiary.js";
import { importBeneficiariesFile } from "../core/beneficiaries-import.js";
import { AlreadyExistsError, NotFoundError, VersionConflictError } from "../core/errors.js";
import type * as z from "zod";
import { createIfAbsent, createItem, getItem, putTogether, queryAll, TransactionConflict, withoutKeys, storedAs } from "./dynamo.js";
import { keys, queries } from "./keys.js";

type BeneficiaryInput = z.input<typeof Beneficiary>;

const item = (b: Beneficiary, rev = 1) => ({ ...keys.beneficiary(b.programmeId, b.code), entity: "Beneficiary", ...b, rev });

/** Stores a new beneficiary (conditional create; AlreadyExistsError if the code is taken in the programme). */
export async function createBeneficiary(input: BeneficiaryInput): Promise<Beneficiary> {
  const b = Beneficiary.parse(input);
  await createItem(item(b), "beneficiary", `${b.programmeId}/${b.code}`);
  return b;
}

/** Stores the beneficiary unless it exists; true when written. */
export async function createBeneficiaryIfAbsent(input: BeneficiaryInput): Promise<boolean> {
  return createIfAbsent(item(Beneficiary.parse(input)));
}

/** The beneficiary, or NotFoundError. */
export async function getBeneficiary(programmeId: string, code: string): Promise<Beneficiary> {
  const found = await getItem(keys.beneficiary(programmeId, code));
  if (!found) throw new NotFoundError("beneficiary", `${programmeId}/${code}`);
  return storedAs(Beneficiary, found);
}

/** Every beneficiary of the programme. */
export async function beneficiariesOfProgramme(programmeId: string): Promise<Beneficiary[]> {
  return (await queryAll(queries.beneficiariesOfProgramme(programmeId))).map((i) => storedAs(Beneficiary, i));
}

/** Changes the initials or the activity (conditional on the item not having changed since it was read). */
export async function changeBeneficiary(programmeId: string, code: string, change: BeneficiaryChange): Promise<Beneficiary> {
  const found = await getItem(keys.beneficiary(programmeId, code));
  if (!found) throw new NotFoundError("beneficiary", `${programmeId}/${code}`);
  const rev = Number(found.rev ?? 1);
  const next = Beneficiary.parse({ ...withoutKeys(found), ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) });
  try {
    await putTogether([{ item: item(next, rev + 1), condition: "attribute_not_exists(rev) OR rev = :rev", values: { ":rev": rev } }]);
  } catch (error) {
    if (error instanceof TransactionConflict) throw new VersionConflictError("beneficiary", `${programmeId}/${code}`, rev);
    throw error;
  }
  return next;
}

/**
 * Imports a register file: every row is checked first (core), then the beneficiaries are
 * written as conditional creates in transactions of up to 100 — a file of up to 100 rows is
 * written all or nothing; a code someone created meanwhile refuses the transaction it is in.
 */
export async function importBeneficiaries(programmeId: string, fileName: string, bytes: Uint8Array): Promise<Beneficiary[]> {
  const existing = await beneficiariesOfProgramme(programmeId);
  const beneficiaries = await importBeneficiariesFile(fileName, bytes, { programmeId, existingCodes: new Set(existing.map((b) => b.code)) });
  for (let i = 0; i < beneficiaries.length; i += 100) {
    const chunk = beneficiaries.slice(i, i + 100);
    try {
      await putTogether(chunk.map((b) => ({ item: item(b), condition: "attribute_not_exists(pk)" })));
    } catch (error) {
      if (!(error instanceof TransactionConflict)) throw error;
      const taken = chunk[error.failed.indexOf(true)];
      throw new AlreadyExistsError("beneficiary", `${programmeId}/${taken?.code}`);
    }
  }
  return beneficiaries;
}
