import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import { startTestStack, type InboxEmail, type TestStack } from "../support/local-stack.js";
import { apiClient, approvalLinkPattern } from "./api-helpers.js";

// Friday 20 November 2026, 10:00 Warsaw. Kraków: approval timeout 3 working days, approver
// reminders after 2 working days, deputy p-krakow-deputy; the November cycle checks decisions
// only after its deadline (Thu 3 December).
const startAt = new Date(warsawInstant("2026-11-20", "10:00"));
const approver = "zatwierdzajacy@mops-krakow.example.pl";
const deputy = "zastepca@mops-krakow.example.pl";
const tomaszEmail = "tomasz.wojcik@asystent.example.pl";
/** The approvers' daily digest and the deputy's (subject starts "Zastępstwo:"). */
const digest = /^Sprawozdania czekają na zatwierdzenie/;
const deputyDigest = /^Zastępstwo: sprawozdania czekają na zatwierdzenie/;

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

/** The signed link listed under a report in a digest (the URL on the line after its entry). */
function linkFor(mail: InboxEmail, beneficiaryCode: string): string {
  const match = new RegExp(`\\d+\\. [^\\n]*${beneficiaryCode}[^\\n]*\\n[^\\n]*?(${approvalLinkPattern.source})`).exec(mail.body.text ?? "");
  if (!match) throw new Error(`No link for ${beneficiaryCode} in ${mail.subject}:\n${mail.body.text}`);
  return api.path(match[1]);
}
const listed = (mail: InboxEmail) => [...(mail.body.text ?? "").matchAll(/^\d+\. .*?(KR-AOU-\d{3})/gm)].map((m) => m[1]);
const form = (body: string) => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });

async function submit(cookie: string, code: string, day: string): Promise<string> {
  const reportId = await api.draftSigned(cookie, "krakow-aou", "2026-11", code, [api.visit(day, "16:00", "18:00")], stack.clock.now().toISOString());
  const submitted = await api.call(cookie, "POST", `/api/reports/${reportId}/submit`);
  expect(submitted.status, submitted.text).toBe(200);
  await api.waitForMail(approver, new RegExp(`sprawozdanie ${code} `));
  await stack.sfn.idle();
  return reportId;
}

async function auditTypes(reportId: string): Promise<{ type: string; details?: Record<string, unknown> }[]> {
  const tomasz = await api.signIn(tomaszEmail); // sessions last 12 hours; days pass between the checks
  return (await api.call(tomasz, "GET", `/api/reports/${reportId}/audit`)).json.events;
}

describe("approvers who do not answer get one reminder digest per day", () => {
  const ids: Record<string, string> = {};
  let firstLink = "";

  it("sends one digest listing both reports that time out the same day, each with a working link", async () => {
    const tomasz = await api.signIn(tomaszEmail);
    ids["019"] = await submit(tomasz, "KR-AOU-019", "2026-11-10");
    const [ask] = await api.mailsTo(approver, /sprawozdanie KR-AOU-019 /);
    firstLink = api.path(api.linkIn(ask, approvalLinkPattern));
    await moveClockTo("2026-11-20", "12:00");
    ids["020"] = await submit(tomasz, "KR-AOU-020", "2026-11-11");
    await moveClockTo("2026-11-24", "10:00");
    ids["021"] = await submit(await api.signIn(tomaszEmail), "KR-AOU-021", "2026-11-12");

    // 3 working days after Fri 20 Nov 10:00 is Wed 25 Nov 10:00 (KR-AOU-020: 12:00).
    await moveClockTo("2026-11-25", "09:59");
    expect(await api.mailsTo(approver, digest)).toHaveLength(0);
    await moveClockTo("2026-11-25", "10:01");
    const [first] = await api.waitForMail(approver, digest);
    // KR-AOU-021 (Tue 24 Nov) has waited 1 working day, under the programme's 2.
    expect(listed(first)).toEqual(["KR-AOU-019", "KR-AOU-020"]);
    expect(first.subject).toContain("(2)");
    expect(first.body.html).toContain("/approve/");
    expect(await api.mailsTo(deputy, deputyDigest)).toHaveLength(0);

    // KR-AOU-020's own timeout at 12:00 finds today's digest sent: no second e-mail.
    await moveClockTo("2026-11-25", "12:01");
    expect(await api.mailsTo(approver, digest)).toHaveLength(1);
    expect(await api.mailsTo(approver, /przypomnienie/)).toHaveLength(0);

    // Each link is signed for its own approval: each opens its page; KR-AOU-020 is approved from the digest.
    expect(linkFor(first, "KR-AOU-019")).not.toBe(linkFor(first, "KR-AOU-020"));
    expect((await stack.request(linkFor(first, "KR-AOU-019"))).status).toBe(200);
    const page020 = await stack.request(linkFor(first, "KR-AOU-020"));
    expect(page020.status).toBe(200);
    expect(await page020.text()).toContain("KR-AOU-020");
    const approved = await stack.request(linkFor(first, "KR-AOU-020"), form("outcome=approve"));
    expect(approved.status).toBe(200);
    await stack.waitFor(async () => (await auditTypes(ids["020"])).some((e) => e.type === "report.approved"), "KR-AOU-020 to be approved");
    // Both timeouts are in the reports' audit trails, pointing at the one digest.
    for (const code of ["019", "020"]) {
      const reminded = (await auditTypes(ids[code])).filter((e) => e.type === "approval.reminded");
      expect(reminded, code).toHaveLength(1);
      expect(reminded[0].details).toMatchObject({ attempt: 1, digest: "approver-digest#krakow-aou#p-krakow-approver#2026-11-25" });
    }
  });

  it("sends a new digest on a later day's timeout", async () => {
    // KR-AOU-021 times out Fri 27 Nov 10:00: a new day, a new digest of what still waits.
    await moveClockTo("2026-11-27", "10:01");
    const mails = await api.waitForMail(approver, digest, 2);
    expect(mails).toHaveLength(2);
    expect(listed(mails[1])).toEqual(["KR-AOU-019", "KR-AOU-021"]);
    expect((await stack.request(linkFor(mails[1], "KR-AOU-021"))).status).toBe(200);
    expect((await stack.request(linkFor(mails[1], "KR-AOU-019"))).status).toBe(200);
  });

  it("escalates to the deputy after the second timeout, with the deputy's own digest", async () => {
    // The first link was valid 7 days (until Fri 27 Nov 10:00): now it is expired and decides nothing.
    await moveClockTo("2026-11-27", "10:30");
    expect((await stack.request(firstLink, form("outcome=approve"))).status).toBe(410);

    // KR-AOU-019's second timeout, 3 working days after Wed 25 Nov 10:01: Mon 30 Nov 10:01.
    await moveClockTo("2026-11-30", "10:02");
    const [escalation] = await api.waitForMail(deputy, deputyDigest);
    expect(listed(escalation)).toEqual(["KR-AOU-019"]); // KR-AOU-021 has timed out only once
    expect(escalation.body.text).toContain("Jako zastępca");
    const approverDigests = await api.mailsTo(approver, digest);
    expect(approverDigests).toHaveLength(3); // Wed 25, Fri 27 and Mon 30 November
    expect(listed(approverDigests[2])).toEqual(["KR-AOU-019", "KR-AOU-021"]);

    // The deputy's link is signed for the deputy, and decides.
    const decided = await stack.request(linkFor(escalation, "KR-AOU-019"), form("outcome=approve"));
    expect(decided.status).toBe(200);
    const executionArn = process.env.APPROVAL_STATE_MACHINE_ARN!.replace(":stateMachine:", ":execution:") + `:report-${ids["019"]}-v1`;
    await stack.waitFor(() => stack.sfn.describeExecution({ executionArn }).status === "SUCCEEDED", "the approval execution to succeed");
    const events = await auditTypes(ids["019"]);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["approval.reminded", "approval.escalated", "report.approved"]));
    expect(events.filter((e) => e.type === "approval.reminded").map((e) => e.details?.attempt)).toEqual([1, 2]);
    expect(events.find((e) => e.type === "approval.escalated")!.details).toMatchObject({ to: "p-krakow-deputy", attempt: 2, digest: "approver-digest#krakow-aou#p-krakow-deputy#2026-11-30" });
  });

  it("sends one e-mail when the cycle's daily check and a timeout remind the same day", async () => {
    // KR-AOU-021's second timeout, Wed 2 Dec 10:00: the approvers' digest and the deputy's.
    await moveClockTo("2026-12-02", "10:05");
    const wednesday = await api.mailsTo(approver, digest);
    expect(wednesday).toHaveLength(4);
    expect(listed(wednesday[3])).toEqual(["KR-AOU-021"]);
    expect(listed((await api.mailsTo(deputy, deputyDigest)).at(-1)!)).toEqual(["KR-AOU-021"]);

    // The November cycle closes at the end of Thu 3 Dec and checks the decisions every working
    // day: Fri 4 Dec and Mon 7 Dec 07:00 each send the day's digest.
    await moveClockTo("2026-12-04", "09:00");
    expect(await api.mailsTo(approver, digest)).toHaveLength(5);
    await moveClockTo("2026-12-07", "09:00");
    const monday = await api.mailsTo(approver, digest);
    expect(monday).toHaveLength(6);
    expect(listed(monday[5])).toEqual(["KR-AOU-021"]);

    // KR-AOU-021's third timeout, Mon 7 Dec 10:00, finds Monday's digest sent: nothing more.
    await moveClockTo("2026-12-07", "12:00");
    expect(await api.mailsTo(approver, digest)).toHaveLength(6);
    const reminded = (await auditTypes(ids["021"])).filter((e) => e.type === "approval.reminded");
    expect(reminded.map((e) => e.details?.attempt)).toEqual([1, 2, 3]);
    expect(reminded[2].details).toMatchObject({ digest: "approver-digest#krakow-aou#p-krakow-approver#2026-12-07" });
    // Its link in Monday's digest (sent by the cycle) works.
    expect((await stack.request(linkFor(monday[5], "KR-AOU-021"))).status).toBe(200);
  });
});
