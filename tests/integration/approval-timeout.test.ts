import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { apiClient, approvalLinkPattern } from "./api-helpers.js";

// Friday 20 November 2026, 10:00 Warsaw. Kraków: approval timeout 3 working days, deputy p-krakow-deputy.
const startAt = new Date(warsawInstant("2026-11-20", "10:00"));
const approver = "zatwierdzajacy@mops-krakow.example.pl";
const deputy = "zastepca@mops-krakow.example.pl";

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ startAt });
  api = apiClient(stack);
});
afterAll(async () => stack?.dispose());

async function moveClockTo(date: string, time: string) {
  stack.clock.set(new Date(warsawInstant(date, time)));
  await stack.sfn.idle();
}

describe("an approver who does not answer", () => {
  it("is reminded after the timeout, the deputy is asked after the second, and an expired link decides nothing", async () => {
    const tomasz = await api.signIn("tomasz.wojcik@asystent.example.pl");
    const reportId = await api.draftSigned(tomasz, "krakow-aou", "2026-11", "KR-AOU-019", [api.visit("2026-11-10", "16:00", "18:00")], startAt.toISOString());
    expect((await api.call(tomasz, "POST", `/api/reports/${reportId}/submit`)).status).toBe(200);
    const [ask] = await api.waitForMail(approver, /sprawozdanie KR-AOU-019 /);
    const firstLink = api.path(api.linkIn(ask, approvalLinkPattern));
    await stack.sfn.idle();

    // 3 working days after Fri 20 Nov 10:00 is Wed 25 Nov 10:00.
    await moveClockTo("2026-11-25", "09:59");
    expect(await api.mailsTo(approver, /przypomnienie — sprawozdanie KR-AOU-019/)).toHaveLength(0);
    await moveClockTo("2026-11-25", "10:01");
    const [reminder] = await api.waitForMail(approver, /przypomnienie — sprawozdanie KR-AOU-019/);
    expect(reminder.body.text).toMatch(approvalLinkPattern);
    expect(await api.mailsTo(deputy, /KR-AOU-019/)).toHaveLength(0);

    // The first link was valid 7 days (until Fri 27 Nov 10:00): now it is expired and decides nothing.
    await moveClockTo("2026-11-27", "10:30");
    const expired = await stack.request(firstLink, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "outcome=approve",
    });
    expect(expired.status).toBe(410);
    // Sessions last 12 hours: days later the assistant signs in again.
    const tomaszAgain = await api.signIn("tomasz.wojcik@asystent.example.pl");
    expect((await api.call(tomasz, "GET", `/api/reports/${reportId}`)).status).toBe(401);
    expect((await api.call(tomaszAgain, "GET", `/api/reports/${reportId}`)).json.report.status).toBe("submitted");

    // The second timeout, 3 working days after Wed 25 Nov 10:01: Mon 30 Nov 10:01.
    await moveClockTo("2026-11-30", "10:02");
    const [escalation] = await api.waitForMail(deputy, /zastępstwo — sprawozdanie KR-AOU-019/);
    expect(escalation.body.text).toContain("zastępca");
    expect(await api.mailsTo(approver, /przypomnienie — sprawozdanie KR-AOU-019/)).toHaveLength(2);

    // The deputy decides from the web app; the waiting execution finishes and the assistant hears.
    const deputySession = await api.signIn(deputy);
    const queue = await api.call(deputySession, "GET", "/api/approvals");
    const pending = queue.json.pending.find((p: { report: { id: string } }) => p.report.id === reportId);
    expect(pending).toBeDefined();
    const decided = await api.call(deputySession, "POST", `/api/approvals/${pending.approvalId}/decision`, { outcome: "approve" });
    expect(decided.status, decided.text).toBe(200);
    expect(decided.json.report.status).toBe("approved");
    await api.waitForMail("tomasz.wojcik@asystent.example.pl", /KR-AOU-019 za 2026-11 zatwierdzone/);
    const executionArn = process.env.APPROVAL_STATE_MACHINE_ARN!.replace(":stateMachine:", ":execution:") + `:report-${reportId}-v1`;
    await stack.waitFor(() => stack.sfn.describeExecution({ executionArn }).status === "SUCCEEDED", "the approval execution to succeed");
    const tomaszLater = await api.signIn("tomasz.wojcik@asystent.example.pl");
    const events = (await api.call(tomaszLater, "GET", `/api/reports/${reportId}/audit`)).json.events.map((e: { type: string }) => e.type);
    expect(events).toEqual(expect.arrayContaining(["approval.reminded", "approval.escalated", "report.approved"]));
  });
});
