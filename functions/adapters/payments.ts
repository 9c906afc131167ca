import { assistantsBySurname, type Batch } from "../core/batch.js";
import { contractForMonth } from "../core/contract.js";
import type { Payee } from "../core/exports/payments.js";
import type { Person } from "../core/person.js";
import { batchAssistantIds, batchesOfCycle, batchLines } from "./batches.js";
import { contractsRead, type PersonContracts } from "./contracts.js";
import { readTogether } from "./dynamo.js";
import { personRead } from "./people.js";

/**
 * The batch's payees (issue 17): its report lines summed per assistant, with the month's contract
 * of each (number, account, declarations) — a legacy person with no recorded contract brings
 * their own number and account and no declarations — in the payment files' order (by surname).
 * An assistant with a line in an earlier batch of the month (a supplementary batch) has had the
 * month's PIT-2 reduction already.
 * People and contracts are read 50 assistants per BatchGetItem.
 */
export async function payeesOfBatch(batch: Pick<Batch, "batchId" | "programmeId" | "month" | "seq">): Promise<Payee[]> {
  // PIT-2 lowers one payment a month: an assistant already paid by an earlier batch of the month has used it
  const earlier = (await batchesOfCycle(batch.programmeId, batch.month)).filter((b) => b.seq < batch.seq);
  const paidBefore = new Set((await Promise.all(earlier.map((b) => batchAssistantIds(b.batchId)))).flat());
  const sums = new Map<string, { reports: number; minutes: number; grossGrosze: number }>();
  for await (const line of batchLines(batch.batchId)) {
    const s = sums.get(line.assistantId) ?? { reports: 0, minutes: 0, grossGrosze: 0 };
    s.reports += 1;
    s.minutes += line.minutes;
    s.grossGrosze += line.amountGrosze;
    sums.set(line.assistantId, s);
  }
  const ids = [...sums.keys()];
  const found = new Map<string, { person?: Person; contracts: PersonContracts }>();
  for (let i = 0; i < ids.length; i += 50) {
    const chunk = ids.slice(i, i + 50);
    const values = await readTogether(chunk.flatMap((id) => [personRead(id), contractsRead(id)]));
    chunk.forEach((id, n) => found.set(id, { person: values[2 * n] as Person | undefined, contracts: values[2 * n + 1] as PersonContracts }));
  }
  const order = await assistantsBySurname(ids, async (id) => found.get(id)?.person?.name ?? id);
  return order.map((assistantId) => {
    const { person, contracts } = found.get(assistantId)!;
    const contract = contractForMonth(contracts.contracts, batch.programmeId, batch.month);
    return {
      assistantId,
      assistantName: person?.name ?? assistantId,
      contractNumber: contract?.number ?? person?.contractNumber ?? "—",
      bankAccount: contract?.bankAccount ?? person?.bankAccount,
      declarations: contract?.declarations,
      ...(paidBefore.has(assistantId) ? { pit2UsedThisMonth: true } : {}),
      ...sums.get(assistantId)!,
    };
  });
}
