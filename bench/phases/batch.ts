// The payment branch of the cycle at national size: N approved reports written straight into the
// table, then "Plan the month" (the cycle record) and every step of "Build the payment batch" → "Write the payment files page by page"
// (the Distributed Map's children) → "Assemble the payment files" → "E-mail the batch to finance"
// run ALONE, each in a fresh Node process of its own (bench/phases/replay-child.ts), measuring its
// wall time and peak RSS against the targets (every step ≤ 60 s and ≤ 512 MB). Pages run two at a
// time, as the two cores allow (the Distributed Map runs up to 8 in AWS), so a page's time is
// measured beside one other page.
import { benchProgramme, BENCH_MONTH, signedReport } from "../data.js";
import { reportItem, reportVersionItem, seedProgramme, writeInParallel } from "../seed.js";
import { startBenchStack } from "../stack.js";
import { getBatch } from "../../functions/adapters/batches.js";
import { readStoredFile } from "../../functions/adapters/object-store.js";
import { approve, contentHash, submit } from "../../functions/core/report.js";
import { runAlone } from "./replay.js";
import type { ReplayMeasurement } from "./replay-child.js";

export interface BatchStep {
  handler: string;
  /** What the call did: "claim 2,000 reports", "page 17 (402 reports)", … */
  what: string;
  ms: number;
  peakRssMb: number;
  ok: boolean;
  error?: string;
}

export interface BatchResult {
  reports: number;
  assistants: number;
  seedSeconds: number;
  /** From the first claim to the e-mail: the sum of the steps' wall times, pages two at a time. */
  wallSeconds: number;
  /** The steps' own times added up (the work, whatever the concurrency). */
  stepSeconds: number;
  pages: number;
  files: { name: string; bytes: number }[];
  delivery?: string;
  steps: BatchStep[];
  longest: BatchStep;
  largest: BatchStep;
}

const START = new Date(`2026-12-10T08:00:00.000Z`);

export async function measureBatch(opts: { reports: number; log: (line: string) => void }): Promise<BatchResult> {
  const { log } = opts;
  const beneficiaries = 6;
  const assistants = Math.ceil(opts.reports / beneficiaries);
  const programme = benchProgramme("bench-batch");
  const stack = await startBenchStack(START);
  try {
    const seedStarted = performance.now();
    await seedProgramme(programme, assistants, beneficiaries, 600);
    const now = START.toISOString();
    let items: Record<string, unknown>[] = [];
    let written = 0;
    for (let a = 0; a < assistants; a++) {
      for (let b = 0; b < beneficiaries && written < opts.reports; b++, written++) {
        const submitted = submit(signedReport(programme, a, b, 2), { programme, otherVisits: [], order: { orderedMinutes: 600 } }, now);
        items.push(reportVersionItem(submitted), reportItem(approve(submitted, { by: `${programme.id}-approver`, version: 1, contentHash: contentHash(submitted) }, now), 10));
      }
      if (items.length >= 4000) {
        await writeInParallel(items);
        items = [];
        log(`  batch: seeded ${written.toLocaleString("en-US")} approved reports`);
      }
    }
    await writeInParallel(items);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    log(`  batch: ${written.toLocaleString("en-US")} approved reports seeded in ${seedSeconds.toFixed(1)} s`);
    stack.meter.paused = true;

    const env = { ...process.env, ...Object.assign({}, ...stack.app.functions.map((f) => f.environment)) };
    const steps: BatchStep[] = [];
    const alone = async (name: string, event: unknown, what: string): Promise<{ result: any; step: BatchStep }> => {
      const fn = stack.app.functions.find((f) => f.handler === `functions/workflow/${name}.handler`)!;
      const m: ReplayMeasurement = await runAlone({ handler: fn.handler, event, now, functionName: fn.logicalId, timeoutSeconds: fn.timeoutSeconds, fullResult: true }, env);
      const step: BatchStep = { handler: name, what, ms: Math.round(m.ms), peakRssMb: m.sampledPeakRssMb, ok: m.ok, ...(m.error ? { error: m.error } : {}) };
      steps.push(step);
      log(`  batch: ${name} ${what}: ${(m.ms / 1000).toFixed(1)} s, peak ${m.sampledPeakRssMb} MB${m.ok ? "" : ` FAILED ${m.error}`}`);
      if (!m.ok) throw new Error(`${name} ${what}: ${m.error}`);
      return { result: m.result ? JSON.parse(m.result) : undefined, step };
    };
    const wallStarted = performance.now();
    // the machine plans the month (the cycle record build-batch claims against) before anything else
    await alone("plan-month", { programmeId: programme.id, month: BENCH_MONTH }, "the cycle record");
    let batch: any;
    let claims = 0;
    do {
      claims++;
      batch = (await alone("build-batch", { programmeId: programme.id, month: BENCH_MONTH, ...(batch ? { batch } : {}) }, `call ${claims}`)).result;
    } while (batch?.cursor);
    if (!batch?.plan) throw new Error(`build-batch planned no pages: ${JSON.stringify(batch)}`);
    const plan = JSON.parse((await readStoredFile(batch.plan.key)).toString("utf8")) as { page: number; assistantIds: string[] }[];
    log(`  batch: ${plan.length} pages planned`);
    let next = 0;
    await Promise.all(
      [0, 1].map(async () => {
        while (next < plan.length) {
          const page = plan[next++];
          await alone("write-batch-page", { page }, `page ${page.page + 1} of ${plan.length} (${page.assistantIds.length} assistants)`);
        }
      }),
    );
    await alone("assemble-batch", { programmeId: programme.id, month: BENCH_MONTH, batch }, `${plan.length} pages`);
    await alone("send-batch", { programmeId: programme.id, month: BENCH_MONTH, batch }, "the e-mail");
    const wallSeconds = (performance.now() - wallStarted) / 1000;
    const stored = await getBatch(batch.batchId);
    const by = (key: "ms" | "peakRssMb") => steps.reduce((a, b) => (b[key] > a[key] ? b : a));
    return {
      reports: stored.totals?.reports ?? 0,
      assistants,
      seedSeconds: Math.round(seedSeconds * 10) / 10,
      wallSeconds: Math.round(wallSeconds * 10) / 10,
      stepSeconds: Math.round(steps.reduce((s, x) => s + x.ms, 0) / 100) / 10,
      pages: plan.length,
      files: (stored.files ?? []).map((f) => ({ name: f.name, bytes: f.bytes })),
      delivery: stored.delivery,
      steps,
      longest: by("ms"),
      largest: by("peakRssMb"),
    };
  } finally {
    await stack.dispose();
  }
}
