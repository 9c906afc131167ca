import { type ProgrammeId } from "../core/programme.js";
import { ordersFromRows, readOrderRows } from "../core/orders-import.js";
import { normaliseEmail } from "../core/person.js";
import { checkCaseload, ServiceOrder } from "../core/service-order.js";
import { beneficiariesOfProgramme } from "./beneficiaries.js";
import { contractPeriodsOf } from "./contracts.js";
import { createIfAbsent, getItem, putItem, putItems, queryAll, withoutKeys, type Read, storedAs } from "./dynamo.js";
import { keys, queries } from "./keys.js";
import { peopleByProgrammeRole } from "./people.js";
import { getProgramme } from "./programmes.js";

const item = (o: ServiceOrder) => ({ ...keys.serviceOrder(o), entity: "ServiceOrder", rev: 1, ...o });
const parse = (i: Record<string, unknown>) => storedAs(ServiceOrder, i);

/** Issues (or re-issues, replacing) an order after checking the assistant's caseload for the month. */
export async function issueServiceOrder(input: ServiceOrder): Promise<ServiceOrder> {
  const order = ServiceOrder.parse(input);
  const programme = await getProgramme(order.programmeId);
  checkCaseload(await ordersByAssistantMonth(order.assistantId, order.month), order, programme);
  await putItem(item(order));
  return order;
}

/** Stores the order unless one exists for the same programme × month × assistant × beneficiary; true when written. */
export async function createServiceOrderIfAbsent(input: ServiceOrder): Promise<boolean> {
  return createIfAbsent(item(ServiceOrder.parse(input)));
}

/** The order for programme × month × assistant × beneficiary, or undefined. */
export async function findServiceOrder(programmeId: string, month: string, assistantId: string, beneficiaryCode: string): Promise<ServiceOrder | undefined> {
  const read = serviceOrderRead({ programmeId, month, assistantId, beneficiaryCode });
  return read.parse(await getItem(read.key));
}

/** The same as a read to send together with others (readTogether). */
export function serviceOrderRead(o: { programmeId: string; month: string; assistantId: string; beneficiaryCode: string }): Read<ServiceOrder | undefined> {
  return { key: keys.serviceOrder(o), parse: (found) => (found ? parse(found) : undefined) };
}

/** Every order of the programme for the month. */
export async function ordersByProgrammeMonth(programmeId: ProgrammeId, month: string): Promise<ServiceOrder[]> {
  return (await queryAll(queries.ordersByProgrammeMonth(programmeId, month))).map(parse);
}

/** Every order of the assistant for the month, across programmes (gsi1). */
export async function ordersByAssistantMonth(assistantId: string, month: string): Promise<ServiceOrder[]> {
  return (await queryAll(queries.ordersByAssistantMonth(assistantId, month))).map(parse);
}

/**
 * Imports the coordinator's orders file: every row is validated against the stored programme,
 * assistants, beneficiaries and existing orders first; nothing is written when any row is
 * wrong (OrdersImportError). Then the orders are written in batches (re-importing a row
 * replaces the order for the same assistant and beneficiary).
 */
export async function importServiceOrders(args: {
  programmeId: string;
  month: string;
  fileName: string;
  bytes: Uint8Array;
  issuedBy: string;
  now: string;
  onProgress?: (written: number, total: number) => void;
}): Promise<ServiceOrder[]> {
  const programme = await getProgramme(args.programmeId);
  const [assistants, beneficiaries, existingOrders] = await Promise.all([
    peopleByProgrammeRole(programme.id, "assistant"),
    beneficiariesOfProgramme(programme.id),
    ordersByProgrammeMonth(programme.id, args.month),
  ]);
  const rows = await readOrderRows(args.fileName, args.bytes);
  const inFile = new Set(rows.map((r) => normaliseEmail(r.email)));
  const orders = ordersFromRows(rows, {
    programme,
    month: args.month,
    assistants,
    contracts: await contractPeriodsOf(assistants.filter((p) => inFile.has(p.email))),
    beneficiaries,
    existingOrders,
    issuedBy: args.issuedBy,
    now: args.now,
  });
  await putItems(orders.map(item), args.onProgress);
  return orders;
}
