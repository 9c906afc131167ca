import { createHash } from "node:crypto";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableName, type Item } from "../../../functions/adapters/dynamo.js";
import { startTestStack, type TestStack } from "../local-stack.js";
import type { LocalStackOptions } from "../../../local/runtime.js";

/**
 * Shared pieces of the reliability suites (issue 8): a local stack whose log lines and console
 * output are captured, a snapshot of the whole table, and a check that no secret reached the logs.
 */

export interface LogCapture {
  lines: string[];
  /** Restores the console; the captured lines stay. */
  release(): void;
}

/** Captures everything written through console.* (the handlers run in this process) plus the stack's own log. */
export function captureConsole(): LogCapture & { log: (line: string) => void } {
  const lines: string[] = [];
  const methods = ["log", "info", "warn", "error", "debug"] as const;
  const originals = methods.map((m) => console[m]);
  methods.forEach((m, i) => {
    console[m] = (...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === "string" ? a : safeJson(a))).join(" "));
      // Keep the test output quiet: only the suites' own figure lines go through.
      if (typeof args[0] === "string" && /^(bad-input|access|links|crash|concurrency|exports|infra):/.test(args[0])) originals[i].apply(console, args);
    };
  });
  return {
    lines,
    log: (line: string) => lines.push(line),
    release: () => methods.forEach((m, i) => (console[m] = originals[i])),
  };
}

function safeJson(value: unknown): string {
  if (value instanceof Error) return value.stack ?? value.message;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export interface SuiteStack extends TestStack {
  logs: LogCapture;
}

/** A private local stack for one suite with its log captured (console and the stack's log). */
export async function startSuiteStack(opts: LocalStackOptions & { dataDir?: string }): Promise<SuiteStack> {
  const logs = captureConsole();
  const stack = await startTestStack({ ...opts, log: logs.log });
  return { ...stack, logs };
}

/** Every item of the table, keyed by pk/sk, as stable JSON. */
export async function tableSnapshot(): Promise<Map<string, string>> {
  const items = new Map<string, string>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(new ScanCommand({ TableName: tableName(), ExclusiveStartKey: start, ConsistentRead: true }));
    for (const item of page.Items ?? []) items.set(`${item.pk}|${item.sk}`, stableJson(item));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Items added, removed or changed between two snapshots (optionally only keys matching `only`). */
export function snapshotDiff(before: Map<string, string>, after: Map<string, string>, only: (key: string) => boolean = () => true) {
  const added = [...after.keys()].filter((k) => only(k) && !before.has(k));
  const removed = [...before.keys()].filter((k) => only(k) && !after.has(k));
  const changed = [...after.keys()].filter((k) => only(k) && before.has(k) && before.get(k) !== after.get(k));
  return { added, removed, changed, count: added.length + removed.length + changed.length };
}

export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));
}

export const digest = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);

/** Items of the table whose key matches, parsed. */
export async function itemsWhere(match: (item: Item) => boolean): Promise<Item[]> {
  const snapshot = await tableSnapshot();
  return [...snapshot.values()].map((s) => JSON.parse(s) as Item).filter(match);
}

/**
 * Secrets that must never appear in a log line: sign-in tokens and session cookies, approval
 * link signatures and task tokens (read from the table), beneficiary initials (as stored).
 */
export async function secretsInTable(): Promise<{ kind: string; value: string }[]> {
  const secrets: { kind: string; value: string }[] = [];
  for (const item of await itemsWhere(() => true)) {
    if (typeof item.taskToken === "string" && item.taskToken.length >= 16) secrets.push({ kind: "task token", value: item.taskToken });
    if (item.entity === "Beneficiary" || String(item.sk).startsWith("BENEFICIARY#")) {
      const initials = item.initials as string | undefined;
      if (initials) secrets.push({ kind: "beneficiary initials", value: initials });
    }
  }
  return secrets;
}

/** Finds secrets in log lines: returns each leak as "kind in: line" (empty when clean). */
export function leaks(lines: readonly string[], secrets: readonly { kind: string; value: string }[]): string[] {
  const found: string[] = [];
  for (const line of lines) {
    for (const s of secrets) {
      if (!s.value) continue;
      // Initials like "A.K." are matched as a token (not inside a longer word or number).
      const hit = s.kind === "beneficiary initials" ? new RegExp(`(^|[^\\p{L}.])${escapeRegExp(s.value)}($|[^\\p{L}])`, "u").test(line) : line.includes(s.value);
      if (hit) found.push(`${s.kind} in: ${line.slice(0, 200)}`);
    }
  }
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Secrets visible in e-mails of the inbox: sign-in tokens and approval signatures. */
export function secretsInMails(mails: { body: { text?: string } }[]): { kind: string; value: string }[] {
  const out: { kind: string; value: string }[] = [];
  for (const m of mails) {
    const text = m.body.text ?? "";
    for (const t of text.matchAll(/auth\/callback\?token=([A-Za-z0-9_-]+)/g)) out.push({ kind: "sign-in token", value: t[1] });
    for (const s of text.matchAll(/approve\/a[0-9a-f]{24}\?sig=([A-Za-z0-9_%-]+)/g)) out.push({ kind: "approval signature", value: decodeURIComponent(s[1]) });
  }
  return out;
}

/** A session cookie ("karta_session=…") as a secret. */
export const cookieSecret = (cookie: string) => ({ kind: "session cookie", value: cookie.split("=")[1] ?? "" });

/** Runs `tasks` with at most `limit` in flight. */
export async function pool<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= items.length) return;
        results[i] = await task(items[i], i);
      }
    }),
  );
  return results;
}
