import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { LocalFunction } from "./template.js";

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const invocation = new AsyncLocalStorage<{ handler: string; requestId: string }>();

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
  ) {
    for (const fn of functions) this.byArn.set(fn.arn, fn);
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
    try {
      // Handlers see the serialised event, as in AWS.
      return await invocation.run({ handler: fn.handler, requestId: context.awsRequestId }, () => handler(JSON.parse(JSON.stringify(event ?? {})), context));
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

function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf(".");
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}
