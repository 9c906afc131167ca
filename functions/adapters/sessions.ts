import { DeleteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { createIfAbsent, documentClient, getItem, isConditionFailed, tableName, type Read } from "./dynamo.js";
import { keys } from "./keys.js";

// Items carry `expiresAtEpoch` for DynamoDB TTL in AWS; the code checks expiry itself (TTL is lazy, dynalite has none).
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** Stores a sign-in link by the hash of its token. */
export async function createSignInLink(hash: string, personId: string, now: Date, expiresAt: string): Promise<void> {
  await createIfAbsent({ ...keys.signInLink(hash), ...keys.credentialOfPerson(personId, "SIGNIN", now.toISOString()), entity: "SignInLink", personId, createdAt: now.toISOString(), expiresAt, expiresAtEpoch: epoch(expiresAt) });
}

/** Uses a sign-in link once: the person id when the link exists, is unexpired and unused; otherwise undefined. */
export async function consumeSignInLink(hash: string, now: Date): Promise<string | undefined> {
  const key = keys.signInLink(hash);
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
    return result.Attributes?.personId as string | undefined;
  } catch (error) {
    if (isConditionFailed(error)) return undefined;
    throw error;
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
