import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import { leaks } from "../support/reliability/harness.js";

/**
 * Suite 4 of issue 8: a month of two programmes on the local stack running in a child process,
 * killed with SIGKILL at seeded random points (before, inside and after a Lambda invocation —
 * API, approval workflow, cycle, batch — and right after an e-mail left SES), started again on
 * the same data folder, then driven to the end of the month. Afterwards: every cycle settled,
 * no report lost, no e-mail twice, each approved report in exactly one batch line, and the
 * batches' control totals equal the approved amounts.
 */
const root = resolve(import.meta.dirname, "../..");
const script = join(root, "tests/support/reliability/child-stack.ts");
const FIRST = "2026-10-31T23:10:00.000Z";
const SEED = 8;
// Each run is a whole month in a child process (~1 min on 2 busy cores): `npm run test:reliability`
// runs 10; plain `npm test` runs none unless CRASH_RUNS is set.
const RUNS = Number(process.env.CRASH_RUNS ?? 0);

type Info = { appUrl: string; sesEndpoint: string; controlUrl: string; pid: number };
class Died extends Error {}

/** One child process; every call fails with Died once it is gone. */
class Child {
  info!: Info;
  output: string[] = [];
  crashed?: string;
  private proc!: ChildProcess;
  private gone!: Promise<never>;

  static async start(dataDir: string, env: Record<string, string> = {}): Promise<Child> {
    const child = new Child();
    child.proc = spawn(process.execPath, ["--import", "tsx", script], {
      cwd: root,
      env: { ...process.env, KARTA_DATA_DIR: dataDir, KARTA_START_AT: FIRST, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let buffer = "";
    const ready = new Promise<Info>((done, fail) => {
      child.proc.stdout!.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          child.output.push(line);
          if (line.startsWith("READY ")) done(JSON.parse(line.slice(6)));
          if (line.startsWith("CRASH ")) child.crashed = line.slice(6);
        }
      });
      child.proc.stderr!.on("data", (chunk: Buffer) => child.output.push(...chunk.toString().split("\n").filter(Boolean)));
      child.proc.once("exit", (code, signal) => fail(new Died(`child exited before ready (${code ?? signal}): ${child.output.slice(-5).join(" | ")}`)));
    });
    child.gone = new Promise<never>((_, fail) => child.proc.once("exit", () => fail(new Died("child died"))));
    child.gone.catch(() => {});
    child.info = await ready;
    return child;
  }

  /** A request to the app, the SES inbox or the control port, failing with Died if the child dies. */
  async fetch(url: string, init?: RequestInit): Promise<Response> {
    return Promise.race([fetch(url, { redirect: "manual", ...init }).catch((e) => { throw this.alive() ? e : new Died(String(e)); }), this.gone]);
  }

  /** Whether the child is still running once a failed request had time to be explained by its death. */
  async aliveAfterFailure(): Promise<boolean> {
    for (let i = 0; i < 40 && this.alive(); i++) await new Promise((r) => setTimeout(r, 50));
    return this.alive();
  }

  alive() {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async stop() {
    if (!this.alive()) return;
    const exited = new Promise((done) => this.proc.once("exit", done));
    this.proc.kill("SIGTERM");
    await exited;
  }
}

/** The scripted month: people and reports (Wrocław: 5, one returned and corrected; Kraków: 2). */
const reports = [
  { who: "katarzyna.lewandowska", programme: "wroclaw-ao", code: "WR-AO-001", day: 3, scope: "everyday" },
  { who: "katarzyna.lewandowska", programme: "wroclaw-ao", code: "WR-AO-002", day: 4, scope: "everyday" },
  { who: "katarzyna.lewandowska", programme: "wroclaw-ao", code: "WR-AO-003", day: 5, scope: "everyday", returnFirst: true },
  { who: "jan.zielinski", programme: "wroclaw-ao", code: "WR-AO-004", day: 3, scope: "everyday" },
  { who: "jan.zielinski", programme: "wroclaw-ao", code: "WR-AO-005", day: 4, scope: "everyday" },
  { who: "anna.nowak", programme: "krakow-aou", code: "KR-AOU-001", day: 3, scope: "t01-contacts" },
  { who: "anna.nowak", programme: "krakow-aou", code: "KR-AOU-002", day: 4, scope: "t01-contacts" },
];
const approverOf = (programme: string) => (programme === "wroclaw-ao" ? "zatwierdzajacy@mops-wroclaw.example.pl" : "zatwierdzajacy@mops-krakow.example.pl");
const clockSteps = [
  "2026-11-20T09:00:00.000Z",
  ...["2026-11-30T08:00", "2026-12-02T08:00", "2026-12-03T07:00", "2026-12-03T23:00"].map((t) => `${t}:00.000Z`),
  ...Array.from({ length: 14 }, (_, i) => `2026-12-${String(4 + i).padStart(2, "0")}T06:00:00.000Z`),
];
const png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

type InboxEmail = { destination: { to: string[] }; subject: string; body: { text?: string }; attachments: unknown[] };

/** The month, step by step; each step is safe to run again after a crash (it looks before it acts). */
function steps(child: () => Child) {
  const cookies = new Map<string, string>();
  const app = (path: string, init?: RequestInit) => child().fetch(`${child().info.appUrl}${path}`, init);
  const control = async (path: string, body?: unknown) => (await child().fetch(`${child().info.controlUrl}${path}`, { method: body === undefined ? "GET" : "POST", body: body === undefined ? undefined : JSON.stringify(body) })).json();
  const inbox = async (): Promise<InboxEmail[]> => (await (await child().fetch(`${child().info.sesEndpoint}/store`)).json()).emails;
  const waitMail = async (to: string, subject: RegExp, count = 1) => {
    for (let i = 0; i < 400; i++) {
      const found = (await inbox()).filter((m) => m.destination.to.includes(to) && subject.test(m.subject));
      if (found.length >= count) return found;
      await control("/idle", {});
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no e-mail to ${to} matching ${subject}`);
  };
  const call = async (email: string, method: string, path: string, body?: unknown) => {
    const res = await app(path, { method, headers: { cookie: await signIn(email), ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    if (res.status === 401) cookies.delete(email);
    return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
  };
  async function signIn(email: string): Promise<string> {
    const known = cookies.get(email);
    if (known) return known;
    const before = (await inbox()).filter((m) => m.destination.to.includes(email) && /link do logowania/.test(m.subject)).length;
    const asked = await app("/api/auth/link", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email }) });
    if (asked.status !== 202) throw new Error(`sign-in ${asked.status}`);
    const [mail] = (await waitMail(email, /link do logowania/, before + 1)).slice(-1);
    const link = new URL(mail.body.text!.match(/https?:\/\/\S+\/api\/auth\/callback\?token=[A-Za-z0-9_-]+/)![0]);
    // opening the link only shows its page; the page's button (a form POST) uses it
    const opened = await app("/api/auth/callback", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ token: link.searchParams.get("token")! }).toString() });
    const cookie = opened.headers.getSetCookie().find((c) => c.startsWith("karta_session="))?.split(";")[0];
    if (!cookie) throw new Error(`sign-in link answered ${opened.status}`);
    cookies.set(email, cookie);
    return cookie;
  }
  const visit = (r: (typeof reports)[number], id: string, day: number) => {
    const date = `2026-11-${String(day).padStart(2, "0")}`;
    return { id, date, start: warsawInstant(date, "16:00"), end: warsawInstant(date, "18:00"), scopeIds: [r.scope], mode: "in_person" };
  };

  /** Draft with its visit(s), signed by both, submitted — whatever part of it was already done. */
  async function submitReport(r: (typeof reports)[number], visits: ReturnType<typeof visit>[]) {
    const email = `${r.who}@asystent.example.pl`;
    const created = await call(email, "POST", "/api/reports", { programmeId: r.programme, month: "2026-11", beneficiaryCode: r.code });
    if (![200, 201].includes(created.status)) throw new Error(`create ${created.status} ${created.text}`);
    const id = created.json.report.id as string;
    let body = created.json;
    if (body.report.status === "submitted" || body.report.status === "approved") return id;
    for (const v of visits) {
      if (body.report.visits.some((x: { id: string }) => x.id === v.id)) continue;
      const added = await call(email, "POST", `/api/reports/${id}/visits`, v);
      if (added.status !== 201) throw new Error(`visit ${added.status} ${added.text}`);
      body = added.json;
    }
    for (const role of ["beneficiary", "assistant"]) {
      if (body.report.signatures.some((s: { role: string; contentHash: string }) => s.role === role && s.contentHash === body.contentHash)) continue;
      const signed = await call(email, "PUT", `/api/reports/${id}/signatures/${role}`, { signer: "Podpis", signedAt: FIRST, evidence: "drawn", imageDataUrl: png, contentHash: body.contentHash });
      if (signed.status !== 200) throw new Error(`sign ${signed.status} ${signed.text}`);
      body = signed.json;
    }
    const submitted = await call(email, "POST", `/api/reports/${id}/submit`);
    if (submitted.status !== 200) throw new Error(`submit ${submitted.status} ${submitted.text}`);
    return id;
  }

  /** The approver opens the newest link for the report and decides (a replay after a crash gets 409/410). */
  async function decide(r: (typeof reports)[number], n: number, fields: Record<string, string>) {
    const mails = await waitMail(approverOf(r.programme), new RegExp(`sprawozdanie ${r.code} `), n);
    const link = new URL(mails[n - 1].body.text!.match(/https?:\/\/\S+\/approve\/a[0-9a-f]{24}\?sig=[A-Za-z0-9_%-]+/)![0]);
    const res = await app(link.pathname + link.search, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });
    if (![200, 409, 410].includes(res.status)) throw new Error(`decide ${res.status}`);
    await control("/idle", {});
  }

  const list: { name: string; run: () => Promise<unknown> }[] = [{ name: `clock ${clockSteps[0]}`, run: () => control("/clock", { set: clockSteps[0] }) }];
  for (const r of reports) {
    list.push({ name: `submit ${r.code}`, run: () => submitReport(r, [visit(r, "v1", r.day)]) });
    if (r.returnFirst) {
      list.push({ name: `return ${r.code}`, run: () => decide(r, 1, { outcome: "return", reason: "Brakuje drugiej wizyty." }) });
      list.push({ name: `resubmit ${r.code}`, run: () => submitReport(r, [visit(r, "v1", r.day), visit(r, "v2", r.day + 7)]) });
      list.push({ name: `approve ${r.code} v2`, run: () => decide(r, 2, { outcome: "approve" }) });
    } else {
      list.push({ name: `approve ${r.code}`, run: () => decide(r, 1, { outcome: "approve" }) });
    }
  }
  for (const at of clockSteps.slice(1)) list.push({ name: `clock ${at}`, run: () => control("/clock", { set: at }) });
  return { list, control, inbox };
}

/**
 * Re-sent e-mails whose first copy was among the last two SES had accepted when the process died
 * (the CRASH line's "· inbox N"): two cycles send at once, so at most two can be in flight.
 */
function inFlightResends(result: { emails: InboxEmail[]; crashedAt: string; restarts: number }): number {
  const atKill = Number(/· inbox (\d+)/.exec(result.crashedAt)?.[1]);
  if (result.restarts !== 1 || !Number.isFinite(atKill)) return 0;
  // by recipient and subject (a finance e-mail's subject names its batch): a re-send after the
  // restart is the same message, but its text may be rendered anew
  const identity = (m: InboxEmail) => JSON.stringify([m.destination.to, m.subject]);
  const firstAt = new Map<string, number>();
  let resent = 0;
  result.emails.forEach((m, i) => {
    const first = firstAt.get(identity(m));
    if (first === undefined) firstAt.set(identity(m), i);
    else if (first >= atKill - 2 && first < atKill && i >= atKill) resent++;
  });
  return resent;
}

/** Runs the month on a fresh data folder, crashing once as `crash` says; returns what the checks need. */
async function month(crash: Record<string, string> | undefined) {
  const dataDir = mkdtempSync(join(tmpdir(), "karta-crash-"));
  let child = await Child.start(dataDir, crash);
  const outputs: string[] = [];
  let restarts = 0;
  let crashedAt = "";
  const { list, control, inbox } = steps(() => child);
  try {
    for (const step of list) {
      for (let attempt = 0; ; attempt++) {
        try {
          await step.run();
          await control("/idle", {});
          break;
        } catch (error) {
          if ((await child.aliveAfterFailure()) || attempt > 2) throw new Error(`${step.name}: ${(error as Error).message}`);
          // Killed: start again on the same data folder, without the crash, and redo the step.
          crashedAt = `${child.crashed ?? "?"} during "${step.name}"`;
          outputs.push(...child.output);
          child = await Child.start(dataDir);
          restarts++;
        }
      }
    }
    const items = ((await control("/items")) as { items: Record<string, any>[] }).items;
    const executions = (await control("/executions")) as { name: string; status: string; error?: string; cause?: string }[];
    const invocations = ((await control("/invocations")) as { total: number }).total;
    const emails = await inbox();
    outputs.push(...child.output);
    return { items, executions, emails, restarts, crashedAt, outputs, invocations };
  } finally {
    await child.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The month's invariants, as a list of broken ones (empty when all hold). */
function broken(result: Awaited<ReturnType<typeof month>>, resentByDesign = 0): string[] {
  const out: string[] = [];
  const { items, executions, emails } = result;
  // The month is complete when each programme's main batch went to finance (the cycle itself may
  // still wait for late reports until its supplementary horizon).
  for (const p of ["wroclaw-ao", "krakow-aou"]) {
    const main = items.find((i) => String(i.pk) === `BATCH#${p}-2026-11-p01` && i.sk === "BATCH");
    if (main?.status !== "sent") out.push(`${p} main batch not sent (${main?.status ?? "none"})`);
    const cycle = executions.find((e) => e.name === `cycle-${p}-2026-11`);
    if (cycle?.status === "FAILED") out.push(`cycle-${p}-2026-11 FAILED (${cycle.error}: ${String(cycle.cause).slice(0, 300)})`);
  }
  const current = items.filter((i) => i.sk === "CURRENT" && String(i.pk).startsWith("REPORT#"));
  for (const r of reports) {
    const found = current.find((i) => i.beneficiaryCode === r.code && i.month === "2026-11");
    if (found?.status !== "approved") out.push(`${r.code} is ${found?.status ?? "lost"}`);
  }
  const approved = current.filter((i) => i.status === "approved");
  const lines = items.filter((i) => String(i.pk).startsWith("BATCH#") && String(i.sk).startsWith("LINE#"));
  for (const r of approved) {
    const n = lines.filter((l) => l.reportId === r.id).length;
    if (n !== 1) out.push(`${r.beneficiaryCode} in ${n} batch lines`);
  }
  const batches = items.filter((i) => String(i.pk).startsWith("BATCH#") && i.sk === "BATCH");
  for (const b of batches) {
    const own = lines.filter((l) => l.batchId === b.batchId);
    const sum = own.reduce((s, l) => s + l.amountGrosze, 0);
    if (b.totals?.grosze !== sum || b.totals?.reports !== own.length) out.push(`batch ${b.batchId} totals ${JSON.stringify(b.totals)} ≠ ${own.length} lines, ${sum} gr`);
    if (b.status !== "sent") out.push(`batch ${b.batchId} is ${b.status}`);
  }
  for (const p of ["wroclaw-ao", "krakow-aou"]) {
    const expected = approved.filter((r) => r.programmeId === p).length;
    const paid = lines.filter((l) => batches.some((b) => b.batchId === l.batchId && b.programmeId === p)).length;
    if (paid !== expected) out.push(`${p}: ${paid} lines for ${expected} approved reports`);
  }
  // No e-mail twice: the inbox (its journal survives restarts) holds exactly one e-mail per outbox
  // record — except the e-mails SES had accepted when the process died before the outbox
  // marked it sent: sending is at-least-once by design (SES has no idempotency key, and losing an
  // approval request or a finance e-mail is worse than a repeated one).
  const sent = items.filter((i) => String(i.pk).startsWith("OUTBOX#") || i.type === "Outbox").length;
  // (Whether those are re-sent depends on where exactly the kill lands: at most the e-mails
  // accepted between the kill point and the kill, never fewer than one per outbox record.)
  if (emails.length < sent || emails.length > sent + resentByDesign) out.push(`${emails.length} e-mails in the inbox for ${sent} outbox records`);
  else if (emails.length > sent) figures.resent += emails.length - sent;
  // One finance e-mail per batch (a copy re-sent by design is counted by the check above).
  const financeMails = new Set(emails.filter((m) => m.attachments.length > 0).map((m) => JSON.stringify([m.destination.to, m.subject]))).size;
  if (financeMails !== batches.length) out.push(`${financeMails} finance e-mails for ${batches.length} batches`);
  // Logs of the child: no secrets either.
  const secrets = items.flatMap((i) => [
    ...(typeof i.taskToken === "string" ? [{ kind: "task token", value: i.taskToken }] : []),
    ...(String(i.sk).startsWith("BENEFICIARY#") && i.initials ? [{ kind: "beneficiary initials", value: i.initials as string }] : []),
  ]);
  for (const m of emails) for (const t of (m.body.text ?? "").matchAll(/(?:token|sig)=([A-Za-z0-9_-]{20,})/g)) secrets.push({ kind: "link secret", value: t[1] });
  out.push(...leaks(result.outputs, secrets).slice(0, 3));
  return out;
}

const figures = { runs: 0, completed: 0, restarts: 0, lost: 0, duplicates: 0, resent: 0, broken: 0, baseline: 0, points: [] as string[] };

afterAll(() => {
  console.log(
    `crash: ${figures.runs} runs killed at seeded points (${figures.points.join("; ")}), ${figures.completed}/${figures.runs} months completed after restart, ${figures.lost} reports lost, ${figures.duplicates} e-mails twice (+ ${figures.resent} re-sent by design after a kill between SES and the outbox mark), ${figures.broken} broken invariants (baseline month: ${figures.baseline} invocations)`,
  );
});

describe.skipIf(RUNS === 0)("crashes in the middle of the month", () => {
  let total = 0;

  it("completes the month without a crash (the baseline the kill points are drawn from)", { timeout: 300_000 }, async () => {
    const result = await month(undefined);
    expect(broken(result)).toEqual([]);
    total = result.invocations;
    figures.baseline = total;
    expect(total).toBeGreaterThan(50);
  });

  it(`completes the month after a SIGKILL at ${RUNS} seeded random points`, { timeout: 900_000 }, async () => {
    const handlers = ["send-batch", "notify-assistants", "build-batch", "finish-approval", "ask-approver", "close-intake", "submit-report", "approval-link-decide", "remind-assistants"];
    const points = fc.sample(
      fc.oneof(
        fc.record({ CRASH_AT: fc.integer({ min: 1, max: total }).map(String), CRASH_MODE: fc.constantFrom("before", "inside", "after"), CRASH_DELAY_MS: fc.integer({ min: 0, max: 40 }).map(String) }),
        fc.record({ CRASH_FN: fc.constantFrom(...handlers), CRASH_AT: fc.constant("1"), CRASH_MODE: fc.constantFrom("inside", "after"), CRASH_DELAY_MS: fc.integer({ min: 0, max: 40 }).map(String) }),
      ),
      { numRuns: RUNS - 1, seed: SEED },
    ) as Record<string, string>[];
    // And once right after SES accepted an e-mail, before the outbox is marked "sent".
    points.push({ CRASH_EMAIL: String(fc.sample(fc.integer({ min: 2, max: 20 }), { numRuns: 1, seed: SEED })[0]) });
    // CRASH_POINT='{"CRASH_FN":"send-batch",…}' replays one point from a failure message.
    if (process.env.CRASH_POINT) points.splice(0, points.length, JSON.parse(process.env.CRASH_POINT) as Record<string, string>);
    const failures: string[] = [];
    for (const point of points) {
      const result = await month(point);
      figures.runs++;
      figures.restarts += result.restarts;
      figures.points.push(result.crashedAt || "no crash reached");
      // The kill lands 30 ms after the N-th e-mail; every e-mail SES accepted from the N-th to the
      // kill ("after e-mail K") may be re-sent: K - N + 1 of them (two cycles send at once).
      const killedAfter = Number(/after e-mail (\d+)/.exec(result.crashedAt)?.[1] ?? point.CRASH_EMAIL);
      // Any kill can also land while the other programme's cycle has an e-mail in flight (SES
      // accepted it, its outbox not yet marked): a re-send of one of the last two e-mails SES had
      // accepted at the kill is by design too, and only of those (inFlightResends).
      const resentByDesign = point.CRASH_EMAIL && result.restarts === 1 ? killedAfter - Number(point.CRASH_EMAIL) + 1 : inFlightResends(result);
      const problems = broken(result, resentByDesign);
      if (!problems.some((p) => /not sent|FAILED/.test(p))) figures.completed++;
      figures.lost += problems.filter((p) => / is (lost|draft|submitted)/.test(p)).length;
      figures.duplicates += problems.filter((p) => /e-mails in the inbox/.test(p)).length;
      figures.broken += problems.length;
      if (problems.length) {
        // What the stack logged about failures, so a CI failure can be explained from its output alone.
        const clues = result.outputs.filter((l) => /FAILED|fail|crash|Error|error/.test(l)).slice(0, 12);
        failures.push(`${JSON.stringify(point)} (${result.crashedAt}): ${problems.join("; ")}${clues.length ? `\n    log: ${clues.join("\n    log: ")}` : ""}`);
      }
      expect(result.restarts, JSON.stringify(point)).toBeLessThanOrEqual(1);
    }
    expect(failures).toEqual([]);
    expect(figures.restarts).toBeGreaterThanOrEqual(points.length - 1);
  });
});
