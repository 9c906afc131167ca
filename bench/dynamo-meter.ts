import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { documentClient } from "../functions/adapters/dynamo.js";
import { tableSchema } from "../functions/adapters/table-schema.js";

/** Request counts and request units, as on-demand DynamoDB would bill them. */
export interface DynamoUsage {
  requests: number;
  readRequestUnits: number;
  writeRequestUnits: number;
  /** Net bytes added to the table and its indexes (all project ALL). */
  storageBytesAdded: number;
  byOperation: Record<string, number>;
}

export const emptyUsage = (): DynamoUsage => ({ requests: 0, readRequestUnits: 0, writeRequestUnits: 0, storageBytesAdded: 0, byOperation: {} });

/** Bytes an item occupies in the table plus the indexes it is in. */
export function storedBytes(item: Item | undefined): number {
  if (!item) return 0;
  const size = itemSize(item) + 100; // DynamoDB adds 100 bytes of overhead per stored item
  return size * (1 + tableSchema.indexes.filter((index) => indexKey(item, index) !== undefined).length);
}

type Item = Record<string, AttributeValue>;

const utf8 = (s: string) => Buffer.byteLength(s, "utf8");

/** The DynamoDB size of a number: about one byte per two significant digits, plus one. */
function numberSize(n: string): number {
  const digits = n.replace(/^-/, "").replace(".", "").replace(/e.*$/i, "").replace(/^0+/, "").replace(/0+$/, "");
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return (v.B as Uint8Array).length ?? utf8(String(v.B));
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((s, x) => s + utf8(x), 0);
  if (v.NS) return v.NS.reduce((s, x) => s + numberSize(x), 0);
  if (v.L) return 3 + v.L.reduce((s, x) => s + 1 + valueSize(x), 0);
  if (v.M) return 3 + Object.entries(v.M).reduce((s, [k, x]) => s + 1 + utf8(k) + valueSize(x), 0);
  return 0;
}

/** An item's size by DynamoDB's rules (attribute names plus values). */
export function itemSize(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) size += utf8(name) + valueSize(value);
  return size;
}

const kb = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

function indexKey(item: Item | undefined, index: (typeof tableSchema.indexes)[number]): string | undefined {
  const pk = item?.[index.partitionKey]?.S;
  const sk = item?.[index.sortKey]?.S;
  return pk !== undefined && sk !== undefined ? `${pk}\u0000${sk}` : undefined;
}

/**
 * Write request units of replacing `before` by `after` (either may be absent): the table item,
 * plus every GSI (all project ALL): a changed index key costs a delete and a put.
 */
export function writeUnits(before: Item | undefined, after: Item | undefined): number {
  const beforeSize = before ? itemSize(before) : 0;
  const afterSize = after ? itemSize(after) : 0;
  let units = kb(Math.max(beforeSize, afterSize));
  for (const index of tableSchema.indexes) {
    const old = indexKey(before, index);
    const now = indexKey(after, index);
    if (old !== undefined && now !== undefined && old === now) units += kb(Math.max(beforeSize, afterSize));
    else {
      if (old !== undefined) units += kb(beforeSize);
      if (now !== undefined) units += kb(afterSize);
    }
  }
  return units;
}

const operationOf = (target: string | undefined) => (target ?? "").split(".").pop() ?? "unknown";

/**
 * Counts every request the handlers' DynamoDB client sends (they all share functions/adapters/dynamo's
 * client) and the request units it would bill: reads from the ConsumedCapacity dynalite returns
 * when asked, writes from the item sizes before and after (old items are asked for with
 * ReturnValues ALL_OLD when the caller did not ask for anything).
 */
export class DynamoMeter {
  usage = emptyUsage();
  /** The same, by the handler that sent it ("api/submit-report", "workflow/ask-approver", or the innermost Karta module). */
  bySource = new Map<string, DynamoUsage>();
  /** While true, requests pass uncounted (the bench's own bulk set-up writes). */
  paused = false;
  private installed = false;

  install(): this {
    if (this.installed) return this;
    this.installed = true;
    documentClient().middlewareStack.add(
      (next) => async (args: any) => {
        const request = args.request as { headers: Record<string, string>; body: unknown } | undefined;
        const raw = typeof request?.body === "string" ? request.body : request?.body instanceof Uint8Array ? new TextDecoder().decode(Uint8Array.prototype.slice.call(request.body)) : undefined;
        if (!request || raw === undefined || this.paused) return next(args);
        const operation = operationOf(request.headers["x-amz-target"] ?? request.headers["X-Amz-Target"]);
        const body = JSON.parse(raw);
        const isRead = ["GetItem", "Query", "Scan", "BatchGetItem"].includes(operation);
        const askedOld = operation === "PutItem" || operation === "DeleteItem" || operation === "UpdateItem";
        let injectedReturnValues = false;
        if (isRead && !body.ReturnConsumedCapacity) body.ReturnConsumedCapacity = "TOTAL";
        if (askedOld && !body.ReturnValues) {
          body.ReturnValues = operation === "UpdateItem" ? "ALL_NEW" : "ALL_OLD";
          injectedReturnValues = true;
        }
        const encoded = new TextEncoder().encode(JSON.stringify(body));
        request.body = typeof request.body === "string" ? JSON.stringify(body) : encoded;
        const source = sourceOf();
        const own = emptyUsage();
        if (request.headers["content-length"]) request.headers["content-length"] = String(encoded.length);
        let result: any;
        try {
          result = await next(args);
        } catch (error) {
          // A failed conditional write is billed like a write of the item it would have written.
          if ((error as { name?: string }).name === "ConditionalCheckFailedException" && (operation === "PutItem" || operation === "UpdateItem")) {
            own.writeRequestUnits += kb(body.Item ? itemSize(body.Item) : 1);
          }
          this.record(source, own, operation);
          throw error;
        }
        const output = result.output ?? {};
        if (isRead) {
          const consumed = output.ConsumedCapacity;
          const units = Array.isArray(consumed) ? consumed.reduce((s: number, c: any) => s + (c.CapacityUnits ?? 0), 0) : (consumed?.CapacityUnits ?? 0);
          own.readRequestUnits += units || 0.5;
        } else if (operation === "PutItem") {
          const before = output.Attributes && marshalLike(output.Attributes);
          own.writeRequestUnits += writeUnits(before, body.Item);
          own.storageBytesAdded += storedBytes(body.Item) - storedBytes(before);
        } else if (operation === "DeleteItem") {
          const before = output.Attributes && marshalLike(output.Attributes);
          own.writeRequestUnits += writeUnits(before, undefined);
          own.storageBytesAdded -= storedBytes(before);
        } else if (operation === "UpdateItem") {
          // Without the old image the index cost of an update is counted as one put per index it is in.
          const after = output.Attributes && marshalLike(output.Attributes);
          own.writeRequestUnits += writeUnits(undefined, after);
        } else if (operation === "BatchWriteItem") {
          // Old images are unknown here: counted as new items (the bench writes its set-up data this way, before metering).
          for (const requests of Object.values<any[]>(body.RequestItems ?? {})) {
            for (const r of requests) {
              own.writeRequestUnits += r.PutRequest ? writeUnits(undefined, r.PutRequest.Item) : 1;
              own.storageBytesAdded += storedBytes(r.PutRequest?.Item);
            }
          }
        } else if (operation === "TransactWriteItems") {
          for (const t of body.TransactItems ?? []) own.writeRequestUnits += 2 * writeUnits(undefined, t.Put?.Item);
        }
        if (injectedReturnValues && result.output) delete result.output.Attributes;
        this.record(source, own, operation);
        return result;
      },
      { step: "build", name: "kartaBenchDynamoMeter", override: true },
    );
    return this;
  }

  private record(source: string, own: DynamoUsage, operation: string) {
    for (const into of [this.usage, this.bySource.get(source) ?? emptyUsage()]) {
      into.requests++;
      into.readRequestUnits += own.readRequestUnits;
      into.writeRequestUnits += own.writeRequestUnits;
      into.storageBytesAdded += own.storageBytesAdded;
      into.byOperation[operation] = (into.byOperation[operation] ?? 0) + 1;
      if (into !== this.usage) this.bySource.set(source, into);
    }
  }

  /** Usage since the last take (or since install), total and by source, and fresh counters. */
  take(): DynamoUsage & { bySource: Record<string, DynamoUsage> } {
    const usage = { ...this.usage, bySource: Object.fromEntries(this.bySource) };
    this.usage = emptyUsage();
    this.bySource = new Map();
    return usage;
  }
}

/** The document client unmarshals outputs below this step (DocumentUnmarshall wraps the deserializer): marshal them back to size them. */
export function marshalLike(attributes: Record<string, unknown>): Item {
  const toValue = (v: unknown): AttributeValue => {
    if (typeof v === "string") return { S: v };
    if (typeof v === "number" || typeof v === "bigint") return { N: String(v) };
    if (typeof v === "boolean") return { BOOL: v };
    if (v === null) return { NULL: true };
    if (v instanceof Uint8Array) return { B: v };
    if (v instanceof Set) return { SS: [...v].map(String) };
    if (Array.isArray(v)) return { L: v.filter((x) => x !== undefined).map(toValue) };
    return { M: marshalLike(v as Record<string, unknown>) };
  };
  const out: Item = {};
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) out[k] = toValue(v);
  return out;
}

/**
 * The Karta handler on whose behalf a request is sent, from the async stack trace: the outermost
 * functions/api or functions/workflow handler file, else the innermost Karta module.
 */
function sourceOf(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = limit;
  const frames = [...stack.matchAll(/functions\/((?:api|workflow)(?:\/lib)?\/[a-z0-9-]+)\.ts/g)].map((m) => m[1]);
  const handlers = frames.filter((f) => !f.includes("/lib/"));
  return handlers.at(-1) ?? frames[0] ?? "other";
}
