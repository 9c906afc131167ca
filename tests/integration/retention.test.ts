import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { invokeStep } from "../support/pay-batch.js";
import { apiClient, approvalLinkPattern } from "./api-helpers.js";

/**
 * Issue 14, data protection, on the local stack with the virtual clock: Anna leaves a draft she
 * never submits and has another report approved; her data export holds both. Then the clock
 * moves past every short retention (the November deadline + 90 days, e-mails + 90 days) and the
 * daily clean-up and TTL have removed the draft, the sessions and sign-in links and the e-mails'
 * recipients, while the approved report and November's payment batch stay.
 */
const ANNA = { id: "p-anna-nowak", email: "anna.nowak@asystent.example.pl" };
const APPROVER = { id: "p-krakow-approver", email: "zatwierdzajacy@mops-krakow.example.pl" };
const ADMIN = "admin@mops-krakow.example.pl";
const startAt = new Date(warsawInstant("2026-11-20", "10:00"));

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let dynamo: typeof import("../../functions/adapters/dynamo.js");
let keys: typeof import("../../functions/adapters/keys.js");
const ids = { draft: "", approved: "", approvalId: "" };
let firstExport: any;

beforeAll(async () => {
  stack = await startTestStack({ startAt });
  await stack.sfn.idle();
  api = apiClient(stack);
  dynamo = await import("../../functions/adapters/dynamo.js");
  keys = await import("../../functions/adapters/keys.js");
}, 120_000);
afterAll(async () => {
  await stack?.dispose();
});

const exportOf = async (cookie: string, personId: string) => {
  const res = await stack.request(`/api/people/${personId}/data-export`, { headers: { cookie } });
  const text = await res.text();
  return { res, text, json: res.status === 200 ? JSON.parse(text) : undefined };
};

/** Moves the virtual clock through the local panel, which waits for the schedules it fires. */
async function moveTo(instant: string) {
  const res = await stack.request("/local/clock", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ set: instant }) });
  expect(res.status, await res.text()).toBe(200);
  await stack.sfn.idle();
}

describe("a person's data export (GDPR art. 15)", () => {
  it("gives the programme's admin a JSON file with the person, her reports, sessions and e-mails, and records the export", { timeout: 120_000 }, async () => {
    const anna = await api.signIn(ANNA.email);
    const created = await api.call(anna, "POST", "/api/reports", { programmeId: "krakow-aou", month: "2026-11", beneficiaryCode: "KR-AOU-001" });
    expect(created.status, created.text).toBe(201);
    ids.draft = created.json.report.id;
    expect((await api.call(anna, "POST", `/api/reports/${ids.draft}/visits`, api.visit("2026-11-03", "16:00", "17:00", { scopeIds: ["t01-contacts"] }))).status).toBe(201);

    ids.approved = await api.draftSigned(anna, "krakow-aou", "2026-11", "KR-AOU-004", [api.visit("2026-11-04", "16:00", "17:00", { scopeIds: ["t01-contacts"] })], startAt.toISOString());
    expect((await api.call(anna, "POST", `/api/reports/${ids.approved}/submit`)).status).toBe(200);
    const [mail] = await api.waitForMail(APPROVER.email, /KR-AOU-004/);
    ids.approvalId = api.linkIn(mail, approvalLinkPattern).match(/approve\/(a[0-9a-f]{24})/)![1];
    const approver = await api.signIn(APPROVER.email);
    expect((await api.call(approver, "POST", `/api/approvals/${ids.approvalId}/decision`, { outcome: "approve" })).status).toBe(200);
    await stack.sfn.idle();

    const admin = await api.signIn(ADMIN);
    const { res, text, json } = await exportOf(admin, ANNA.id);
    expect(res.status, text).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="karta-dane-${ANNA.id}-2026-11-20.json"`);
    expect(json).toMatchObject({ format: "karta-person-data/1", exportedBy: "p-krakow-admin", scope: ["krakow-aou"], person: { id: ANNA.id, email: ANNA.email } });
    expect(json.roles).toContainEqual({ programmeId: "krakow-aou", role: "assistant" });
    const reports = Object.fromEntries(json.reports.map((r: any) => [r.id, r]));
    expect(reports[ids.draft]).toMatchObject({ status: "draft", visits: [expect.objectContaining({ date: "2026-11-03" })] });
    expect(reports[ids.approved]).toMatchObject({ status: "approved", versions: [expect.objectContaining({ version: 1 })] });
    expect(reports[ids.approved].auditEvents.map((e: any) => e.type)).toContain("report.submitted");
    // signature images stay in Karta (the beneficiary's one is not Anna's data)
    expect(text).not.toMatch(/data:image\/png/);
    expect(json.sessions).toContainEqual(expect.objectContaining({ kind: "session", createdAt: startAt.toISOString() }));
    expect(json.sessions).toContainEqual(expect.objectContaining({ kind: "signInLink", usedAt: startAt.toISOString() }));
    expect(json.sessions.some((s: any) => "hash" in s || "pk" in s)).toBe(false);
    expect(json.emails).toContainEqual(expect.objectContaining({ status: "sent", subject: expect.stringMatching(/link do logowania/) }));
    expect(json.contracts).toEqual(expect.any(Array));
    firstExport = json;

    // The approver's export names the decision she made; both exports are recorded under the person.
    const approverExport = await exportOf(admin, APPROVER.id);
    expect(approverExport.json.decisions).toContainEqual(expect.objectContaining({ id: ids.approvalId, reportId: ids.approved, decision: expect.objectContaining({ outcome: "approved", by: APPROVER.id }) }));
    expect(approverExport.json.actions.map((e: any) => e.type)).toContain("report.approved");
    const again = await exportOf(admin, ANNA.id);
    expect(again.json.personEvents).toEqual([expect.objectContaining({ type: "person.data_exported", personId: ANNA.id, actorId: "p-krakow-admin", at: startAt.toISOString() })]);
  });

  it("lets the person export her own data but refuses another assistant's, in Polish and English", async () => {
    const anna = await api.signIn(ANNA.email);
    const own = await exportOf(anna, ANNA.id);
    expect(own.res.status).toBe(200);
    expect(own.json).toMatchObject({ exportedBy: ANNA.id, scope: "all" });
    const refused = await api.call(anna, "GET", "/api/people/p-piotr-kowalski/data-export");
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe("FORBIDDEN");
    const english = await api.call(anna, "GET", "/api/people/p-piotr-kowalski/data-export?lang=en");
    expect(refused.json.error.message).toMatch(/Nie masz uprawnień/);
    expect(english.json.error.message).toMatch(/You are not allowed/);
    expect((await api.call(undefined, "GET", `/api/people/${ANNA.id}/data-export`)).status).toBe(401);
  });
});

describe("the retention clean-up", () => {
  it("removes the never-submitted draft, expired sessions and links and old e-mails' recipients; keeps the approved report and the batch", { timeout: 600_000 }, async () => {
    const { getItem, queryAll } = dynamo;
    const oldMails = (firstExport.emails as { outboxKey: string }[]).map((e) => e.outboxKey);
    expect(oldMails.length).toBeGreaterThan(0);

    // 3 March 2027: sessions (12 h) and sign-in links (15 min) went with DynamoDB TTL as soon as the clock passed them;
    // e-mails of 20 November are past 90 days: the record stays (never sent twice), the recipient and subject do not;
    // the draft is kept: 90 days after November's deadline (3 December) end on 4 March, Warsaw time.
    await moveTo("2027-03-03T03:00:00.000Z");
    await stack.waitFor(async () => (await queryAll(keys.queries.credentialsOfPerson(ANNA.id))).length === 0, "Anna's sessions to expire");
    for (const key of oldMails) {
      const item = await getItem(keys.keys.outbox(key));
      expect(item, key).toMatchObject({ status: "sent", anonymisedAt: expect.any(String) });
      expect(item).not.toHaveProperty("to");
      expect(item).not.toHaveProperty("subject");
      expect(item).not.toHaveProperty("gsi1pk");
    }
    expect(await getItem(keys.keys.reportCurrent(ids.draft))).toMatchObject({ status: "draft" });

    // 4 March, after the 03:30 run: the draft and its audit events are gone.
    await moveTo("2027-03-04T04:00:00.000Z");
    expect(await getItem(keys.keys.reportCurrent(ids.draft))).toBeUndefined();
    expect(await queryAll({ pk: keys.keys.reportCurrent(ids.draft).pk })).toEqual([]);

    // What the law keeps stays: the approved report, its version and approval, November's batch and its lines.
    expect(await getItem(keys.keys.reportCurrent(ids.approved))).toMatchObject({ status: "approved" });
    expect(await getItem(keys.keys.reportVersion(ids.approved, 1))).toMatchObject(keys.keys.reportVersion(ids.approved, 1));
    expect(await getItem(keys.keys.approvalById(ids.approvalId))).toMatchObject({ status: "approved" });
    const batches = await queryAll(keys.queries.batchesOfProgrammeMonth("krakow-aou", "2026-11"));
    expect(batches.length).toBeGreaterThan(0);
    expect(await queryAll(keys.queries.batchLines(batches[0].batchId))).toContainEqual(expect.objectContaining({ reportId: ids.approved }));

    // Each run left counts, never contents.
    const runs = await queryAll(keys.queries.retentionRuns());
    expect(runs.length).toBeGreaterThanOrEqual(100);
    expect(runs.reduce((n, r) => n + r.draftsRemoved, 0)).toBeGreaterThanOrEqual(1);
    expect(runs.reduce((n, r) => n + r.outboxAnonymised, 0)).toBeGreaterThanOrEqual(oldMails.length);
    expect(Object.keys(runs[0]).sort()).toEqual(["at", "complete", "draftItemsRemoved", "draftsRemoved", "entity", "outboxAnonymised", "pk", "sk"]);

    // The export now holds the approved report and not the draft.
    const admin = await api.signIn(ADMIN);
    const after = await exportOf(admin, ANNA.id);
    const reportIds = after.json.reports.map((r: any) => r.id);
    expect(reportIds).toContain(ids.approved);
    expect(reportIds).not.toContain(ids.draft);
    expect(after.json.emails.map((e: any) => e.outboxKey)).not.toEqual(expect.arrayContaining(oldMails));
  });
});

describe("a clean-up cut short", () => {
  it("continues the next run from the saved page cursor until the month is done", { timeout: 120_000 }, async () => {
    const { newReport } = await import("../../functions/core/report.js");
    const { createReport, findReport } = await import("../../functions/adapters/reports.js");
    // December 2026's drafts of Wrocław are due on 8 April 2027 (deadline 7 January + 90 days); the clock is still in March.
    const drafts = [];
    for (const code of ["WR-AO-001", "WR-AO-002", "WR-AO-003"]) {
      drafts.push((await createReport(newReport({ programmeId: "wroclaw-ao", month: "2026-12", assistantId: "p-katarzyna-lewandowska", beneficiaryCode: code }))).report.id);
    }
    const runs: { complete: boolean; draftsRemoved: number }[] = [];
    for (let minute = 0; minute < 8 && !runs.at(-1)?.complete; minute++) {
      runs.push(await invokeStep(stack, "retention-clean-up", { scheduledTime: `2027-04-20T01:${String(30 + minute).padStart(2, "0")}:00Z`, pageSize: 1, maxPages: 1 }));
      const state = await dynamo.getItem(keys.keys.retentionState("DRAFTS#wroclaw-ao"));
      if (!runs.at(-1)!.complete) expect(state).toMatchObject({ month: "2026-12", cursor: expect.any(String) });
    }
    expect(runs[0]).toMatchObject({ complete: false, draftsRemoved: 1 });
    expect(runs.at(-1)).toMatchObject({ complete: true });
    expect(runs.reduce((n, r) => n + r.draftsRemoved, 0)).toBe(3);
    for (const id of drafts) expect(await findReport(id)).toBeUndefined();
    expect(await dynamo.getItem(keys.keys.retentionState("DRAFTS#wroclaw-ao"))).toMatchObject({ doneThrough: "2026-12" });
    expect(await dynamo.getItem(keys.keys.retentionState("DRAFTS#wroclaw-ao"))).not.toHaveProperty("cursor");
  });
});
