import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import { apiClient, approvalLinkPattern } from "../integration/api-helpers.js";
import { keys } from "../../functions/adapters/keys.js";
import { cookieSecret, leaks, secretsInMails, secretsInTable, snapshotDiff, startSuiteStack, tableSnapshot, type SuiteStack } from "../support/reliability/harness.js";

/**
 * Suite 3 of issue 8: attacks on the approval links (DESIGN.md, "Approval links"). Each attack
 * compares the reports (current and versions), the approvals, the stored task tokens and the
 * approval executions' statuses before and after: 0 changes.
 */
const startAt = new Date(warsawInstant("2026-11-20", "10:00"));
const approverEmail = "zatwierdzajacy@mops-krakow.example.pl";
const form = (fields: Record<string, string>, cookie?: string) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}) },
  body: new URLSearchParams(fields).toString(),
});

let stack: SuiteStack;
let api: ReturnType<typeof apiClient>;
let anna = "";
let piotr = "";
const attacks = new Map<string, number>();
let stateChanges = 0;
const statuses = new Map<number, number>();

beforeAll(async () => {
  stack = await startSuiteStack({ startAt });
  api = apiClient(stack);
  anna = await api.signIn("anna.nowak@asystent.example.pl");
  piotr = await api.signIn("piotr.kowalski@asystent.example.pl");
});

afterAll(async () => {
  const total = [...attacks.values()].reduce((a, b) => a + b, 0);
  const kinds = [...attacks].map(([k, n]) => `${k} ${n}`).join(", ");
  const answers = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${n}×${s}`).join(" ");
  console.log(`links: ${total} attacks (${kinds}), ${stateChanges} state changes; answers ${answers}`);
  stack?.logs.release();
  await stack?.dispose();
});

const approvalArn = () => process.env.APPROVAL_STATE_MACHINE_ARN!;
type Target = { reportId: string; approvalId: string };
const keyOf = (k: { pk: string; sk: string }) => `${k.pk}|${k.sk}`;
/**
 * The state an attack on these reports must not change: each report's current item, its versions
 * and task tokens, and its approval — keys built by the key module itself, so a change of a key
 * format cannot make this suite watch nothing (attack() checks the watched items exist).
 */
function watchedKeys(targets: Target[]) {
  const versions = [1, 2, 3, 4];
  const all = targets.flatMap((t) => [
    keyOf(keys.reportCurrent(t.reportId)),
    keyOf(keys.approvalById(t.approvalId)),
    ...versions.flatMap((v) => [keyOf(keys.reportVersion(t.reportId, v)), keyOf(keys.taskToken(t.reportId, v))]),
  ]);
  const required = targets.flatMap((t) => [keyOf(keys.reportCurrent(t.reportId)), keyOf(keys.approvalById(t.approvalId)), keyOf(keys.reportVersion(t.reportId, 1))]);
  return { all: new Set(all), required };
}

async function state() {
  const items = await tableSnapshot();
  const executions = stack.sfn.listExecutions({ stateMachineArn: approvalArn() }).executions.map((e) => `${e.name}:${e.status}`).sort();
  return { items, executions };
}

/** Runs an attack and counts the state changes it caused (reports, approvals, tokens, executions). */
async function attack(kind: string, targets: Target[], run: () => Promise<number[]>, allowed: number[]) {
  await stack.sfn.idle();
  const watched = watchedKeys(targets);
  const before = await state();
  expect(watched.required.filter((k) => !before.items.has(k)), `${kind}: the watched report items exist`).toEqual([]);
  const answers = await run();
  await stack.sfn.idle();
  const after = await state();
  const diff = snapshotDiff(before.items, after.items, (key) => watched.all.has(key));
  const executionsChanged = before.executions.join() !== after.executions.join();
  stateChanges += diff.count + (executionsChanged ? 1 : 0);
  attacks.set(kind, (attacks.get(kind) ?? 0) + answers.length);
  for (const s of answers) statuses.set(s, (statuses.get(s) ?? 0) + 1);
  expect({ kind, changed: [...diff.added, ...diff.removed, ...diff.changed], executionsChanged }).toEqual({ kind, changed: [], executionsChanged: false });
  for (const s of answers) expect(allowed, `${kind} answered ${s}`).toContain(s);
}

async function submitted(cookie: string, code: string, date: string) {
  const reportId = await api.draftSigned(cookie, "krakow-aou", "2026-11", code, [api.visit(date, "16:00", "17:00")], startAt.toISOString());
  expect((await api.call(cookie, "POST", `/api/reports/${reportId}/submit`)).status).toBe(200);
  const [mail] = await api.waitForMail(approverEmail, new RegExp(`sprawozdanie ${code} `));
  await stack.sfn.idle();
  const link = api.path(api.linkIn(mail, approvalLinkPattern));
  return { reportId, link, approvalId: link.match(/approve\/(a[0-9a-f]{24})/)![1], sig: link.match(/sig=([^&]+)/)![1] };
}

const status = async (path: string, init?: RequestInit) => (await stack.request(path, init)).status;
const reportStatus = async (cookie: string, id: string) => (await api.call(cookie, "GET", `/api/reports/${id}`)).json.report.status;

describe("approval link attacks", () => {
  it("refuses tampered signatures and altered approval ids, changing nothing", async () => {
    const a = await submitted(anna, "KR-AOU-001", "2026-11-03");
    const b = await submitted(anna, "KR-AOU-002", "2026-11-04");
    const flips = [0, 5, 20, a.sig.length - 1].map((i) => a.sig.slice(0, i) + (a.sig[i] === "A" ? "B" : "A") + a.sig.slice(i + 1));
    const tampered = [...flips, "", a.sig.slice(0, 20), a.sig + "A", b.sig].map((s) => `/approve/${a.approvalId}?sig=${s}`);
    await attack("tampered signature", [a, b], async () => {
      const out: number[] = [];
      for (const t of tampered) out.push(await status(t), await status(t, { method: "HEAD" }), await status(t, form({ outcome: "approve" })));
      out.push(await status(`/approve/${a.approvalId}`, form({ outcome: "approve" })));
      return out;
    }, [403]);
    const alteredIds = [b.approvalId, a.approvalId.replace(/.$/, (c) => (c === "0" ? "1" : "0")), "a" + "0".repeat(24)];
    await attack("altered approval id", [a, b], async () => {
      const out: number[] = [];
      for (const id of alteredIds) out.push(await status(`/approve/${id}?sig=${a.sig}`), await status(`/approve/${id}?sig=${a.sig}`, form({ outcome: "approve" })));
      return out;
    }, [403]);
    expect(await reportStatus(anna, a.reportId)).toBe("submitted");
    expect(await reportStatus(anna, b.reportId)).toBe("submitted");
  });

  it("lets a scanner GET and HEAD a link 20 times without deciding anything", async () => {
    const c = await submitted(piotr, "KR-AOU-008", "2026-11-05");
    await status(c.link); // the first opening notes "link opened" in the audit trail (not state)
    await attack("scanner GET/HEAD", [c], async () => {
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push(await status(c.link, { method: i % 2 ? "HEAD" : "GET", headers: { "user-agent": "Mozilla/5.0 (compatible; SafeLinks scanner)" } }));
      return out;
    }, [200]);
    expect(await reportStatus(piotr, c.reportId)).toBe("submitted");
    expect(stack.sfn.describeExecution({ executionArn: approvalArn().replace(":stateMachine:", ":execution:") + `:report-${c.reportId}-v1` }).status).toBe("RUNNING");
  });

  it("refuses a POST by another programme's approver, then decides once and refuses every replay", async () => {
    const d = await submitted(piotr, "KR-AOU-009", "2026-11-06");
    const wroclaw = await api.signIn("zatwierdzajacy@mops-wroclaw.example.pl");
    const assistant = await api.signIn("tomasz.wojcik@asystent.example.pl");
    await attack("POST by another approver", [d], async () => [
      await status(d.link, form({ outcome: "approve" }, wroclaw)),
      await status(d.link, form({ outcome: "return", reason: "Nie" }, wroclaw)),
      await status(d.link, form({ outcome: "approve" }, assistant)),
      await status(d.link, form({ outcome: "approve" }, piotr)),
      (await api.call(wroclaw, "POST", `/api/approvals/${d.approvalId}/decision`, { outcome: "approve" })).status,
      (await api.call(piotr, "POST", `/api/approvals/${d.approvalId}/decision`, { outcome: "approve" })).status,
    ], [403]);

    expect(await status(d.link, form({ outcome: "approve" }))).toBe(200);
    await stack.sfn.idle();
    expect(await reportStatus(piotr, d.reportId)).toBe("approved");
    const approver = await api.signIn(approverEmail);
    await attack("replayed POST", [d], async () => [
      await status(d.link, form({ outcome: "approve" })),
      await status(d.link, form({ outcome: "return", reason: "Jednak nie" })),
      await status(d.link, form({ outcome: "approve" }, approver)),
      await status(d.link, form({ outcome: "return", reason: "Jednak nie" }, approver)),
      (await api.call(approver, "POST", `/api/approvals/${d.approvalId}/decision`, { outcome: "return", reason: "Jednak nie" })).status,
    ], [409, 410]);
    const audit = (await api.call(piotr, "GET", `/api/reports/${d.reportId}/audit`)).json.events.filter((e: { type: string }) => /report\.(approved|returned)/.test(e.type));
    expect(audit).toHaveLength(1);
    expect((await api.call(piotr, "GET", `/api/reports/${d.reportId}`)).json.report.status).toBe("approved");
    // the replayed returns told the assistant nothing
    expect(await api.mailsTo("piotr.kowalski@asystent.example.pl", /KR-AOU-009 za listopad 2026 zwrócone/)).toHaveLength(0);
  });

  it("refuses the link of a superseded version", async () => {
    const e = await submitted(piotr, "KR-AOU-010", "2026-11-09");
    expect(await status(e.link, form({ outcome: "return", reason: "Brakuje wizyty." }))).toBe(200);
    await stack.sfn.idle();
    const corrected = await api.call(piotr, "POST", `/api/reports/${e.reportId}/visits`, api.visit("2026-11-10", "16:00", "17:00"));
    expect(corrected.status).toBe(201);
    await api.signBoth(piotr, e.reportId, corrected.json.contentHash, "Asystent", startAt.toISOString());
    expect((await api.call(piotr, "POST", `/api/reports/${e.reportId}/submit`)).status).toBe(200);
    await api.waitForMail(approverEmail, /sprawozdanie KR-AOU-010 /, 2);
    await attack("superseded version", [e], async () => [
      await status(e.link),
      await status(e.link, { method: "HEAD" }),
      await status(e.link, form({ outcome: "approve" })),
      await status(e.link, form({ outcome: "return", reason: "x" })),
    ], [409, 410]);
    expect(await reportStatus(piotr, e.reportId)).toBe("submitted");
  });

  it("refuses an expired link (virtual clock)", async () => {
    const f = await submitted(anna, "KR-AOU-005", "2026-11-11");
    // 7 days later the link has expired; the workflow has meanwhile reminded with fresh links.
    stack.clock.advance(7 * 24 * 3600_000 + 60_000);
    await stack.sfn.idle();
    await attack("expired link", [f], async () => [
      await status(f.link),
      await status(f.link, { method: "HEAD" }),
      await status(f.link, form({ outcome: "approve" })),
      await status(f.link, form({ outcome: "approve" }, await api.signIn(approverEmail))),
    ], [410]);
    // Sessions last 12 hours: sign in again to look.
    expect(await reportStatus(await api.signIn("anna.nowak@asystent.example.pl"), f.reportId)).toBe("submitted");
  });

  it("wrote no approval signature, task token, session or beneficiary initials to the logs", async () => {
    const secrets = [...(await secretsInTable()), ...secretsInMails(await stack.inbox()), cookieSecret(anna), cookieSecret(piotr)];
    expect(leaks(stack.logs.lines, secrets)).toEqual([]);
  });
});
