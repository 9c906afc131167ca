import { QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { tableSchema } from "./table-schema.js";
import { NotFoundError } from "../core/errors.js";
import { Cycle, missingCount, type CycleCounts } from "../core/cycle.js";
import { Person } from "../core/person.js";
import type { ReportStatus } from "../core/report.js";
import { createIfAbsent, documentClient, getItem, queryAll, queryPage, tableName, withoutKeys, storedAs } from "./dynamo.js";
import { keys, queries, type QuerySpec } from "./keys.js";
import { batchesOfCycle } from "./batches.js";

const cycleItem = (cycle: Cycle) => ({ ...keys.cycle(cycle.programmeId, cycle.month), entity: "Cycle", ...cycle });

/** Stores the cycle record unless one exists; returns the stored one (a re-run keeps the first plan). */
export async function createCycleIfAbsent(input: Cycle): Promise<Cycle> {
  const cycle = Cycle.parse(input);
  if (await createIfAbsent(cycleItem(cycle))) return cycle;
  return getCycle(cycle.programmeId, cycle.month);
}

/** The cycle record, or undefined. */
export async function findCycle(programmeId: string, month: string): Promise<Cycle | undefined> {
  const found = await getItem(keys.cycle(programmeId, month));
  return found ? storedAs(Cycle, found) : undefined;
}

/** The cycle record, or NotFoundError (the month was never planned). */
export async function getCycle(programmeId: string, month: string): Promise<Cycle> {
  const cycle = await findCycle(programmeId, month);
  if (!cycle) throw new NotFoundError("cycle", `${programmeId}/${month}`);
  return cycle;
}

/** Sets fields of the cycle record (idempotent: the same values may be written again). */
export async function updateCycle(programmeId: string, month: string, fields: Partial<Pick<Cycle, "status" | "intakeClosedAt" | "lastCheckAt" | "settledAt">>): Promise<void> {
  const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
  if (!entries.length) return;
  const key = keys.cycle(programmeId, month);
  await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: key.pk, sk: key.sk },
      UpdateExpression: "SET " + entries.map((_, i) => `#f${i} = :v${i}`).join(", "),
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
    }),
  );
}

/** One page of the programme's assistants (membership items), for paginated workflow steps. */
export async function assistantsPage(programmeId: string, page: { cursor?: string; limit?: number }): Promise<{ assistants: Person[]; cursor?: string }> {
  const result = await queryPage(queries.peopleByProgrammeRole(programmeId, "assistant"), { limit: page.limit ?? 50, cursor: page.cursor });
  return { assistants: result.items.map((i) => storedAs(Person, i)), cursor: result.cursor };
}

export type OverdueReport = { programmeId: string; month: string; assistantId: string; beneficiaryCode: string; markedAt: string };

/** Marks a report overdue at the close of intake (conditional create: a re-run writes nothing); true when written. */
export async function markOverdue(overdue: OverdueReport): Promise<boolean> {
  return createIfAbsent({ ...keys.overdue(overdue), entity: "OverdueReport", ...overdue });
}

/** Every report marked overdue for the month, sorted by assistant and beneficiary. */
export async function overdueOfCycle(programmeId: string, month: string): Promise<OverdueReport[]> {
  return (await queryAll(queries.overdueOfProgrammeMonth(programmeId, month))).map((i) => {
    const { programmeId, month, assistantId, beneficiaryCode, markedAt } = i as OverdueReport;
    return { programmeId, month, assistantId, beneficiaryCode, markedAt };
  });
}

/** The number of items a Query matches (Select COUNT: no item is read into memory). */
export async function countQuery(spec: QuerySpec): Promise<number> {
  const index = spec.index ? tableSchema.indexes.find((i) => i.name === spec.index)! : undefined;
  const names = { "#pk": index ? index.partitionKey : tableSchema.partitionKey, ...(spec.skPrefix ? { "#sk": index ? index.sortKey : tableSchema.sortKey } : {}) };
  let count = 0;
  let cursor: Record<string, unknown> | undefined;
  do {
    const result = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: spec.index,
        Select: "COUNT",
        KeyConditionExpression: spec.skPrefix ? "#pk = :pk AND begins_with(#sk, :sk)" : "#pk = :pk",
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: spec.skPrefix ? { ":pk": spec.pk, ":sk": spec.skPrefix } : { ":pk": spec.pk },
        ExclusiveStartKey: cursor,
      }),
    );
    count += result.Count ?? 0;
    cursor = result.LastEvaluatedKey;
  } while (cursor);
  return count;
}

/** Counts of the month's orders and reports by status, and of reports already in a batch. */
export async function cycleCounts(programmeId: string, month: string): Promise<CycleCounts> {
  const byStatus = (status: ReportStatus) => countQuery(queries.reportsByProgrammeMonthStatus(programmeId, month, status));
  const [expected, submitted, approved, returned, draft, batches] = await Promise.all([
    countQuery(queries.ordersByProgrammeMonth(programmeId, month)),
    byStatus("submitted"),
    byStatus("approved"),
    byStatus("returned"),
    byStatus("draft"),
    batchesOfCycle(programmeId, month),
  ]);
  let batched = 0;
  for (const batch of batches) batched += batch.totals?.reports ?? (await countQuery(queries.batchLines(batch.batchId)));
  return { expected, submitted, approved, returned, draft, batched };
}

export type CycleStatusView = {
  cycle?: Cycle;
  counts: CycleCounts & { missing: number; overdue: number };
  batches: Awaited<ReturnType<typeof batchesOfCycle>>;
};

/** What `karta cycle status` and the status API show: the cycle record, counts and batches. */
export async function cycleStatus(programmeId: string, month: string): Promise<CycleStatusView> {
  const [cycle, counts, overdue, batches] = await Promise.all([
    findCycle(programmeId, month),
    cycleCounts(programmeId, month),
    countQuery(queries.overdueOfProgrammeMonth(programmeId, month)),
    batchesOfCycle(programmeId, month),
  ]);
  return { cycle, counts: { ...counts, missing: missingCount(counts), overdue }, batches };
}
