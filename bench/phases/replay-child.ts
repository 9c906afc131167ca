// Runs ONE workflow handler once, alone in this fresh Node process, and measures it: wall time,
// CPU and resident memory (sampled every 20 ms; the kernel's high-water mark is recorded but not
// used: started from the month's process, it begins at that process's RSS).
// `node --import tsx bench/phases/replay-child.ts '<json spec>' <result file>`
// The environment (table, endpoints of the month's dynalite / SES / Step Functions, secrets) is
// the one the local stack gives the function; the spec carries the virtual "now" of the original
// invocation, set on functions/adapters/clock.ts before the handler module is loaded.
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { clock } from "../../functions/adapters/clock.js";

export interface ReplaySpec {
  /** e.g. "functions/workflow/send-batch.handler" */
  handler: string;
  event: unknown;
  /** Virtual instant the original invocation ran at (ISO). */
  now: string;
  functionName: string;
  timeoutSeconds: number;
  /** Keep the whole reply (a step whose reply feeds the next one), not 300 characters of it. */
  fullResult?: boolean;
}

export interface ReplayMeasurement {
  ok: boolean;
  error?: string;
  /** The handler call's wall time (module already loaded; SDK clients created on first use, as in a cold Lambda). */
  ms: number;
  cpuMs: number;
  /** Loading the handler's module (tsx transpiles it: more than a bundled Lambda's init). */
  importMs: number;
  /** RSS right before the call. */
  baselineRssMb: number;
  /** Highest RSS seen by the 20 ms sampler during the call. */
  sampledPeakRssMb: number;
  /** The process's RSS high-water mark (getrusage), over its whole life. */
  maxRssMb: number;
  samples: number;
  /** The handler's reply, as JSON, cut to 300 characters. */
  result?: string;
}

// Alone in its process, the handler runs as in a standard Lambda: one invocation at a time. The
// bench's own process runs the local stack, which sets AWS_LAMBDA_MAX_CONCURRENCY (many
// invocations in one process, local/lambda.ts); inherited here, Powertools would look for the
// per-invocation store that only that process makes ("InvokeStore is not available").
delete process.env.AWS_LAMBDA_MAX_CONCURRENCY;

const root = resolve(import.meta.dirname, "..", "..");
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const [json, out] = process.argv.slice(2);
const spec = JSON.parse(json) as ReplaySpec;
const virtualNow = new Date(spec.now);
clock.use(() => virtualNow);

const measurement: ReplayMeasurement = { ok: false, ms: 0, cpuMs: 0, importMs: 0, baselineRssMb: 0, sampledPeakRssMb: 0, maxRssMb: 0, samples: 0 };
try {
  const dot = spec.handler.lastIndexOf(".");
  const importStarted = performance.now();
  const module = await import(pathToFileURL(join(root, `${spec.handler.slice(0, dot)}.ts`)).href);
  measurement.importMs = performance.now() - importStarted;
  const handler = module[spec.handler.slice(dot + 1)] as (event: unknown, context: unknown) => Promise<unknown>;
  if (typeof handler !== "function") throw new Error(`${spec.handler} does not export a function`);

  await new Promise((r) => setTimeout(r, 50));
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
    measurement.samples++;
  }, 20);
  const deadline = Date.now() + spec.timeoutSeconds * 1000;
  const context = {
    awsRequestId: `bench-replay-${process.pid}`,
    functionName: spec.functionName,
    invokedFunctionArn: `arn:aws:lambda:eu-central-1:000000000000:function:${spec.functionName}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    const result = await handler(JSON.parse(JSON.stringify(spec.event ?? {})), context);
    measurement.ok = true;
    const reply = JSON.stringify(result ?? null);
    measurement.result = spec.fullResult ? reply : reply.slice(0, 300);
  } catch (error) {
    measurement.error = `${(error as Error).name}: ${(error as Error).message}`.slice(0, 300);
  } finally {
    measurement.ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    measurement.cpuMs = (used.user + used.system) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    measurement.baselineRssMb = mb(baseline);
    measurement.sampledPeakRssMb = mb(peak);
    measurement.maxRssMb = mb(process.resourceUsage().maxRSS * 1024);
  }
} catch (error) {
  measurement.error = `${(error as Error).name}: ${(error as Error).message}`.slice(0, 300);
}
writeFileSync(out, JSON.stringify(measurement));
// The SDK's keep-alive sockets must not keep the process alive.
process.exit(0);
