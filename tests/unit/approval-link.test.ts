import { describe, expect, it } from "vitest";
import { ApprovalLinkExpiredError, ApprovalLinkInvalidError, approvalTimeoutSeconds, assertOpen, decide, newApproval, reminderRecipients, type Approval } from "../../functions/core/approval.js";
import { approvalUrl, signApprovalLink, verifyApprovalLink } from "../../functions/core/approval-link.js";
import { seedProgramme } from "../../functions/core/programme.js";
import { contentHash, newReport, type Report } from "../../functions/core/report.js";
import { warsawInstant } from "../../functions/core/calendar.js";

const secret = "test-secret";
const programme = seedProgramme("krakow-aou")!;

function submittedReport(version = 1): Report {
  const report = newReport({ programmeId: "krakow-aou", month: "2026-11", assistantId: "p-anna", beneficiaryCode: "KR-AOU-001" });
  return { ...report, version, status: "submitted" };
}

function approvalWithLink(expiresAt = "2026-11-27T09:00:00.000Z"): { approval: Approval; sig: string } {
  const report = submittedReport();
  const approval = newApproval({ ...report, contentHash: contentHash(report) }, new Date("2026-11-20T09:00:00Z"));
  approval.links["ask:p-approver"] = { approverId: "p-approver", issuedAt: "2026-11-20T09:00:00.000Z", expiresAt };
  return { approval, sig: signApprovalLink(secret, approval, approval.links["ask:p-approver"]) };
}

describe("approval links", () => {
  const now = new Date("2026-11-21T09:00:00Z");

  it("accepts the link as signed and names the approver it was made for", () => {
    const { approval, sig } = approvalWithLink();
    expect(verifyApprovalLink(secret, approval, sig, now).approverId).toBe("p-approver");
  });

  it.each([
    ["a changed signature", (a: Approval, s: string) => [a, s.slice(0, -2) + (s.endsWith("AA") ? "BB" : "AA")]],
    ["no signature", (a: Approval) => [a, undefined]],
    ["another secret", (a: Approval) => [a, signApprovalLink("other", a, a.links["ask:p-approver"])]],
    ["another version", (a: Approval, s: string) => [{ ...a, version: 2 }, s]],
    ["another content hash", (a: Approval, s: string) => [{ ...a, contentHash: "0".repeat(64) }, s]],
    ["another approver", (a: Approval, s: string) => [{ ...a, links: { x: { ...a.links["ask:p-approver"], approverId: "p-other" } } }, s]],
    ["a later expiry", (a: Approval, s: string) => [{ ...a, links: { x: { ...a.links["ask:p-approver"], expiresAt: "2027-01-01T00:00:00.000Z" } } }, s]],
  ] as const)("refuses %s with 403", (_, tamper) => {
    const { approval, sig } = approvalWithLink();
    const [a, s] = tamper(approval, sig) as [Approval, string | undefined];
    expect(() => verifyApprovalLink(secret, a, s, now)).toThrow(ApprovalLinkInvalidError);
  });

  it("refuses an expired link with 410", () => {
    const { approval, sig } = approvalWithLink("2026-11-21T09:00:00.000Z");
    expect(() => verifyApprovalLink(secret, approval, sig, now)).toThrow(ApprovalLinkExpiredError);
  });

  it("puts only the approval id and the signature in the URL", () => {
    expect(approvalUrl("https://karta.example/", "a123", "s+/=")).toBe("https://karta.example/approve/a123?sig=s%2B%2F%3D");
  });
});

describe("approval decisions and timing", () => {
  it("decides once: a decided approval refuses a second decision", () => {
    const { approval } = approvalWithLink();
    const report = submittedReport();
    const { decision } = decide(approval, report, { outcome: "approve" }, { by: "p-approver", via: "link" }, new Date());
    expect(decision.outcome).toBe("approved");
    expect(() => assertOpen({ ...approval, status: "approved", decision }, report)).toThrow(expect.objectContaining({ status: 410 }));
  });

  it("refuses a decision on a superseded version with 409", () => {
    const { approval } = approvalWithLink();
    expect(() => decide(approval, submittedReport(2), { outcome: "approve" }, { by: "p", via: "link" }, new Date())).toThrow(expect.objectContaining({ status: 409 }));
  });

  it("requires a reason to return", () => {
    const { approval } = approvalWithLink();
    expect(() => decide(approval, submittedReport(), { outcome: "return" }, { by: "p", via: "link" }, new Date())).toThrow(expect.objectContaining({ code: "RETURN_REASON_REQUIRED" }));
  });

  it.each([
    ["Fri 20 Nov 10:00 → Wed 25 Nov 10:00", "2026-11-20", "2026-11-25"],
    ["Thu 5 Nov → Tue 10 Nov (11 Nov is a holiday, not in range)", "2026-11-05", "2026-11-10"],
    ["Tue 10 Nov → Mon 16 Nov (11 Nov holiday)", "2026-11-10", "2026-11-16"],
  ])("times out after 3 working days: %s", (_, from, to) => {
    const now = new Date(warsawInstant(from, "10:00"));
    expect(approvalTimeoutSeconds(now, programme)).toBe((Date.parse(warsawInstant(to, "10:00")) - now.getTime()) / 1000);
  });

  it("reminds the approvers first and adds the deputy from the second timeout", () => {
    expect(reminderRecipients(programme, 1)).toEqual([{ personId: "p-krakow-approver", escalation: false }]);
    expect(reminderRecipients(programme, 2)).toEqual([
      { personId: "p-krakow-approver", escalation: false },
      { personId: "p-krakow-deputy", escalation: true },
    ]);
  });
});
