import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { apiClient, approvalLinkPattern } from "./api-helpers.js";

// Friday 20 November 2026, 10:00 in Warsaw: November's demo orders exist, the deadline is 3 December.
const startAt = new Date(warsawInstant("2026-11-20", "10:00"));
const approver = "zatwierdzajacy@mops-krakow.example.pl";
const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ startAt });
  api = apiClient(stack);
});
afterAll(async () => stack?.dispose());

const executionArn = (name: string) => process.env.APPROVAL_STATE_MACHINE_ARN!.replace(":stateMachine:", ":execution:") + `:${name}`;
const statusOf = async (cookie: string, reportId: string) => (await api.call(cookie, "GET", `/api/reports/${reportId}`)).json.report.status;

async function approverLinks(beneficiaryCode: string, count: number) {
  const mails = await api.waitForMail(approver, new RegExp(`sprawozdanie ${beneficiaryCode} `), count);
  return mails.map((m) => api.path(api.linkIn(m, approvalLinkPattern)));
}

describe("report intake and approval through HTTP and the inbox", () => {
  it("signs in from the inbox, submits, shows the link without deciding, approves once, and tells the assistant", async () => {
    const anna = await api.signIn("anna.nowak@asystent.example.pl");
    const me = await api.call(anna, "GET", "/api/me");
    expect(me.json.person.id).toBe("p-anna-nowak");

    const visits = [api.visit("2026-11-03", "16:00", "18:00"), api.visit("2026-11-05", "15:30", "17:00")];
    const reportId = await api.draftSigned(anna, "krakow-aou", "2026-11", "KR-AOU-001", visits, startAt.toISOString());
    const submitted = await api.call(anna, "POST", `/api/reports/${reportId}/submit`);
    expect(submitted.status, submitted.text).toBe(200);
    expect(submitted.json.report).toMatchObject({ status: "submitted", version: 1 });
    expect(submitted.json.execution).toBe(`report-${reportId}-v1`);
    const retried = await api.call(anna, "POST", `/api/reports/${reportId}/submit`);
    expect(retried.status).toBe(200);
    expect((await api.call(anna, "GET", `/api/reports/${reportId}/versions`)).json.versions).toHaveLength(1);

    const [link] = await approverLinks("KR-AOU-001", 1);
    const mail = (await api.mailsTo(approver, /KR-AOU-001/))[0];
    expect(mail.body.text).toContain("Anna Nowak");
    expect(mail.body.text).toContain("listopad 2026");
    expect(mail.body.text).toContain("03:30");
    expect(mail.body.text).toContain("336,00 zł");
    expect(mail.body.text).not.toMatch(/token/i);

    const shown = await stack.request(link);
    expect(shown.status).toBe(200);
    const page = await shown.text();
    expect(page).toContain("KR-AOU-001");
    expect(page).toContain('method="post"');
    expect((await stack.request(link, { method: "HEAD" })).status).toBe(200);
    expect((await stack.request(link, { headers: { "accept-language": "en" } })).status).toBe(200);
    expect(await statusOf(anna, reportId)).toBe("submitted");

    const decided = await stack.request(link, form({ outcome: "approve" }));
    expect(decided.status).toBe(200);
    expect(await decided.text()).toContain("zatwierdzone");
    expect(await statusOf(anna, reportId)).toBe("approved");
    await stack.waitFor(() => stack.sfn.describeExecution({ executionArn: executionArn(`report-${reportId}-v1`) }).status === "SUCCEEDED", "the approval execution to succeed");
    // No e-mail per approved report: the assistant sees it in the app; the cycle's summary comes with the batch.
    expect(await api.mailsTo("anna.nowak@asystent.example.pl", /KR-AOU-001 za listopad 2026/)).toHaveLength(0);

    const again = await stack.request(link, form({ outcome: "return", reason: "Jednak nie." }));
    expect(again.status).toBe(410);
    expect(await statusOf(anna, reportId)).toBe("approved");
    const audit = (await api.call(anna, "GET", `/api/reports/${reportId}/audit`)).json.events.map((e: { type: string }) => e.type);
    expect(audit).toEqual(expect.arrayContaining(["report.created", "report.edited", "report.signed", "report.submitted", "approval.requested", "approval.link_opened", "report.approved"]));
  });

  it("returns with a reason, lets the assistant correct and resubmit, and retires the old link", async () => {
    const piotr = await api.signIn("piotr.kowalski@asystent.example.pl");
    const reportId = await api.draftSigned(piotr, "krakow-aou", "2026-11", "KR-AOU-007", [api.visit("2026-11-04", "16:00", "17:00")], startAt.toISOString());
    expect((await api.call(piotr, "POST", `/api/reports/${reportId}/submit`)).status).toBe(200);
    const [oldLink] = await approverLinks("KR-AOU-007", 1);

    const noReason = await stack.request(oldLink, form({ outcome: "return" }));
    expect(noReason.status).toBe(422);
    expect(await statusOf(piotr, reportId)).toBe("submitted");
    const returned = await stack.request(oldLink, form({ outcome: "return", reason: "Brakuje wizyty z 12 listopada." }));
    expect(returned.status).toBe(200);
    expect(await statusOf(piotr, reportId)).toBe("returned");
    const [notice] = await api.waitForMail("piotr.kowalski@asystent.example.pl", /KR-AOU-007 za listopad 2026 zwrócone/);
    expect(notice.body.text).toContain("Brakuje wizyty z 12 listopada.");
    expect(notice.body.text).toContain(`/reports/${reportId}`);

    const corrected = await api.call(piotr, "POST", `/api/reports/${reportId}/visits`, api.visit("2026-11-12", "16:00", "17:30"));
    expect(corrected.status, corrected.text).toBe(201);
    expect(corrected.json.report).toMatchObject({ status: "draft", version: 2, signatures: [] });
    await api.signBoth(piotr, reportId, corrected.json.contentHash, "Asystent", startAt.toISOString());
    const resubmitted = await api.call(piotr, "POST", `/api/reports/${reportId}/submit`);
    expect(resubmitted.json.report).toMatchObject({ status: "submitted", version: 2 });

    const [, newLink] = await approverLinks("KR-AOU-007", 2);
    // the approver sees what changed since the returned version: the visit added, in Warsaw time
    const page = await (await stack.request(newLink)).text();
    expect(page).toContain("Co się zmieniło od wersji 1, zwróconej do poprawy");
    expect(page).toContain("Dodano wizytę: 12.11.2026, 16:00–17:30");
    expect(page).toMatch(/Podpis uczestnika<\/strong>: [^<]+, podpisano \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/);
    const [, secondMail] = await api.waitForMail(approver, /sprawozdanie KR-AOU-007 /, 2);
    expect(secondMail.body.text).toContain("Dodano wizytę: 12.11.2026, 16:00–17:30");
    expect([409, 410]).toContain((await stack.request(oldLink)).status);
    expect([409, 410]).toContain((await stack.request(oldLink, form({ outcome: "approve" }))).status);
    expect(await statusOf(piotr, reportId)).toBe("submitted");
    expect((await stack.request(newLink, form({ outcome: "approve" }))).status).toBe(200);
    const final = await api.call(piotr, "GET", `/api/reports/${reportId}`);
    expect(final.json.report).toMatchObject({ status: "approved", version: 2 });
    expect((await api.call(piotr, "GET", `/api/reports/${reportId}/versions`)).json.versions).toHaveLength(2);
  });

  it("refuses tampered links, other programmes' approvers, assistants on approver routes and on others' reports, changing nothing", async () => {
    const maria = await api.signIn("maria.wisniewska@asystent.example.pl");
    const reportId = await api.draftSigned(maria, "krakow-aou", "2026-11", "KR-AOU-013", [api.visit("2026-11-06", "16:00", "17:00")], startAt.toISOString());
    expect((await api.call(maria, "POST", `/api/reports/${reportId}/submit`)).status).toBe(200);
    const [link] = await approverLinks("KR-AOU-013", 1);
    const approvalId = link.match(/approve\/(a[0-9a-f]{24})/)![1];

    const tampered = link.replace(/sig=(.)/, (_, c) => `sig=${c === "A" ? "B" : "A"}`);
    expect((await stack.request(tampered)).status).toBe(403);
    expect((await stack.request(tampered, form({ outcome: "approve" }))).status).toBe(403);
    expect((await stack.request(`/approve/${approvalId}`, form({ outcome: "approve" }))).status).toBe(403);

    const wroclawApprover = await api.signIn("zatwierdzajacy@mops-wroclaw.example.pl");
    expect((await stack.request(link, { ...form({ outcome: "approve" }), headers: { "content-type": "application/x-www-form-urlencoded", cookie: wroclawApprover } })).status).toBe(403);
    expect((await api.call(wroclawApprover, "POST", `/api/approvals/${approvalId}/decision`, { outcome: "approve" })).status).toBe(403);
    expect((await api.call(wroclawApprover, "GET", `/api/reports/${reportId}`)).status).toBe(403);

    const anna = await api.signIn("anna.nowak@asystent.example.pl");
    expect((await api.call(anna, "GET", "/api/approvals")).status).toBe(403);
    expect((await api.call(anna, "POST", `/api/approvals/${approvalId}/decision`, { outcome: "approve" })).status).toBe(403);
    expect((await api.call(anna, "GET", `/api/reports/${reportId}`)).status).toBe(403);
    expect((await api.call(anna, "GET", `/api/reports/${reportId}/versions`)).status).toBe(403);
    expect((await api.call(anna, "POST", `/api/reports/${reportId}/visits`, api.visit("2026-11-09", "16:00", "17:00"))).status).toBe(403);
    expect(await statusOf(maria, reportId)).toBe("submitted");

    const krakowApprover = await api.signIn(approver);
    const queue = await api.call(krakowApprover, "GET", "/api/approvals");
    expect(queue.json.pending.map((p: { approvalId: string }) => p.approvalId)).toContain(approvalId);

    const both = await Promise.all([stack.request(link, form({ outcome: "approve" })), stack.request(link, form({ outcome: "return", reason: "Za mało." }))]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 410]);
    const final = await api.call(maria, "GET", `/api/reports/${reportId}/audit`);
    expect(final.json.events.filter((e: { type: string }) => e.type === "report.approved" || e.type === "report.returned")).toHaveLength(1);
  });
});

describe("the HTTP API's answers to bad requests", () => {
  it("answers 401 without a session, in Polish by default and in English on request", async () => {
    const pl = await api.call(undefined, "GET", "/api/me");
    expect(pl.status).toBe(401);
    expect(pl.json.error.code).toBe("UNAUTHENTICATED");
    expect(pl.json.error.message).toMatch(/Zaloguj/);
    const en = await api.call(undefined, "GET", "/api/me", undefined, { "accept-language": "en-GB,en;q=0.9" });
    expect(en.json.error.message).toMatch(/Sign in/);
  });

  it("answers 202 for any e-mail and sends nothing to unknown people", async () => {
    const res = await api.call(undefined, "POST", "/api/auth/link", { email: "nobody@example.org" });
    expect(res.status).toBe(202);
    expect(await api.mailsTo("nobody@example.org")).toHaveLength(0);
  });

  it("refuses a used or unknown sign-in link with a page", async () => {
    const res = await stack.request("/api/auth/callback?token=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    expect(res.status).toBe(410);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
  });

  it("answers malformed JSON, wrong types and huge bodies with 400 and 413, never 500", async () => {
    const anna = await api.signIn("anna.nowak@asystent.example.pl");
    const bad = await stack.request("/api/reports", { method: "POST", headers: { cookie: anna, "content-type": "application/json" }, body: "{not json" });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("MALFORMED_JSON");
    const wrong = await api.call(anna, "POST", "/api/reports", { programmeId: 7, month: "listopad" });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.code).toBe("VALIDATION_FAILED");
    const huge = await api.call(anna, "POST", "/api/reports", { padding: "x".repeat(600_000) });
    expect(huge.status).toBe(413);
    const visitTypes = await api.call(anna, "POST", "/api/reports/nope/visits", { start: 5 });
    expect(visitTypes.status).toBe(404);
  });
});
