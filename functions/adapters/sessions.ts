import { DeleteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { createIfAbsent, documentClient, getItem, isConditionFailed, tableName, type Read } from "./dynamo.js";
import { keys } from "./keys.js";

// Items carry `expiresAtEpoch` for DynamoDB TTL in AWS; the code checks expiry itself (TTL is lazy, dynalite has none).
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** A sign-in limit counter: which limit, whose (hashed address or client) and which window. */
export interface SignInLimit {
  scope: "ADDRESS" | "CLIENT";
  hash: string;
  window: { start: string; end: string };
}

/** Stores a sign-in link by the hash of its token; `limit` is the address counter its use gives back. */
export async function createSignInLink(hash: string, personId: string, now: Date, expiresAt: string, limit?: SignInLimit): Promise<void> {
  await createIfAbsent({
    ...keys.signInLink(hash),
    ...keys.credentialOfPerson(personId, "SIGNIN", now.toISOString()),
    entity: "SignInLink",
    personId,
    createdAt: now.toISOString(),
    expiresAt,
    expiresAtEpoch: epoch(expiresAt),
    ...(limit ? { limit: { hash: limit.hash, start: limit.window.start } } : {}),
  });
}

/** The state of a sign-in link without using it (the page a GET shows): usable, or not. */
export async function signInLinkUsable(hash: string, now: Date): Promise<boolean> {
  const item = await getItem(keys.signInLink(hash));
  return !!item && item.usedAt === undefined && typeof item.expiresAt === "string" && item.expiresAt > now.toISOString();
}

/** Uses a sign-in link once: the person id when the link exists, is unexpired and unused; otherwise undefined. */
export async function consumeSignInLink(hash: string, now: Date): Promise<string | undefined> {
  const key = keys.signInLink(hash);
  let used: Record<string, unknown> | undefined;
  try {
    const result = await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: key.pk, sk: key.sk },
        UpdateExpression: "SET usedAt = :now",
        ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(usedAt) AND expiresAt > :now",
        ExpressionAttributeValues: { ":now": now.toISOString() },
        ReturnValues: "ALL_NEW",
      }),
    );
    used = result.Attributes;
  } catch (error) {
    if (isConditionFailed(error)) return undefined;
    throw error;
  }
  const limit = used?.limit as { hash?: string; start?: string } | undefined;
  if (limit?.hash && limit.start) await giveBackSignInAllowance(keys.signInLimit("ADDRESS", limit.hash, limit.start));
  return used?.personId as string | undefined;
}

/**
 * Counts one sign-in request against a limit: true (and counted) while fewer than `max` were
 * counted in the window, false over the limit. The counter expires with its window (TTL).
 */
export async function takeSignInAllowance(limit: SignInLimit, max: number): Promise<boolean> {
  const key = keys.signInLimit(limit.scope, limit.hash, limit.window.start);
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: key.pk, sk: key.sk },
        UpdateExpression: "ADD #count :one SET entity = :entity, expiresAtEpoch = :expires",
        ConditionExpression: "attribute_not_exists(#count) OR #count < :max",
        ExpressionAttributeNames: { "#count": "count" },
        ExpressionAttributeValues: { ":one": 1, ":max": max, ":entity": "SignInLimit", ":expires": epoch(limit.window.end) },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

/** A used link gives its place back: the person may ask for a new one at once. */
async function giveBackSignInAllowance(key: { pk: string; sk: string }): Promise<void> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: key.pk, sk: key.sk },
        UpdateExpression: "ADD #count :minus",
        ConditionExpression: "#count > :zero",
        ExpressionAttributeNames: { "#count": "count" },
        ExpressionAttributeValues: { ":minus": -1, ":zero": 0 },
      }),
    );
  } catch (error) {
    // the window has passed (its counter expired) or nothing is counted: nothing to give back
    if (!isConditionFailed(error)) throw error;
  }
}

/** Stores a session by the hash of its cookie value. */
export async function createSession(hash: string, personId: string, now: Date, expiresAt: string): Promise<void> {
  await createIfAbsent({ ...keys.session(hash), ...keys.credentialOfPerson(personId, "SESSION", now.toISOString()), entity: "Session", personId, createdAt: now.toISOString(), expiresAt, expiresAtEpoch: epoch(expiresAt) });
}

/** The person of a live session, or undefined. */
export async function sessionPerson(hash: string, now: Date): Promise<string | undefined> {
  const read = sessionRead(hash, now);
  return read.parse(await getItem(read.key));
}

/** The same as a read to send together with others (readTogether): undefined unless the session exists and is live. */
export function sessionRead(hash: string, now: Date): Read<string | undefined> {
  return {
    key: keys.session(hash),
    parse: (item) => {
      if (!item || typeof item.personId !== "string" || !(Date.parse(item.expiresAt as string) > now.getTime())) return undefined;
      return item.personId;
    },
  };
}

export async function deleteSession(hash: string): Promise<void> {
  const key = keys.session(hash);
  await documentClient().send(new DeleteCommand({ TableName: tableName(), Key: { pk: key.pk, sk: key.sk } }));
}
