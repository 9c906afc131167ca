import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type NativeAttributeValue,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { tableSchema } from "./table-schema.js";
import { ZodError, type ZodType, type z } from "zod";
import { AlreadyExistsError, ValidationError } from "../core/errors.js";
import type { Keys, QuerySpec } from "./keys.js";
import { traced } from "./observability.js";

export type Item = Record<string, NativeAttributeValue>;

let client: DynamoDBDocumentClient | undefined;
let table: string | undefined;

/**
 * The document client, created once on first use. The endpoint is the SDK's own
 * AWS_ENDPOINT_URL_DYNAMODB (set by the local stack and tests), never passed here.
 */
export function documentClient(): DynamoDBDocumentClient {
  client ??= DynamoDBDocumentClient.from(traced(new DynamoDBClient({ region: process.env.AWS_REGION ?? "eu-central-1" })), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return client;
}

/** The table name from TABLE_NAME, read once; a missing variable fails at the first access. */
export function tableName(): string {
  if (!table) {
    table = process.env.TABLE_NAME;
    if (!table) throw new Error("TABLE_NAME is not set: the function is not linked to the Karta table");
  }
  return table;
}

const entityAttributes = new Set<string>([
  tableSchema.partitionKey,
  tableSchema.sortKey,
  ...tableSchema.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  "entity",
  "rev",
]);

/** The entity's own attributes (keys, type and rev removed). */
export function withoutKeys(item: Item): Item {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) if (!entityAttributes.has(k)) out[k] = v;
  return out;
}

/**
 * A stored item that does not parse as its entity: a fault in the data or the code, never the
 * caller's input, so it answers 500 (the cause logged, with the item's key and the failing
 * paths only — no values) and never a 400 "fix these fields".
 */
export class StoredItemError extends Error {
  constructor(key: string, issues: { path: PropertyKey[]; message: string }[]) {
    super(`stored item ${key} does not parse: ${issues.map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`).join("; ")}`);
    this.name = "StoredItemError";
  }
}

/** A stored item as its entity (keys removed, then parsed); a stored item that does not parse is a StoredItemError. */
export function storedAs<S extends ZodType>(schema: S, item: Item, parse: (value: Item) => z.infer<S> = (value) => schema.parse(value)): z.infer<S> {
  try {
    return parse(withoutKeys(item));
  } catch (error) {
    if (error instanceof ZodError || error instanceof ValidationError) {
      const issues = error instanceof ZodError ? error.issues : ((error.details as { issues?: { path: string; message: string }[] })?.issues ?? []).map((i) => ({ path: [i.path], message: i.message }));
      throw new StoredItemError(`${item[tableSchema.partitionKey]}|${item[tableSchema.sortKey]}`, issues);
    }
    throw error;
  }
}

export function isConditionFailed(error: unknown): boolean {
  return (error as { name?: string })?.name === "ConditionalCheckFailedException";
}

export async function getItem(key: Pick<Keys, "pk" | "sk">): Promise<Item | undefined> {
  const result = await documentClient().send(new GetCommand({ TableName: tableName(), Key: { pk: key.pk, sk: key.sk }, ConsistentRead: true }));
  return result.Item;
}

/** One item to read with others, and how its adapter turns the item (or its absence) into a value. */
export type Read<T> = { key: Pick<Keys, "pk" | "sk">; parse: (item: Item | undefined) => T };
type ReadValues<R extends readonly Read<unknown>[]> = { -readonly [K in keyof R]: R[K] extends Read<infer T> ? T : never };

/**
 * Several independent items in one round trip (a BatchGetItem, strongly consistent; a single
 * read is a GetItem), each parsed by its adapter. Unprocessed keys are asked for again (with
 * back-off) and an item still unprocessed fails the call: a read never silently comes back empty.
 */
export async function readTogether<const R extends readonly Read<unknown>[]>(reads: R): Promise<ReadValues<R>> {
  const id = (key: Pick<Keys, "pk" | "sk">) => `${key.pk}\u0000${key.sk}`;
  const found = new Map<string, Item>();
  const wanted = [...new Map(reads.map((r) => [id(r.key), { pk: r.key.pk, sk: r.key.sk }])).values()];
  if (wanted.length > 100) throw new Error("readTogether reads at most 100 items");
  if (wanted.length === 1) {
    const item = await getItem(wanted[0]);
    if (item) found.set(id(wanted[0]), item);
  } else {
    let keys: Item[] = wanted;
    // A response stops at 16 MB (large items: the rest comes back unprocessed, to ask again at
    // once); only rounds that return nothing (throttling) count towards giving up, with back-off.
    for (let idle = 0; keys.length > 0; ) {
      if (idle > 8) throw new Error("DynamoDB kept returning unprocessed keys");
      if (idle > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** idle));
      const result = await documentClient().send(new BatchGetCommand({ RequestItems: { [tableName()]: { Keys: keys, ConsistentRead: true } } }));
      const items = result.Responses?.[tableName()] ?? [];
      for (const item of items) found.set(id(item as Pick<Keys, "pk" | "sk">), item);
      keys = result.UnprocessedKeys?.[tableName()]?.Keys ?? [];
      idle = items.length > 0 ? 0 : idle + 1;
    }
  }
  return reads.map((r) => r.parse(found.get(id(r.key)))) as ReadValues<R>;
}

/** A put in a transaction, optionally conditional (the condition may use `:names` from `values`). */
export type TransactPut = { item: Item; condition?: string; values?: Record<string, NativeAttributeValue> };
/** A delete in the same transaction (an item no longer true, e.g. a role's membership copy). */
export type TransactDelete = { delete: Pick<Keys, "pk" | "sk"> };

// A failed condition, or (AWS only) another transaction changing the same item at that moment.
const conflictCodes = new Set(["ConditionalCheckFailed", "TransactionConflict"]);

/** A transaction refused because conditions failed: `failed[i]` tells whether put `i`'s condition failed. */
export class TransactionConflict extends Error {
  constructor(readonly failed: boolean[]) {
    super(`transaction cancelled: conditions failed at ${failed.flatMap((f, i) => (f ? [i] : [])).join(", ")}`);
    this.name = "TransactionConflict";
  }
}

/**
 * Puts (and deletes) several items all or nothing (one TransactWriteItems). Fails with TransactionConflict when
 * any condition fails, and then nothing is written. The SDK sends a ClientRequestToken, so its own
 * retry of a transaction that did succeed is answered as a success without writing twice.
 */
export async function putTogether(puts: (TransactPut | TransactDelete)[]): Promise<void> {
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: puts.map((p) =>
          "delete" in p
            ? { Delete: { TableName: tableName(), Key: { pk: p.delete.pk, sk: p.delete.sk } } }
            : { Put: { TableName: tableName(), Item: p.item, ConditionExpression: p.condition, ExpressionAttributeValues: p.values } },
        ),
      }),
    );
  } catch (error) {
    const reasons = (error as { name?: string; CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    if ((error as { name?: string }).name === "TransactionCanceledException" && reasons?.some((r) => conflictCodes.has(r.Code ?? ""))) {
      throw new TransactionConflict(puts.map((_, i) => conflictCodes.has(reasons[i]?.Code ?? "")));
    }
    throw error;
  }
}

/** A conditional create: refuses with AlreadyExistsError when an item with the same key exists. */
export async function createItem(item: Item, entity: string, id: string): Promise<void> {
  try {
    await documentClient().send(
      new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: "attribute_not_exists(pk)" }),
    );
  } catch (error) {
    if (isConditionFailed(error)) throw new AlreadyExistsError(entity, id);
    throw error;
  }
}

/** A conditional create that reports whether it wrote (false: the item already existed). */
export async function createIfAbsent(item: Item): Promise<boolean> {
  try {
    await documentClient().send(new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: "attribute_not_exists(pk)" }));
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

export async function putItem(item: Item): Promise<void> {
  await documentClient().send(new PutCommand({ TableName: tableName(), Item: item }));
}

/** Writes items in batches of 25 (retrying unprocessed ones); not atomic — validate everything before calling. */
export async function putItems(items: Item[], onProgress?: (written: number, total: number) => void): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests: { PutRequest: { Item: Item } }[] = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 8) throw new Error("DynamoDB kept returning unprocessed items");
      if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      const result = await documentClient().send(new BatchWriteCommand({ RequestItems: { [tableName()]: requests } }));
      requests = (result.UnprocessedItems?.[tableName()] ?? []) as typeof requests;
    }
    onProgress?.(Math.min(i + 25, items.length), items.length);
  }
}

function queryInput(spec: QuerySpec): QueryCommandInput {
  const index = spec.index ? tableSchema.indexes.find((i) => i.name === spec.index)! : undefined;
  const pkName = index ? index.partitionKey : tableSchema.partitionKey;
  const skName = index ? index.sortKey : tableSchema.sortKey;
  const base = { TableName: tableName(), IndexName: spec.index };
  if (spec.skBetween) {
    return {
      ...base,
      KeyConditionExpression: "#pk = :pk AND #sk BETWEEN :from AND :to",
      ExpressionAttributeNames: { "#pk": pkName, "#sk": skName },
      ExpressionAttributeValues: { ":pk": spec.pk, ":from": spec.skBetween[0], ":to": spec.skBetween[1] },
    };
  }
  return {
    ...base,
    KeyConditionExpression: spec.skPrefix ? "#pk = :pk AND begins_with(#sk, :sk)" : "#pk = :pk",
    ExpressionAttributeNames: spec.skPrefix ? { "#pk": pkName, "#sk": skName } : { "#pk": pkName },
    ExpressionAttributeValues: spec.skPrefix ? { ":pk": spec.pk, ":sk": spec.skPrefix } : { ":pk": spec.pk },
  };
}

/** Every item of a Query, following LastEvaluatedKey. */
export async function queryAll(spec: QuerySpec): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: Record<string, NativeAttributeValue> | undefined;
  do {
    const result = await documentClient().send(new QueryCommand({ ...queryInput(spec), ExclusiveStartKey: cursor }));
    items.push(...(result.Items ?? []));
    cursor = result.LastEvaluatedKey;
  } while (cursor);
  return items;
}

/** One page of a Query; `cursor` is opaque (base64url) and absent on the last page. */
export async function queryPage(spec: QuerySpec, options: { limit?: number; cursor?: string } = {}): Promise<{ items: Item[]; cursor?: string }> {
  const result = await documentClient().send(
    new QueryCommand({
      ...queryInput(spec),
      Limit: options.limit ?? 100,
      ExclusiveStartKey: options.cursor ? JSON.parse(Buffer.from(options.cursor, "base64url").toString("utf8")) : undefined,
    }),
  );
  return {
    items: result.Items ?? [],
    cursor: result.LastEvaluatedKey ? Buffer.from(JSON.stringify(result.LastEvaluatedKey)).toString("base64url") : undefined,
  };
}
