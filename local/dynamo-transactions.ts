import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { dirname, join } from "node:path";
import { crc32 } from "node:zlib";

/**
 * TransactWriteItems for dynalite, which has none (Karta's submit writes the report's current
 * item, its immutable version and the audit event in one transaction). Implemented on
 * dynalite's own store, with dynalite's own validation and condition evaluation:
 *
 * - every item of the transaction is locked with the same per-item locks dynalite's single-item
 *   writes take (tables in name order, keys all at once), so no other write lands in between;
 * - every condition is evaluated on the locked items first; if any fails, nothing is written and
 *   the answer is TransactionCanceledException with one CancellationReason per item, as in AWS;
 * - otherwise the puts and deletes are applied (indexes first, like dynalite's PutItem).
 *
 * Supported: Put, Delete and ConditionCheck with ConditionExpression (what Karta uses), and
 * ClientRequestToken (a retry of a succeeded transaction within 10 minutes succeeds without
 * writing). Update is refused with a ValidationException rather than emulated half-way. Readers may observe the items being applied one after another (the writes
 * are not one LevelDB batch); writers cannot.
 */

const require = createRequire(import.meta.url);
const root = dirname(require.resolve("dynalite"));
// The same module instances dynalite loads (one require cache), so the store is shared.
const db = require(join(root, "db/index.js"));
const validations = require(join(root, "validations/index.js"));
const putRules = require(join(root, "validations/putItem.js"));
const deleteRules = require(join(root, "validations/deleteItem.js"));

type Store = any;
type Op = { kind: "Put" | "Delete" | "ConditionCheck"; data: any; table?: any; key?: string };

class RequestError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message ?? body.Message ?? body.__type));
  }
}

/** Succeeded transactions by ClientRequestToken: a retry within 10 minutes succeeds without writing again (as in AWS). */
const TOKEN_MS = 10 * 60_000;
const completed = new Map<string, { fingerprint: string; at: number }>();
function remember(token: string, fingerprint: string) {
  const now = Date.now();
  if (completed.size > 10_000) for (const [k, v] of completed) if (now - v.at >= TOKEN_MS) completed.delete(k);
  completed.set(token, { fingerprint, at: now });
}

const validation = (message: string) => new RequestError(400, { __type: "com.amazon.coral.validate#ValidationException", message });

/** Creates the dynalite server through `create` and teaches it TransactWriteItems. */
export function withTransactions(create: () => Server): Server {
  const original = db.create;
  let store: Store | undefined;
  db.create = (options: unknown) => (store = original(options));
  let server: Server;
  try {
    server = create();
  } finally {
    db.create = original;
  }
  if (!store) throw new Error("dynalite did not create its store through db.create");
  const captured = store;
  const [dynaliteHandler] = server.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const target = String(req.headers["x-amz-target"] ?? "");
    if (req.method === "POST" && target.endsWith(".TransactWriteItems")) void handle(captured, req, res);
    else dynaliteHandler(req, res);
  });
  return server;
}

function send(res: ServerResponse, statusCode: number, data: unknown) {
  const body = JSON.stringify(data);
  res.statusCode = statusCode;
  res.setHeader("x-amz-crc32", String(crc32(body)));
  res.setHeader("Content-Type", "application/x-amz-json-1.0");
  res.setHeader("Content-Length", Buffer.byteLength(body, "utf8"));
  res.end(body);
}

async function handle(store: Store, req: IncomingMessage, res: ServerResponse) {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: any;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      throw new RequestError(400, { __type: "com.amazon.coral.service#SerializationException" });
    }
    send(res, 200, await transactWrite(store, body));
  } catch (error) {
    if (error instanceof RequestError) return send(res, error.statusCode, error.body);
    const e = error as { statusCode?: number; body?: Record<string, unknown> };
    if (e?.statusCode && e.body) return send(res, e.statusCode, e.body);
    send(res, 500, { __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message: String((error as Error)?.message ?? error) });
  }
}

const call = <T>(fn: (cb: (err: any, value?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T))));

function parseOp(store: Store, entry: Record<string, any>): Op {
  const kinds = (["Put", "Delete", "ConditionCheck", "Update"] as const).filter((k) => entry?.[k]);
  if (kinds.length !== 1) throw validation("Each TransactItem must hold exactly one of Put, Update, Delete, ConditionCheck");
  const kind = kinds[0];
  if (kind === "Update") throw validation("Update in TransactWriteItems is not supported by the local stack (Put, Delete, ConditionCheck are)");
  if (kind === "ConditionCheck" && !entry.ConditionCheck.ConditionExpression) throw validation("ConditionCheck needs a ConditionExpression");
  const rules = kind === "Put" ? putRules : deleteRules;
  // ReturnValuesOnConditionCheckFailure is not emulated: the reasons carry no item.
  const { ReturnValuesOnConditionCheckFailure: _ignored, ...input } = entry[kind];
  const data = validations.checkTypes({ ...input }, rules.types);
  validations.checkValidations(data, rules.types, rules.custom, store);
  return { kind, data };
}

async function transactWrite(store: Store, body: any): Promise<Record<string, unknown>> {
  const items = body?.TransactItems;
  if (!Array.isArray(items) || items.length < 1 || items.length > 100) throw validation("TransactItems must hold 1 to 100 items");
  const token = typeof body.ClientRequestToken === "string" ? body.ClientRequestToken : undefined;
  const fingerprint = createHash("sha256").update(JSON.stringify(items)).digest("hex");
  if (token) {
    const done = completed.get(token);
    if (done && Date.now() - done.at < TOKEN_MS) {
      if (done.fingerprint !== fingerprint) {
        throw new RequestError(400, { __type: "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException", message: "ClientRequestToken reused with a different request" });
      }
      return {};
    }
  }
  const ops = items.map((entry: Record<string, any>) => parseOp(store, entry));
  for (const op of ops) {
    op.table = await call((cb) => store.getTable(op.data.TableName, cb));
    const invalid = op.kind === "Put" ? db.validateItem(op.data.Item, op.table) : db.validateKey(op.data.Key, op.table);
    if (invalid) throw invalid;
    op.key = db.createKey(op.kind === "Put" ? op.data.Item : op.data.Key, op.table);
  }
  const seen = new Set<string>();
  for (const op of ops) {
    const id = `${op.data.TableName}\u0000${op.key}`;
    if (seen.has(id)) throw validation("Transaction request cannot include multiple operations on one item");
    seen.add(id);
  }

  // Lock every item: tables in name order, all keys of a table at once (dynalite's own locks).
  const tables = [...new Set(ops.map((op) => op.data.TableName as string))].sort();
  const releases: (() => void)[] = [];
  try {
    for (const name of tables) {
      const itemDb = store.getItemDb(name);
      const tableKeys = ops.filter((op) => op.data.TableName === name).map((op) => op.key!);
      releases.push(await new Promise<() => void>((resolve) => itemDb.lock(tableKeys, (release: any) => resolve(release(() => {})))));
    }
    const existing = await Promise.all(
      ops.map((op) =>
        call<any>((cb) =>
          store.getItemDb(op.data.TableName).get(op.key, (err: any, item: any) => cb(err && err.name !== "NotFoundError" ? err : null, err ? undefined : item)),
        ),
      ),
    );
    const reasons = ops.map((op, i) => (db.checkConditional(op.data, existing[i]) ? { Code: "ConditionalCheckFailed", Message: "The conditional request failed" } : { Code: "None" }));
    if (reasons.some((r) => r.Code !== "None")) {
      throw new RequestError(400, {
        __type: "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
        message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(", ")}]`,
        CancellationReasons: reasons,
      });
    }
    for (const [i, op] of ops.entries()) {
      if (op.kind === "ConditionCheck") continue;
      const itemDb = store.getItemDb(op.data.TableName);
      const after = op.kind === "Put" ? op.data.Item : null;
      await call((cb) => db.updateIndexes(store, op.table, existing[i], after, cb));
      if (after) await call((cb) => itemDb.put(op.key, after, cb));
      else if (existing[i]) await call((cb) => itemDb.del(op.key, cb));
    }
    if (token) remember(token, fingerprint);
    return {};
  } finally {
    for (const release of releases.reverse()) release();
  }
}
