// `npm run bench` (sizes of issue 7) or `npm run bench -- --quick` (CI, < 2 min). Options:
// --reports N (intake), --assistants N (month), --lines N (export), --runs N (core), --concurrency N,
// --batch-reports N (the payment batch alone), --skip a,b (phases: core, export, bundles, intake, month, batch). Writes bench/results.json and bench/RESULTS.md.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { measureBundles } from "./phases/bundles.js";
import { measureCoreCost } from "./phases/core-cost.js";
import { measureExport } from "./phases/export.js";
import { inChild } from "./phases/in-child.js";
import type { IntakeResult } from "./phases/intake.js";
import type { MonthResult } from "./phases/month.js";
import type { BatchResult } from "./phases/batch.js";
import { formatSeconds } from "./progress.js";
import { evaluateTargets, monthCost, renderMarkdown, type BenchResults, type Outcome } from "./report.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const here = resolve(import.meta.dirname);
const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    reports: { type: "string" },
    assistants: { type: "string" },
    lines: { type: "string" },
    runs: { type: "string" },
    concurrency: { type: "string" },
    "batch-reports": { type: "string" },
    skip: { type: "string", default: "" },
    out: { type: "string", default: here },
  },
});
// Created first: a run of half an hour must not end without a place for its results.
mkdirSync(values.out!, { recursive: true });
const quick = values.quick!;
const num = (v: string | undefined, full: number, fast: number) => (v !== undefined ? Number(v) : quick ? fast : full);
const sizes = {
  reports: num(values.reports, 2000, 32),
  assistants: num(values.assistants, 10_000, 5),
  lines: num(values.lines, 100_000, 10_000),
  runs: num(values.runs, 5000, 500),
  concurrency: num(values.concurrency, 16, 16),
  batchReports: num(values["batch-reports"], 60_000, 300),
};
const skip = new Set(values.skip!.split(",").filter(Boolean));
const log = (line: string) => process.stderr.write(`${line}\n`);

async function measure<T>(name: string, work: () => Promise<T> | T): Promise<Outcome<T>> {
  if (skip.has(name)) return { ok: false, reason: "skipped with --skip" };
  log(`▶ ${name}`);
  const started = performance.now();
  try {
    const value = await work();
    const seconds = (performance.now() - started) / 1000;
    log(`✔ ${name} in ${formatSeconds(seconds)}`);
    return { ok: true, value, seconds };
  } catch (error) {
    const seconds = (performance.now() - started) / 1000;
    const reason = `${(error as Error).name}: ${(error as Error).message}`.replace(/\s+/g, " ").slice(0, 400);
    log(`✘ ${name}: ${reason}`);
    return { ok: false, reason, seconds };
  }
}

const startedAt = new Date().toISOString();
const core = await measure("core", () => measureCoreCost({ visits: 60, runs: sizes.runs }));
const exported = await measure("export", () => measureExport(sizes.lines, (step) => log(`  export: ${step}`)));
const bundles = await measure("bundles", () => measureBundles("prod"));
const intake = await measure("intake", () => inChild<IntakeResult>("intake", { reports: sizes.reports, concurrency: sizes.concurrency }));
const month = await measure("month", () => inChild<MonthResult>("month", { assistants: sizes.assistants, concurrency: sizes.concurrency }));
const batch = await measure("batch", () => inChild<BatchResult>("batch", { reports: sizes.batchReports }));
const cost: BenchResults["cost"] =
  month.ok && intake.ok
    ? { ok: true, value: monthCost(month.value, intake.value, bundles.ok ? bundles.value : undefined), seconds: 0 }
    : { ok: false, reason: `needs the month and the intake (${[month, intake].filter((o) => !o.ok).map((o) => (o.ok ? "" : o.reason)).join("; ")})` };

const cpu = cpus();
const partial: Omit<BenchResults, "targets"> = {
  startedAt,
  finishedAt: new Date().toISOString(),
  mode: quick ? "quick" : "full",
  command: ["npm run bench", ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : [])].join(" "),
  machine: { cpus: cpu.length, cpuModel: cpu[0]?.model ?? "unknown", memoryGb: Math.round(totalmem() / 1024 ** 3), node: process.version, platform: process.platform },
  sizes,
  core,
  export: exported,
  bundles,
  intake,
  month,
  batch,
  cost,
};
const results: BenchResults = { ...partial, targets: evaluateTargets(partial) };
writeFileSync(join(values.out!, "results.json"), JSON.stringify(results, null, 2));
writeFileSync(join(values.out!, "RESULTS.md"), renderMarkdown(results) + "\n");
log(`\n${results.targets.map((t) => `${t.status.padEnd(12)} ${t.target}`).join("\n")}`);
log(`\nwrote ${join(values.out!, "results.json")} and RESULTS.md`);
// Targets are reported, not asserted; but a phase or a step that failed (an error, not a missed
// target) means the benchmark is broken, and CI's --quick run must say so (exit 1).
const failures = [
  ...Object.entries({ core, export: exported, bundles, intake, month, batch }).filter(([, o]) => !o.ok && o.reason !== "skipped with --skip").map(([name, o]) => `${name}: ${o.ok ? "" : o.reason}`),
  ...(month.ok && month.value.isolatedError ? [`steps alone: ${month.value.isolatedError}`] : []),
  ...(month.ok ? (month.value.isolated?.steps ?? []).filter((s) => s.alone && !s.alone.ok).map((s) => `alone ${s.handler}: ${s.alone!.error}`) : []),
];
if (failures.length) log(`
benchmark broken — ${failures.length} failure(s):
${failures.map((f) => `  ${f}`).join("\n")}`);
// Handles left by libraries must not keep it alive.
process.exit(failures.length ? 1 : 0);
