import { TransactWriteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { RetentionRunCounts } from "../core/retention.js";
import { createIfAbsent, documentClient, getItem, isConditionFailed, putItem, queryAll, queryPage, tableName, type Item } from "./dynamo.js";
import { keys, queries } from "./keys.js";

/** Where the clean-up of one scope stopped: the last month finished, and the month and page cursor it was in. */
export type RetentionState = { doneThrough?: string; month?: string; cursor?: string };

export async function retentionState(scope: string): Promise<RetentionState> {
  const item = await getItem(keys.retentionState(scope));
  return { doneThrough: item?.doneThrough as string | undefined, month: item?.month as string | undefined, cursor: item?.cursor as string | undefined };
}

export async function saveRetentionState(scope: string, state: RetentionState, now: Date): Promise<void> {
  await putItem({ ...keys.retentionState(scope), entity: "RetentionState", ...Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined)), at: now.toISOString() });
}

/** One page of a programme month's drafts (gsi2, status draft). */
export function draftsPage(programmeId: string, month: string, cursor?: string, limit = 100): Promise<{ items: Item[]; cursor?: string }> {
  return queryPage(queries.reportsByProgrammeMonthStatus(programmeId, month, "draft"), { cursor, limit });
}

// A transaction holds at most 100 items; a draft's partition is its current item and its audit events.
const TRANSACTION_ITEMS = 100;

/**
 * Removes a draft never submitted with everything in its partition (its audit events), all or
 * nothing, on condition that it is still a first-version draft; 0 when it moved on meanwhile.
 * Returns the number of items removed.
 */
export async function removeNeverSubmittedDraft(reportId: string): Promise<number> {
  const current = keys.reportCurrent(reportId);
  const others = (await queryAll({ pk: current.pk })).filter((i) => i.sk !== current.sk);
  const first = others.slice(0, TRANSACTION_ITEMS - 1);
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Delete: {
              TableName: tableName(),
              Key: { pk: current.pk, sk: current.sk },
              ConditionExpression: "#status = :draft AND version = :one AND attribute_not_exists(submittedAt)",
              ExpressionAttributeNames: { "#status": "status" },
              ExpressionAttributeValues: { ":draft": "draft", ":one": 1 },
            },
          },
          ...first.map((i) => ({ Delete: { TableName: tableName(), Key: { pk: i.pk, sk: i.sk } } })),
        ],
      }),
    );
  } catch (error) {
    // Only "it is no longer a first draft" is an answer; anything else fails the run, which the next one repeats from its cursor.
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    if ((error as { name?: string }).name === "TransactionCanceledException" && reasons?.[0]?.Code === "ConditionalCheckFailed") return 0;
    throw error;
  }
  // An edit-heavy draft with more than 99 audit events: the rest go after (the report itself is gone already).
  for (const i of others.slice(first.length)) {
    await documentClient().send(new TransactWriteCommand({ TransactItems: [{ Delete: { TableName: tableName(), Key: { pk: i.pk, sk: i.sk } } }] }));
  }
  return 1 + others.length;
}

/** One page of the outbox records of a UTC month written before `before` that still name their recipient. */
export function outboxPage(month: string, before: string, cursor?: string, limit = 100): Promise<{ items: Item[]; cursor?: string }> {
  return queryPage(queries.outboxOfMonthBefore(month, before), { cursor, limit });
}

/**
 * Removes the recipient, subject and message id of an outbox record and its index entries; the
 * record itself stays, so the e-mail is still never sent twice.
 */
export async function anonymiseOutbox(item: Item, now: Date): Promise<boolean> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: "SET anonymisedAt = :now REMOVE #to, subject, messageId, gsi1pk, gsi1sk, gsi2pk, gsi2sk",
        ConditionExpression: "attribute_exists(gsi2pk)",
        ExpressionAttributeNames: { "#to": "to" },
        ExpressionAttributeValues: { ":now": now.toISOString() },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

/** The audit record of a clean-up run: when, and how many of each kind (never what). Written once per run instant. */
export async function recordRetentionRun(at: Date, counts: RetentionRunCounts & { complete: boolean }): Promise<boolean> {
  return createIfAbsent({ ...keys.retentionRun(at.toISOString()), entity: "RetentionRun", at: at.toISOString(), ...counts });
}

/** The clean-up runs, oldest first. */
export async function retentionRuns(): Promise<Item[]> {
  return queryAll(queries.retentionRuns());
}
