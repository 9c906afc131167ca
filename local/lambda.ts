import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { InvokeStore, InvokeStoreBase } from "@aws/lambda-invoke-store";
import type { LocalFunction } from "./template.js";

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

/** One line a function wrote (a Powertools log line, an EMF metrics line, anything else), as CloudWatch Logs keeps it. */
export interface FunctionLogLine {
  functionName: string;
  handler: string;
  requestId: string;
  stream: "stdout" | "stderr";
  line: string;
}

const invocation = new AsyncLocalStorage<{ handler: string; requestId: string; output?: (text: string, stream: "stdout" | "stderr") => void }>();

/**
 * Lambda's per-invocation store, which Powertools scopes its state to when invocations share a
 * process (AWS_LAMBDA_MAX_CONCURRENCY, as on Lambda Managed Instances): here every function shares
 * one process, so concurrent invocations must not see each other's request id, keys or metrics.
 * Made at once when this module loads, before an SDK call could make the single-invocation kind;
 * the variable is set only once the store exists, since Powertools fails without it.
 */
const invokeStore = InvokeStore.getInstanceAsync(true).then((store) => {
  if (!("als" in store)) throw new Error("Lambda's InvokeStore was made for one invocation at a time: import local/lambda.ts before any AWS SDK call");
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= "1000";
  return store;
});
invokeStore.catch(() => {}); // reported by the first invocation, not at load

let outputCaptured = false;
/**
 * What a function writes while it runs goes to its log, as in Lambda (CloudWatch Logs), not to the
 * process's stdout: the local stack's and the tests' output stays readable, and each line is
 * known with its invocation's request id. Writes outside any invocation pass through.
 */
function captureFunctionOutput(): void {
  if (outputCaptured) return;
  outputCaptured = true;
  for (const name of ["stdout", "stderr"] as const) {
    const stream = process[name];
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const current = invocation.getStore();
      if (!current?.output) return write(chunk, ...rest);
      current.output(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8"), name);
      const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof stream.write;
  }
}

/** Lines kept for tests and the CLI (the last ones; older lines are dropped). */
const MAX_LOG_LINES = 20_000;

/**
 * The function invocation the caller runs in (its handler, e.g. "functions/api/submit-report.handler",
 * and request id), or undefined outside any: lets tests and the bench attribute SDK requests to
 * the handler that sent them, including work it awaits in parallel.
 */
export function currentInvocation(): { handler: string; requestId: string } | undefined {
  return invocation.getStore();
}

export class FunctionError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = errorType;
  }
}

/**
 * Runs the template's functions in this process from their source handlers — the same code
 * SST bundles for AWS. Each module is loaded once, like a warm Lambda container.
 */
export class LocalLambda {
  private readonly byArn = new Map<string, LocalFunction>();
  private readonly loaded = new Map<string, Promise<Handler>>();
  readonly invocations = new Map<string, { count: number; totalMs: number; maxMs: number }>();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** What the functions wrote, newest last (at most MAX_LOG_LINES). */
  readonly logs: FunctionLogLine[] = [];

  /** Waits for running invocations to end (at most `timeoutMs`), so storage can close under none. */
  async drain(timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.inFlight.size > 0 && Date.now() < until) {
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => setTimeout(r, 100))]);
    }
  }

  constructor(
    private readonly root: string,
    functions: LocalFunction[],
    private readonly onLog?: (line: FunctionLogLine) => void,
  ) {
    for (const fn of functions) this.byArn.set(fn.arn, fn);
    captureFunctionOutput();
  }

  /** The log lines of one invocation (its request id), parsed where they are JSON. */
  logsOf(requestId: string): (Record<string, unknown> | string)[] {
    return this.logs.filter((l) => l.requestId === requestId).map((l) => parseLine(l.line));
  }

  private record(fn: LocalFunction, requestId: string, text: string, stream: "stdout" | "stderr"): void {
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      const entry = { functionName: fn.logicalId, handler: fn.handler, requestId, stream, line };
      this.logs.push(entry);
      if (this.logs.length > MAX_LOG_LINES) this.logs.splice(0, this.logs.length - MAX_LOG_LINES);
      // Outside the invocation: what the listener prints must not be captured as the function's own output.
      if (this.onLog) invocation.exit(() => this.onLog!(entry));
    }
  }

  get functions(): LocalFunction[] {
    return [...this.byArn.values()];
  }

  find(arn: string): LocalFunction {
    const fn = this.byArn.get(arn) ?? [...this.byArn.values()].find((f) => arn.endsWith(`:${f.logicalId}`));
    if (!fn) throw new FunctionError("ResourceNotFoundException", `No local function ${arn}`);
    return fn;
  }

  private load(fn: LocalFunction): Promise<Handler> {
    let handler = this.loaded.get(fn.handler);
    if (!handler) {
      const [file, exportName] = splitHandler(fn.handler);
      handler = import(pathToFileURL(join(this.root, `${file}.ts`)).href).then((module) => {
        const exported = module[exportName];
        if (typeof exported !== "function") throw new Error(`${fn.handler} does not export a function`);
        return exported as Handler;
      });
      this.loaded.set(fn.handler, handler);
    }
    return handler;
  }

  invoke(arn: string, event: unknown): Promise<unknown> {
    const running = this.run(arn, event);
    this.inFlight.add(running);
    const forget = () => this.inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }

  private async run(arn: string, event: unknown): Promise<unknown> {
    const fn = this.find(arn);
    const handler = await this.load(fn);
    const started = performance.now();
    const deadline = Date.now() + fn.timeoutSeconds * 1000;
    const context = {
      awsRequestId: randomUUID(),
      functionName: fn.logicalId,
      invokedFunctionArn: fn.arn,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    const store = await invokeStore;
    const output = (text: string, stream: "stdout" | "stderr") => this.record(fn, context.awsRequestId, text, stream);
    try {
      // Handlers see the serialised event, as in AWS.
      return await invocation.run({ handler: fn.handler, requestId: context.awsRequestId, output }, () =>
        store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId }, () => handler(JSON.parse(JSON.stringify(event ?? {})), context)),
      );
    } finally {
      const ms = performance.now() - started;
      const stats = this.invocations.get(fn.logicalId) ?? { count: 0, totalMs: 0, maxMs: 0 };
      stats.count += 1;
      stats.totalMs += ms;
      stats.maxMs = Math.max(stats.maxMs, ms);
      this.invocations.set(fn.logicalId, stats);
    }
  }
}

function parseLine(line: string): Record<string, unknown> | string {
  try {
    const value = JSON.parse(line);
    return value && typeof value === "object" ? value : line;
  } catch {
    return line;
  }
}

function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf(".");
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}
