import { applyDecision } from "../../functions/api/lib/decision.js";
import { approvalItem, getApproval } from "../../functions/adapters/approvals.js";
import { startNamedExecution } from "../../functions/adapters/sfn.js";
import { approvalExecution, approvalId, newApproval } from "../../functions/core/approval.js";
import { reportDeadline, reminderInstants } from "../../functions/core/calendar.js";
import { contentHash, submit } from "../../functions/core/report.js";
import { benchProgramme, BENCH_MONTH, signedReport } from "../data.js";
import type { DynamoUsage } from "../dynamo-meter.js";
import { pool, progress } from "../progress.js";
import { reportItem, reportVersionItem, seedProgramme, writeInParallel } from "../seed.js";
import { startBenchStack, type BenchStack } from "../stack.js";
import { mb, round } from "../stats.js";
import { recordInvocations, replaySteps, type IsolatedReplay } from "./replay.js";

export interface MonthPhase {
  name: string;
  seconds: number;
  /** Peak RSS of the whole local stack process (dynalite, engine, handlers) while the phase ran. */
  peakRssMb: number;
  note?: string;
}

export interface MonthResult {
  assistants: number;
  beneficiariesPerAssistant: number;
  reports: number;
  submitted: number;
  approved: number;
  returned: number;
  missing: number;
  /** Wall time from the cycle's start to "Month settled" (set-up excluded). */
  seconds: number;
  setupSeconds: number;
  phases: MonthPhase[];
  cycleStatus: string;
  largestHistory: { monthlyCycle: number; reportApproval: number };
  stateTransitions: { monthlyCycle: number; reportApproval: number; total: number };
  executions: { monthlyCycle: number; reportApproval: number };
  /** Demo programmes' cycles the template's schedules started (not seeded: they fail at once; excluded above). */
  otherCycleExecutions: number;
  longestTask: { name: string; ms: number };
  peakRssMb: number;
  emails: { total: number; bySubjectKind: Record<string, number>; attachmentBytes: number };
  lambda: { name: string; handler: string; invocations: number; avgMs: number; maxMs: number }[];
  dynamo: DynamoUsage & { bySource: Record<string, DynamoUsage> };
  batches: number;
  /** Peak RSS of the month's process over its whole life (getrusage), set by the child runner. */
  processMaxRssMb?: number;
  /** Mean wall time of one applyDecision call (16 in flight), for the decision endpoint's Lambda cost. */
  decisionAvgMs: number;
  /** CPU seconds (user + system) of the whole local stack process from the cycle's start to the end: every handler, dynalite, the engine, SES. */
  cpuSeconds: number;
  /** The heaviest invocation of each workflow step run again alone in its own process, after the month's figures were taken. */
  isolated?: IsolatedReplay;
  /** Why the steps were not run alone. */
  isolatedError?: string;
}

const WARSAW_MIDNIGHT = "2026-10-31T23:00:00.000Z";

class RssSampler {
  peak = 0;
  private timer = setInterval(() => this.sample(), 100);
  sample() {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }
  stop() {
    this.sample();
    clearInterval(this.timer);
    return this.peak;
  }
}

/**
 * A whole month of a synthetic programme on the local stack with the virtual clock: plan →
 * reminders (reports submitted in waves between them) → close of intake → every submitted report
 * decided through applyDecision (the function both approval endpoints use) → daily checks →
 * payment batch e-mailed to finance → watching until the cycle settles.
 */
export async function measureMonth(opts: { assistants: number; beneficiaries?: number; visits?: number; concurrency: number; log: (line: string) => void }): Promise<MonthResult> {
  const beneficiaries = opts.beneficiaries ?? 6;
  const visits = opts.visits ?? 6;
  const reports = opts.assistants * beneficiaries;
  const setupStarted = performance.now();
  const stack = await startBenchStack(new Date(WARSAW_MIDNIGHT));
  try {
    const programme = benchProgramme("bench-national");
    const setupBar = progress("month set-up", reports * 2 + opts.assistants * 2 + 5);
    await seedProgramme(programme, opts.assistants, beneficiaries, visits * 60, setupBar);
    setupBar.done();
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    stack.meter.take();
    for (const stats of stack.lambda.invocations.values()) Object.assign(stats, { count: 0, totalMs: 0, maxMs: 0 });
    const recorded = recordInvocations(stack);

    const phases: MonthPhase[] = [];
    const phase = async <T>(name: string, work: () => Promise<T>, note?: string): Promise<T> => {
      const sampler = new RssSampler();
      const started = performance.now();
      const result = await work();
      phases.push({ name, seconds: round((performance.now() - started) / 1000, 2), peakRssMb: mb(sampler.stop()), ...(note ? { note } : {}) });
      return result;
    };
    const monthStarted = performance.now();
    const cpuAtStart = process.cpuUsage();

    // Which reports are submitted before which reminder: 60 %, 35 %, 4 %; 1 % never (overdue at the close).
    const all = Array.from({ length: reports }, (_, i) => i);
    const waves = [0.6, 0.35, 0.04];
    const cut = (share: number) => Math.floor(reports * share);
    const waveOf: number[][] = [];
    let from = 0;
    for (const share of waves) {
      const to = from + cut(share);
      waveOf.push(all.slice(from, to));
      from = to;
    }
    const missing = reports - from;

    const reminders = reminderInstants(BENCH_MONTH, programme);
    const deadline = reportDeadline(BENCH_MONTH, programme);
    const startCycle = stack.app.functions.find((f) => f.handler === "functions/workflow/start-cycle.handler");
    if (!startCycle) throw new Error("no start-cycle function in the template");
    await phase("plan the month", async () => {
      await stack.lambda.invoke(startCycle.arn, { programmeId: programme.id, month: BENCH_MONTH });
      await stack.sfn.idle();
    });

    let submitted = 0;
    for (const [w, wave] of waveOf.entries()) {
      const reminder = reminders[w];
      // Submissions arrive the day before the reminder, during working hours.
      const at = new Date(Date.parse(reminder?.at ?? deadline.instant) - 20 * 3600_000);
      if (at.getTime() > stack.clock.now().getTime()) stack.clock.set(at);
      await phase(`submissions wave ${w + 1} (${wave.length} reports: stored in bulk, approval executions started)`, () => submitWave(stack, programme, wave, beneficiaries, visits, opts.concurrency));
      submitted += wave.length;
      if (reminder) {
        await phase(`reminder ${reminder.id}`, async () => {
          stack.clock.set(new Date(reminder.at));
          await watched(stack, `reminder ${reminder.id} (pages of assistants)`, "remind-assistants", Math.ceil(opts.assistants / ASSISTANTS_PER_PAGE));
        });
      }
    }
    await phase("close intake", async () => {
      stack.clock.set(new Date(Date.parse(deadline.instant) + 1000));
      await watched(stack, "close intake (pages of assistants)", "close-intake", Math.ceil(opts.assistants / ASSISTANTS_PER_PAGE));
    });

    // Decisions: one report in 200 is returned (the assistant is told), the rest approved.
    const decided = all.slice(0, submitted);
    let returned = 0;
    let decisionMs = 0;
    await phase(`decisions (${decided.length}, through applyDecision)`, async () => {
      const bar = progress("decisions", decided.length);
      const chunk = 500;
      for (let i = 0; i < decided.length; i += chunk) {
        await pool(
          decided.slice(i, i + chunk),
          opts.concurrency,
          async (n) => {
            const a = Math.floor(n / beneficiaries);
            const b = n % beneficiaries;
            const report = signedReport(programme, a, b, visits);
            const stored = await getApproval(approvalId(report.id, 1));
            const ret = n % 200 === 199;
            if (ret) returned++;
            const t = performance.now();
            await applyDecision(stored, ret ? { outcome: "return", reason: "Proszę poprawić godziny wizyty 3." } : { outcome: "approve" }, { by: programme.approverIds[0], via: "bench" }, stack.clock.now());
            decisionMs += performance.now() - t;
          },
          bar,
        );
        await stack.sfn.idle();
      }
      bar.done();
    });

    const cycleName = `cycle-${programme.id}-${BENCH_MONTH}`;
    const cycleArn = stack.sfn.listExecutions({ stateMachineArn: process.env.CYCLE_STATE_MACHINE_ARN!, maxResults: 1000 }).executions.find((e) => e.name === cycleName)?.executionArn;
    if (!cycleArn) throw new Error(`the monthly cycle ${cycleName} did not start`);
    let batches = 0;
    await phase("daily checks → payment batch → e-mail to finance", async () => {
      // One virtual day at a time until the first batch is sent.
      for (let day = 0; day < 40 && batches === 0; day++) {
        stack.clock.advance(24 * 3600_000);
        await stack.sfn.idle();
        batches = stack.lambda.invocations.get(logicalIdOf(stack, "send-batch"))?.count ?? 0;
      }
    });
    await phase("watching until the cycle settles", async () => {
      for (let day = 0; day < 120 && stack.sfn.describeExecution({ executionArn: cycleArn }).status === "RUNNING"; day++) {
        stack.clock.advance(24 * 3600_000);
        await stack.sfn.idle();
      }
    });
    const seconds = (performance.now() - monthStarted) / 1000;
    const cpu = process.cpuUsage(cpuAtStart);
    const cycleStatus = stack.sfn.describeExecution({ executionArn: cycleArn }).status;

    const stats = stack.sfn.stats();
    // The template's schedules also start the demo programmes' cycles as the clock passes the 1st;
    // they fail at once (not seeded here): their transitions are taken out of the cycle's figures.
    const otherCycles = stack.sfn
      .listExecutions({ stateMachineArn: process.env.CYCLE_STATE_MACHINE_ARN!, maxResults: 1000 })
      .executions.filter((e) => e.executionArn !== cycleArn);
    const enteredStates = (arn: string) => stack.sfn.getExecutionHistory({ executionArn: arn, maxResults: 100_000 }).events.filter((e) => /StateEntered$|StateRetried$/.test(String(e.type))).length;
    const otherTransitions = otherCycles.reduce((sum, e) => sum + enteredStates(e.executionArn), 0);
    const cycleHistory = stack.sfn.getExecutionHistory({ executionArn: cycleArn, maxResults: 100_000 }).events.length;
    const machine = (name: string) => stats.stateMachines.find((m) => m.name.startsWith(name) || m.stateMachineArn.includes(`:${name}`));
    const cycleStats = machine("MonthlyCycle");
    const approvalStats = machine("ReportApproval");
    const handlers = new Map(stack.lambda.functions.map((f) => [f.logicalId, f.handler]));
    const lambda = [...stack.lambda.invocations]
      .filter(([, s]) => s.count > 0)
      .map(([name, s]) => ({ name, handler: handlers.get(name) ?? "", invocations: s.count, avgMs: round(s.totalMs / s.count, 2), maxMs: round(s.maxMs, 1) }));
    const longest = lambda.reduce((m, f) => (f.maxMs > m.ms ? { name: f.handler || f.name, ms: f.maxMs } : m), { name: "", ms: 0 });
    const emails = await inbox(stack);
    const result: MonthResult = {
      assistants: opts.assistants,
      beneficiariesPerAssistant: beneficiaries,
      reports,
      submitted,
      approved: submitted - returned,
      returned,
      missing,
      seconds: round(seconds, 1),
      setupSeconds: round(setupSeconds, 1),
      phases,
      cycleStatus,
      largestHistory: { monthlyCycle: cycleHistory, reportApproval: approvalStats?.largestHistory ?? 0 },
      stateTransitions: {
        monthlyCycle: (cycleStats?.stateTransitions ?? 0) - otherTransitions,
        reportApproval: approvalStats?.stateTransitions ?? 0,
        total: (cycleStats?.stateTransitions ?? 0) - otherTransitions + (approvalStats?.stateTransitions ?? 0),
      },
      executions: { monthlyCycle: (cycleStats?.executions ?? 0) - otherCycles.length, reportApproval: approvalStats?.executions ?? 0 },
      otherCycleExecutions: otherCycles.length,
      longestTask: longest,
      peakRssMb: Math.max(...phases.map((p) => p.peakRssMb)),
      emails,
      lambda,
      dynamo: stack.meter.take(),
      batches,
      decisionAvgMs: round(decisionMs / Math.max(1, decided.length), 1),
      cpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
    };
    // Only now, with every figure of the month taken: the replays write (idempotently) and e-mail again.
    opts.log("steps run alone (each in its own process, against the month's data):");
    try {
      result.isolated = await replaySteps(stack, recorded, opts.log);
    } catch (error) {
      result.isolatedError = `${(error as Error).name}: ${(error as Error).message}`.slice(0, 300);
      opts.log(`  steps alone failed: ${result.isolatedError}`);
    }
    return result;
  } finally {
    await stack.dispose();
  }
}

/** functions/adapters/cycles.ts assistantsPage's default page size (for the progress bar only). */
const ASSISTANTS_PER_PAGE = 50;

/** Waits for the engine to go idle while a progress bar follows the invocations of one paginated step. */
async function watched(stack: BenchStack, label: string, handler: string, expected: number): Promise<void> {
  const id = logicalIdOf(stack, handler);
  const count = () => stack.lambda.invocations.get(id)?.count ?? 0;
  const before = count();
  const bar = progress(label, Math.max(1, expected));
  const timer = setInterval(() => bar.tick(Math.min(expected, count() - before)), 500);
  try {
    await stack.sfn.idle();
  } finally {
    clearInterval(timer);
    bar.done(`${count() - before} invocations`);
  }
}

function logicalIdOf(stack: BenchStack, handler: string): string {
  return stack.app.functions.find((f) => f.handler === `functions/workflow/${handler}.handler`)?.logicalId ?? "";
}

/** Stores a wave of submitted reports in bulk (as the submit endpoint leaves them), then starts their approvals through the same adapter call. */
async function submitWave(stack: BenchStack, programme: ReturnType<typeof benchProgramme>, wave: number[], beneficiaries: number, visits: number, concurrency: number) {
  const now = stack.clock.now().toISOString();
  const items: Record<string, unknown>[] = [];
  const started: ReturnType<typeof approvalExecution>[] = [];
  for (const n of wave) {
    const a = Math.floor(n / beneficiaries);
    const b = n % beneficiaries;
    const report = submit(signedReport(programme, a, b, visits), { programme, otherVisits: [], order: { orderedMinutes: visits * 60 } }, now);
    // what the submission's transaction writes: report, version, pending approval (the audit event is left out)
    items.push(reportVersionItem(report), reportItem(report, visits + 4), approvalItem(newApproval({ ...report, contentHash: contentHash(report) }, new Date(now))));
    started.push(approvalExecution(report, programme));
  }
  const writeBar = progress("  store submitted reports (bulk)", items.length);
  stack.meter.paused = true; // bulk set-up writes are not the month's usage (intake is measured through the API)
  try {
    await writeInParallel(items, writeBar);
  } finally {
    stack.meter.paused = false;
  }
  writeBar.done();
  const bar = progress("  approval executions", started.length);
  const chunk = 250;
  for (let i = 0; i < started.length; i += chunk) {
    await pool(started.slice(i, i + chunk), concurrency, (e) => startNamedExecution("APPROVAL_STATE_MACHINE_ARN", e.name, e.input));
    await stack.sfn.idle();
    bar.tick(Math.min(started.length, i + chunk));
  }
  bar.done();
}

async function inbox(stack: BenchStack): Promise<MonthResult["emails"]> {
  const response = await fetch(`${stack.sesEndpoint}/store`);
  const { emails } = (await response.json()) as { emails: { subject: string; attachments?: { size: number }[] }[] };
  const bySubjectKind: Record<string, number> = {};
  let attachmentBytes = 0;
  for (const e of emails) {
    const kind = e.subject.replace(/[0-9]+/g, "#").replace(/\s+/g, " ").slice(0, 60);
    bySubjectKind[kind] = (bySubjectKind[kind] ?? 0) + 1;
    for (const a of e.attachments ?? []) attachmentBytes += a.size ?? 0;
  }
  return { total: emails.length, bySubjectKind, attachmentBytes };
}
