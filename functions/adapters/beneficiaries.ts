import { Beneficiary } from "../core/beneficiary.js";
import { NotFoundError } from "../core/errors.js";
import { createIfAbsent, createItem, getItem, queryAll, withoutKeys } from "./dynamo.js";
import { keys, queries } from "./keys.js";

const item = (b: Beneficiary) => ({ ...keys.beneficiary(b.programmeId, b.code), entity: "Beneficiary", rev: 1, ...b });

/** Stores a new beneficiary (conditional create; AlreadyExistsError if the code is taken in the programme). */
export async function createBeneficiary(input: Beneficiary): Promise<void> {
  const b = Beneficiary.parse(input);
  await createItem(item(b), "beneficiary", `${b.programmeId}/${b.code}`);
}

/** Stores the beneficiary unless it exists; true when written. */
export async function createBeneficiaryIfAbsent(input: Beneficiary): Promise<boolean> {
  return createIfAbsent(item(Beneficiary.parse(input)));
}

/** The beneficiary, or NotFoundError. */
export async function getBeneficiary(programmeId: string, code: string): Promise<Beneficiary> {
  const found = await getItem(keys.beneficiary(programmeId, code));
  if (!found) throw new NotFoundError("beneficiary", `${programmeId}/${code}`);
  return Beneficiary.parse(withoutKeys(found));
}

/** Every beneficiary of the programme. */
export async function beneficiariesOfProgramme(programmeId: string): Promise<Beneficiary[]> {
  return (await queryAll(queries.beneficiariesOfProgramme(programmeId))).map((i) => Beneficiary.parse(withoutKeys(i)));
}
