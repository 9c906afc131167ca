import { demoData } from "../core/demo-data.js";
import { createBeneficiaryIfAbsent } from "./beneficiaries.js";
import { findContracts, saveContract } from "./contracts.js";
import { createPerson } from "./people.js";
import { createProgrammeIfAbsent } from "./programmes.js";
import { createServiceOrderIfAbsent } from "./service-orders.js";

/**
 * Seeds the demo programmes, people and their contracts, beneficiaries and the month's service orders. Every write
 * is a conditional create, so running it again writes nothing new and never overwrites data
 * someone changed since. Returns the number of items written.
 */
export async function seedDemoData(month: string, now: string): Promise<{ written: number }> {
  const data = demoData(month);
  let written = 0;
  for (const programme of data.programmes) if (await createProgrammeIfAbsent(programme)) written++;
  for (const person of data.people) written += await createPerson(person);
  for (const { personId, contract } of data.contracts) {
    // a contract number already recorded (perhaps changed since) is left as it is
    const current = await findContracts(personId);
    if (!current.contracts.some((c) => c.number === contract.number)) if ((await saveContract(current, contract, { personId: "seed", at: now })).changed) written++;
  }
  for (const beneficiary of data.beneficiaries) if (await createBeneficiaryIfAbsent(beneficiary)) written++;
  for (const order of data.serviceOrders) if (await createServiceOrderIfAbsent({ ...order, issuedAt: now })) written++;
  return { written };
}
