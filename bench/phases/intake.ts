import { openSession } from "../../functions/api/lib/session.js";
import { findReport } from "../../functions/adapters/reports.js";
import { benchProgramme, benchVisits, BENCH_MONTH, beneficiaryCode, PNG } from "../data.js";
import { marshalLike, type DynamoUsage } from "../dynamo-meter.js";
import { pool, progress } from "../progress.js";
import { seedProgramme, reportItem } from "../seed.js";
import { startBenchStack } from "../stack.js";
import { median, percentile, round } from "../stats.js";
import { rawPutBaseline, type ThroughputResult } from "./raw-put.js";

export interface IntakeResult {
  reports: number;
  concurrency: number;
  visitsPerReport: number;
  /** POST …/submit of drafted, signed reports: what the target compares with the raw baseline. */
  submit: ThroughputResult & { dynamoRequestsPerSubmission: number; dynamoRequestsBySource: Record<string, number> };
  /** The whole flow per report: create the draft, add the visits, both signatures, submit. */
  flow: { seconds: number; reportsPerSecond: number; httpRequests: number; requestMedianMs: number; requestP99Ms: number };
  /** Raw PutItem of the same report items to the same dynalite. */
  raw: ThroughputResult;
  /** submit.perSecond ÷ raw.perSecond. */
  ratio: number;
  flowRatio: number;
  /**
   * CPU seconds (user + system) of the process during drafts and submissions: the API handlers,
   * dynalite, the HTTP layer, the bench's own client, and the approval tasks the submissions
   * started — an upper bound of the API handlers' own CPU.
   */
  cpuSeconds: number;
  /** Per report, for the cost model: HTTP API requests and the API's DynamoDB usage (workflow excluded). */
  perReport: { apiRequests: number; dynamoRequests: number; readRequestUnits: number; writeRequestUnits: number; storageBytesAdded: number };
  /** Per API function: invocations and mean duration (ms), for the cost model. */
  apiLambda: { name: string; handler: string; invocations: number; avgMs: number }[];
  approvalsSettledSeconds: number;
  /** DynamoDB usage per report by the handler that caused it, drafts and submissions together. */
  dynamoPerReportBySource: Record<string, { requests: number; readRequestUnits: number; writeRequestUnits: number; byOperation: Record<string, number> }>;
  failures: string[];
}

class HttpError extends Error {}

/** Submits `reports` generated valid reports through the local HTTP API, `concurrency` in flight. */
export async function measureIntake(opts: { reports: number; concurrency: number; visits?: number; log: (line: string) => void }): Promise<IntakeResult> {
  const visitsPerReport = opts.visits ?? 6;
  const stack = await startBenchStack(new Date("2026-11-30T10:00:00.000Z"));
  try {
    const programme = benchProgramme("bench-intake");
    const assistants = Math.ceil(opts.reports / 6);
    const setupBar = progress("intake set-up", assistants * 14 + 5);
    await seedProgramme(programme, assistants, 6, visitsPerReport * 60, setupBar);
    setupBar.done();
    const cookies = new Map<number, string>();
    for (let a = 0; a < assistants; a++) cookies.set(a, (await openSession(`${programme.id}-a${String(a).padStart(6, "0")}`, stack.clock.now())).split(";")[0]);
    stack.meter.take();
    for (const stats of stack.lambda.invocations.values()) Object.assign(stats, { count: 0, totalMs: 0, maxMs: 0 });

    const latencies: number[] = [];
    let httpRequests = 0;
    const failures: string[] = [];
    const call = async (cookie: string, method: string, path: string, body?: unknown, rev?: number) => {
      const started = performance.now();
      const response = await fetch(`${stack.appUrl}${path}`, {
        method,
        headers: { cookie, "content-type": "application/json", ...(rev !== undefined ? { "if-match": `"${rev}"` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      latencies.push(performance.now() - started);
      httpRequests++;
      if (!response.ok) throw new HttpError(`${method} ${path} → ${response.status} ${text.slice(0, 300)}`);
      return JSON.parse(text) as { report: { id: string }; rev: number; contentHash: string };
    };
    const ids = Array.from({ length: opts.reports }, (_, i) => i);

    // 1. Drafts: create, visits, signatures.
    const draftBar = progress("intake drafts (HTTP)", opts.reports);
    const draftStarted = performance.now();
    const cpuAtStart = process.cpuUsage();
    const drafted = await pool(
      ids,
      opts.concurrency,
      async (i) => {
        const a = Math.floor(i / 6);
        const b = i % 6;
        const cookie = cookies.get(a)!;
        try {
          let r = await call(cookie, "POST", "/api/reports", { programmeId: programme.id, month: BENCH_MONTH, beneficiaryCode: beneficiaryCode(a, b) });
          const id = r.report.id;
          for (const visit of benchVisits(a, b, visitsPerReport)) r = await call(cookie, "POST", `/api/reports/${id}/visits`, visit, r.rev);
          const signedAt = stack.clock.now().toISOString();
          for (const role of ["beneficiary", "assistant"] as const) {
            r = await call(cookie, "PUT", `/api/reports/${id}/signatures/${role}`, { signer: role === "assistant" ? `Asystentka ${a}` : "A.K.", signedAt, evidence: "drawn", imageDataUrl: PNG, contentHash: r.contentHash }, r.rev);
          }
          return { id, rev: r.rev, cookie };
        } catch (error) {
          if (failures.length < 5) failures.push((error as Error).message);
          return undefined;
        }
      },
      draftBar,
    );
    const draftSeconds = (performance.now() - draftStarted) / 1000;
    draftBar.done();
    const draftUsage = stack.meter.take();

    // 2. Submissions: the measured intake step (each starts an approval execution).
    const ready = drafted.filter((d): d is NonNullable<typeof d> => !!d);
    const submitLatencies: number[] = [];
    const submitBar = progress("intake submit (HTTP)", ready.length);
    const submitStarted = performance.now();
    let submitted = 0;
    await pool(
      ready,
      opts.concurrency,
      async (d) => {
        const t = performance.now();
        try {
          await call(d.cookie, "POST", `/api/reports/${d.id}/submit`, {}, d.rev);
          submitted++;
        } catch (error) {
          if (failures.length < 5) failures.push((error as Error).message);
        }
        submitLatencies.push(performance.now() - t);
      },
      submitBar,
    );
    const submitSeconds = (performance.now() - submitStarted) / 1000;
    const cpu = process.cpuUsage(cpuAtStart);
    submitBar.done();
    const settleStarted = performance.now();
    await stack.sfn.idle();
    const approvalsSettledSeconds = (performance.now() - settleStarted) / 1000;
    const submitUsage = stack.meter.take();
    if (submitted === 0) throw new Error(`no report could be submitted: ${failures.join(" | ")}`);

    // 3. The raw baseline: the same report items, plain PutItem, same dynalite, same concurrency.
    const items = [];
    for (const d of ready) {
      const found = await findReport(d.id);
      if (found) items.push(marshalLike(reportItem(found.report, found.rev)));
    }
    stack.meter.take();
    const rawBar = progress("raw PutItem baseline", items.length);
    const raw = await rawPutBaseline(stack.dynamoEndpoint, stack.tableName, items, opts.concurrency, rawBar);
    rawBar.done();

    const apiOnly = (usage: { bySource: Record<string, DynamoUsage> }) =>
      Object.entries(usage.bySource)
        .filter(([source]) => source.startsWith("api/"))
        .reduce((sum, [, u]) => ({ requests: sum.requests + u.requests, rru: sum.rru + u.readRequestUnits, wru: sum.wru + u.writeRequestUnits, bytes: sum.bytes + u.storageBytesAdded }), { requests: 0, rru: 0, wru: 0, bytes: 0 });
    const apiDraft = apiOnly(draftUsage);
    const apiSubmit = apiOnly(submitUsage);
    const submitBySource = Object.fromEntries(Object.entries(submitUsage.bySource).map(([source, u]) => [source, round(u.requests / submitted, 2)]));
    const handlers = new Map(stack.lambda.functions.map((f) => [f.logicalId, f]));
    const apiLambda = [...stack.lambda.invocations]
      .map(([logicalId, s]) => ({ name: logicalId, handler: handlers.get(logicalId)?.handler ?? "", invocations: s.count, avgMs: s.count ? s.totalMs / s.count : 0 }))
      .filter((f) => f.handler.startsWith("functions/api/") && f.invocations > 0);
    const flowSeconds = draftSeconds + submitSeconds;
    const submitPerSecond = submitted / submitSeconds;
    return {
      reports: opts.reports,
      concurrency: opts.concurrency,
      visitsPerReport,
      submit: {
        count: submitted,
        seconds: round(submitSeconds, 2),
        perSecond: round(submitPerSecond, 1),
        medianMs: round(median(submitLatencies), 1),
        p99Ms: round(percentile(submitLatencies, 99), 1),
        dynamoRequestsPerSubmission: round((submitUsage.bySource["api/submit-report"]?.requests ?? 0) / submitted, 2),
        dynamoRequestsBySource: submitBySource,
      },
      flow: {
        seconds: round(flowSeconds, 2),
        reportsPerSecond: round(submitted / flowSeconds, 1),
        httpRequests,
        requestMedianMs: round(median(latencies), 1),
        requestP99Ms: round(percentile(latencies, 99), 1),
      },
      raw,
      ratio: round(submitPerSecond / raw.perSecond, 3),
      flowRatio: round(submitted / flowSeconds / raw.perSecond, 3),
      cpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
      perReport: {
        apiRequests: httpRequests / submitted,
        dynamoRequests: (apiDraft.requests + apiSubmit.requests) / submitted,
        readRequestUnits: (apiDraft.rru + apiSubmit.rru) / submitted,
        writeRequestUnits: (apiDraft.wru + apiSubmit.wru) / submitted,
        storageBytesAdded: (apiDraft.bytes + apiSubmit.bytes) / submitted,
      },
      apiLambda,
      approvalsSettledSeconds: round(approvalsSettledSeconds, 2),
      dynamoPerReportBySource: perReportBySource([draftUsage, submitUsage], submitted),
      failures,
    };
  } finally {
    await stack.dispose();
  }
}

function perReportBySource(usages: { bySource: Record<string, DynamoUsage> }[], reports: number): IntakeResult["dynamoPerReportBySource"] {
  const out: IntakeResult["dynamoPerReportBySource"] = {};
  for (const usage of usages) {
    for (const [source, u] of Object.entries(usage.bySource)) {
      const into = (out[source] ??= { requests: 0, readRequestUnits: 0, writeRequestUnits: 0, byOperation: {} });
      into.requests += u.requests / reports;
      into.readRequestUnits += u.readRequestUnits / reports;
      into.writeRequestUnits += u.writeRequestUnits / reports;
      for (const [op, n] of Object.entries(u.byOperation)) into.byOperation[op] = round((into.byOperation[op] ?? 0) + n / reports, 2);
    }
  }
  for (const v of Object.values(out)) Object.assign(v, { requests: round(v.requests, 2), readRequestUnits: round(v.readRequestUnits, 1), writeRequestUnits: round(v.writeRequestUnits, 1) });
  return out;
}
