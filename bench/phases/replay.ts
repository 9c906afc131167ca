// "Steps run alone": after the month, the heaviest invocation of each workflow step is run again
// in its own Node process against the month's data, so its wall time and memory are its own —
// in the month every handler shares one process with dynalite, the engine and SES, with
// hundreds of tasks in flight on the machine's cores.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DeleteCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { batchLines, getBatch } from "../../functions/adapters/batches.js";
import { documentClient, getItem, tableName, type Item } from "../../functions/adapters/dynamo.js";
import { keys, outboxKeys } from "../../functions/adapters/keys.js";
import { peopleByProgrammeRole } from "../../functions/adapters/people.js";
import { getProgramme } from "../../functions/adapters/programmes.js";
import { getReportVersion } from "../../functions/adapters/reports.js";
import { cycleName } from "../../functions/core/cycle.js";
import { pool } from "../progress.js";
import type { BenchStack } from "../stack.js";
import type { ReplayMeasurement, ReplaySpec } from "./replay-child.js";

const root = resolve(import.meta.dirname, "..", "..");

/** One invocation of the month kept for the replay. */
export interface RecordedInvocation {
  logicalId: string;
  handler: string;
  /** The event as the handler received it (JSON). */
  event: string;
  /** Virtual instant at the invocation's start. */
  now: string;
  /** Its wall time in the month (in-process, queueing included). */
  ms: number;
  /** Its reply (JSON, cut to 300 characters). */
  result: string;
  /** How much work the reply says it did, where a reply says so (reports in a built batch); 0 otherwise. */
  weight: number;
}

/** Work a reply reports, for the steps whose longest call need not be the largest. */
export function replyWeight(handler: string, result: unknown): number {
  const r = result as { totals?: { reports?: number } } | null;
  if (handler === "functions/workflow/build-batch.handler") return r?.totals?.reports ?? 0;
  return 0;
}

/** Whether `candidate` should replace `kept` as the step's invocation to replay: more work by its reply, then longer. */
export function heavier(candidate: Pick<RecordedInvocation, "weight" | "ms">, kept: Pick<RecordedInvocation, "weight" | "ms"> | undefined): boolean {
  if (!kept) return true;
  if (candidate.weight !== kept.weight) return candidate.weight > kept.weight;
  return candidate.ms > kept.ms;
}

/**
 * Keeps, per function, the input of its heaviest successful invocation (see `heavier`), by
 * wrapping the local Lambda runtime's `invoke` from the bench side (the engine and the scheduler
 * call it through the instance).
 */
export function recordInvocations(stack: BenchStack): Map<string, RecordedInvocation> {
  const kept = new Map<string, RecordedInvocation>();
  const lambda = stack.lambda;
  const original = lambda.invoke.bind(lambda);
  lambda.invoke = (arn: string, event: unknown) => {
    const now = stack.clock.now().toISOString();
    const started = performance.now();
    const running = original(arn, event);
    running.then(
      (result) => {
        const ms = performance.now() - started;
        const fn = lambda.find(arn);
        const candidate = { ms, weight: replyWeight(fn.handler, result) };
        if (!heavier(candidate, kept.get(fn.logicalId))) return;
        kept.set(fn.logicalId, { logicalId: fn.logicalId, handler: fn.handler, event: JSON.stringify(event ?? {}), now, result: JSON.stringify(result ?? null).slice(0, 300), ...candidate });
      },
      () => {},
    );
    return running;
  };
  return kept;
}

export interface IsolatedStep {
  handler: string;
  /** Invocations of the function in the month, its mean and max wall time there (in-process). */
  month: { invocations: number; avgMs: number; maxMs: number };
  /** The replayed invocation's wall time in the month. */
  inMonthMs: number;
  virtualNow: string;
  /** The input replayed (JSON, cut). */
  input: string;
  /** What the input amounts to, e.g. "batch of 1,183 reports". */
  size: string;
  /** Its reply in the month. */
  monthResult: string;
  /** What was set back before the replay so that it redoes the month's work (restored afterwards), or why nothing was. */
  rewound: string;
  /** Why the step was not run again. */
  skipped?: string;
  /** The replay could not redo all of the month's work (e.g. the approvals it would remind about are decided). */
  lighter?: boolean;
  alone?: ReplayMeasurement & {
    /** max(sampled peak, high-water mark): the process's peak RSS. */
    peakRssMb: number;
    /** peakRssMb − RSS right before the call. */
    callRssMb: number;
  };
}

export interface IsolatedReplay {
  steps: IsolatedStep[];
  seconds: number;
}

/** The steps of the monthly cycle and the approval, in the order they run. */
const STEPS = [
  "plan-month",
  "remind-assistants",
  "close-intake",
  "ask-approver",
  "remind-approver",
  "finish-approval",
  "check-decisions",
  "build-batch",
  "write-batch-page",
  "assemble-batch",
  "send-batch",
  "notify-assistants",
] as const;

interface Rewind {
  /** Items read before and written back after the replay (absent ones deleted again). */
  keys: { pk: string; sk: string }[];
  apply?: () => Promise<void>;
  note: string;
  lighter?: boolean;
}

const cut = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const fmtInt = (n: number) => n.toLocaleString("en-US");

/**
 * Runs each step's recorded invocation again, one at a time, in a child process (bench/phases/replay-child.ts)
 * with the function's environment and the original virtual now, against the month's still-running
 * stack. Call only after the month's figures are collected: replays write (idempotently) to the
 * table and send e-mails again. What a step's first run consumed (an outbox record, a batch's
 * status) is set back first so it redoes the work, and put back as it was afterwards.
 */
export async function replaySteps(stack: BenchStack, recorded: Map<string, RecordedInvocation>, log: (line: string) => void): Promise<IsolatedReplay> {
  const started = performance.now();
  const steps: IsolatedStep[] = [];
  stack.meter.paused = true;
  try {
    for (const name of STEPS) {
      const handler = `functions/workflow/${name}.handler`;
      const fn = stack.app.functions.find((f) => f.handler === handler);
      const rec = fn && recorded.get(fn.logicalId);
      const stats = fn && stack.lambda.invocations.get(fn.logicalId);
      if (!fn || !rec || !stats?.count) continue; // did not run in the month
      const event = JSON.parse(rec.event);
      let result: unknown = null;
      try {
        result = JSON.parse(rec.result);
      } catch {
        // cut reply: not needed beyond the weight already taken
      }
      const step: IsolatedStep = {
        handler,
        month: { invocations: stats.count, avgMs: stats.totalMs / stats.count, maxMs: stats.maxMs },
        inMonthMs: rec.ms,
        virtualNow: rec.now,
        input: cut(rec.event),
        size: await describe(name, event, result),
        monthResult: cut(rec.result),
        rewound: "",
      };
      steps.push(step);
      if (name === "ask-approver") {
        step.rewound = "—";
        step.skipped =
          "callback-token step: run again it would register the finished execution's token on the decided approval and complete the task with it (SendTaskSuccess on a closed execution); a fresh pending approval would need a new submitted report version";
        log(`  alone: ${name} skipped (callback token)`);
        continue;
      }
      const rewind = await rewindFor(name, event, result);
      step.rewound = rewind.note;
      if (rewind.lighter) step.lighter = true;
      const snapshot = await Promise.all(rewind.keys.map(async (key) => ({ key, item: await getItem(key) })));
      try {
        await rewind.apply?.();
        log(`  alone: ${name} (${step.size}) …`);
        // The environment the local stack gives its functions: in-process they share one, the union
        // of the template's variables with the stack's own (endpoints, local secrets) on top.
        const measured = await runAlone({ handler, event, now: rec.now, functionName: fn.logicalId, timeoutSeconds: fn.timeoutSeconds }, { ...fn.environment, ...process.env });
        // The sampled peak only: getrusage's maxRSS of a child exec'd from this (large) process
        // starts at the parent's RSS on Linux — a 0.06 s plan-month "peaked" at 521 MB that way.
        const peak = measured.sampledPeakRssMb;
        step.alone = { ...measured, peakRssMb: peak, callRssMb: Math.round((peak - measured.baselineRssMb) * 10) / 10 };
        log(`  alone: ${name} ${measured.ok ? "" : `failed (${measured.error}) `}${(measured.ms / 1000).toFixed(2)} s, peak RSS ${peak} MB (+${step.alone.callRssMb} MB over ${measured.baselineRssMb} MB)`);
      } finally {
        await restore(snapshot);
      }
    }
  } finally {
    stack.meter.paused = false;
  }
  return { steps, seconds: Math.round((performance.now() - started) / 100) / 10 };
}

async function describe(name: (typeof STEPS)[number], event: any, result: any): Promise<string> {
  try {
    switch (name) {
      case "build-batch":
        return result?.totals ? `batch of ${fmtInt(result.totals.reports)} reports` : "no batch to build";
      case "write-batch-page":
        return `page ${(event.page?.page ?? 0) + 1} of the batch (${fmtInt(event.page?.assistantIds?.length ?? 0)} assistants)`;
      case "assemble-batch":
      case "send-batch":
      case "notify-assistants": {
        const batch = await getBatch(event.batch.batchId);
        return `batch of ${fmtInt(batch.totals?.reports ?? 0)} reports`;
      }
      case "remind-assistants":
      case "close-intake": {
        const assistants = (await peopleByProgrammeRole(event.programmeId, "assistant")).length;
        return `${fmtInt(assistants)} assistants of the programme, from ${event.page?.cursor ? "a later page" : "the first page"}${name === "remind-assistants" ? ` (reminder ${event.reminder?.id})` : ""}`;
      }
      case "check-decisions":
        return "the programme's month (counts, batches, approvers' digests)";
      case "plan-month":
        return "one cycle";
      case "remind-approver":
        return `one approval (reminder ${(event.approval?.attempt ?? 0) + 1})`;
      case "ask-approver":
        return "one approval";
      default: {
        const version = await getReportVersion(event.reportId, event.version);
        return `one report of ${version.visits.length} visits`;
      }
    }
  } catch (error) {
    return `(size unknown: ${(error as Error).message.slice(0, 80)})`;
  }
}

async function rewindFor(name: (typeof STEPS)[number], event: any, result: any): Promise<Rewind> {
  const outbox = (key: string) => keys.outbox(key);
  const drop = (list: { pk: string; sk: string }[]) => async (): Promise<void> => {
    await pool(list, 8, (key) => documentClient().send(new DeleteCommand({ TableName: tableName(), Key: key })));
  };
  const setStatus = (batchId: string, status: string) => () =>
    documentClient()
      .send(
        new UpdateCommand({
          TableName: tableName(),
          Key: keys.batchById(batchId),
          UpdateExpression: "SET #s = :s",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: { ":s": status },
        }),
      )
      .then(() => undefined);
  switch (name) {
    case "send-batch": {
      const id = event.batch.batchId as string;
      const mail = outbox(outboxKeys.batchToFinance(id));
      return {
        keys: [keys.batchById(id), mail],
        apply: async () => {
          await setStatus(id, "ready")();
          await drop([mail])();
        },
        note: "batch set back to ready and its outbox record removed: the stored files read from S3 and e-mailed again",
      };
    }
    case "assemble-batch": {
      const batchKey = keys.batchById(event.batch.batchId as string);
      return {
        keys: [batchKey],
        // without the recorded files the step joins the pages again (same keys, same bytes)
        apply: () =>
          documentClient()
            .send(new UpdateCommand({ TableName: tableName(), Key: batchKey, UpdateExpression: "REMOVE #files", ExpressionAttributeNames: { "#files": "files" } }))
            .then(() => undefined),
        note: "the batch's recorded files removed: the stored pages joined again and streamed into S3 under the same keys",
      };
    }
    case "write-batch-page":
      return { keys: [], note: "none: a page is written again under the same keys, with the same bytes" };
    case "build-batch": {
      if (!result?.batchId) return { keys: [], note: "none (the reply built no batch)" };
      return {
        keys: [keys.batchById(result.batchId), keys.cycle(event.programmeId, event.month)],
        apply: setStatus(result.batchId, "building"),
        note: "batch set back to building: every approved report read again, found claimed by this batch, its line rewritten, totals summed",
      };
    }
    case "remind-assistants": {
      const assistants = await peopleByProgrammeRole(event.programmeId, "assistant");
      const mails = assistants.map((a) => outbox(outboxKeys.assistantReminder(cycleName(event.programmeId, event.month), event.reminder.id, a.id)));
      return {
        keys: mails,
        apply: drop(mails),
        note: "the reminder's outbox records removed: assistants owing a report at the replay are e-mailed again (reports submitted after the reminder no longer count)",
      };
    }
    case "close-intake": {
      const programme = await getProgramme(event.programmeId);
      const mails = programme.coordinatorIds.map((c) => outbox(outboxKeys.intakeSummary(cycleName(programme.id, event.month), c)));
      return {
        keys: [...mails, keys.cycle(programme.id, event.month)],
        apply: drop(mails),
        note: "the coordinators' summary outbox records removed (sent again on the last page); overdue marks exist, so their conditional writes fail instead",
      };
    }
    case "finish-approval": {
      if (event.decision?.outcome !== "returned") return { keys: [], note: "none: an approval's finish only checks the report carries the decision (no e-mail)" };
      const mail = outbox(outboxKeys.returnedReport(event.reportId, event.version));
      return { keys: [mail], apply: drop([mail]), note: "its outbox record removed: the e-mail is sent again" };
    }
    case "notify-assistants": {
      const assistantIds = new Set<string>();
      for await (const line of batchLines(event.batch.batchId)) assistantIds.add(line.assistantId);
      const mails = [...assistantIds].map((a) => outbox(outboxKeys.paymentSummary(event.batch.batchId, a)));
      return { keys: mails, apply: drop(mails), note: "the batch's payment-summary outbox records removed: its assistants are e-mailed again" };
    }
    case "check-decisions":
      return {
        keys: [keys.cycle(event.programmeId, event.month)],
        note: "none: the approvals have been decided since, so no digest is due (not rewindable without undoing decisions); the cycle record it updates is put back",
        // Less work alone only if approvals were waiting when it ran in the month.
        lighter: (result?.waiting ?? 0) > 0 || (result?.remindedApprovers ?? 0) > 0,
      };
    case "remind-approver":
      return { keys: [], lighter: true, note: "none: the approval has been decided since, so the step only reads it and e-mails nobody (not rewindable without undoing the decision)" };
    default:
      return { keys: [], note: "none: its record exists, the conditional create fails as on any re-run" };
  }
}

async function restore(snapshot: { key: { pk: string; sk: string }; item: Item | undefined }[]): Promise<void> {
  await pool(snapshot, 8, async ({ key, item }) => {
    if (item) await documentClient().send(new PutCommand({ TableName: tableName(), Item: item }));
    else await documentClient().send(new DeleteCommand({ TableName: tableName(), Key: key }));
  });
}

/** Spawns replay-child.ts and waits for its measurement (killed after the function's timeout plus a minute). */
export async function runAlone(spec: ReplaySpec, env: NodeJS.ProcessEnv): Promise<ReplayMeasurement> {
  const dir = mkdtempSync(join(tmpdir(), "karta-bench-replay-"));
  const out = join(dir, "result.json");
  try {
    const code = await new Promise<number | null>((done, fail) => {
      const child = spawn(process.execPath, ["--import", "tsx", join(root, "bench/phases/replay-child.ts"), JSON.stringify(spec), out], {
        cwd: root,
        stdio: ["ignore", "ignore", "inherit"],
        env: { ...env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
        timeout: (spec.timeoutSeconds + 60) * 1000,
      });
      child.once("error", fail);
      child.once("exit", done);
    });
    try {
      return JSON.parse(readFileSync(out, "utf8")) as ReplayMeasurement;
    } catch {
      throw new Error(`the replay of ${spec.handler} exited with code ${code} without a result`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

