import { describe, expect, it } from "vitest";
import { approvalsDueForReminder, newApproval, type Approval } from "../../functions/core/approval.js";
import { approverDigestEmail, reportsWaiting, type DigestEntry } from "../../functions/core/email/approver-digest-email.js";
import { seedProgramme } from "../../functions/core/programme.js";
import { newReport } from "../../functions/core/report.js";

// Kraków: approverReminderAfterWorkingDays 2, approvalTimeoutWorkingDays 3.
const krakow = seedProgramme("krakow-aou")!;

const approval = (beneficiaryCode: string, createdAt: string, status: Approval["status"] = "pending"): Approval => ({
  ...newApproval({ ...newReport({ programmeId: "krakow-aou", month: "2026-11", assistantId: "p-anna-nowak", beneficiaryCode }), version: 1, contentHash: "0".repeat(64) }, new Date(createdAt)),
  status,
});

describe("which approvals a reminder digest lists", () => {
  // Thu 3 Dec (10:00), Fri 4 Dec, Mon 7 Dec (23:30 Warsaw is still the 7th); checked Wed 9 Dec 07:00 Warsaw.
  const thu = approval("KR-AOU-001", "2026-12-03T09:00:00.000Z");
  const fri = approval("KR-AOU-002", "2026-12-04T09:00:00.000Z");
  const monLate = approval("KR-AOU-003", "2026-12-07T22:30:00.000Z");
  const decided = approval("KR-AOU-004", "2026-11-20T09:00:00.000Z", "approved");
  const wed = "2026-12-09T06:00:00.000Z";

  it("lists to the approvers every pending approval waiting at least the sooner of the two limits, oldest first", () => {
    // Working days after Thu 3 Dec up to Wed 9 Dec: 4, 7, 8, 9 → 4; Fri: 3; Mon: 2 (Tue, Wed).
    expect(approvalsDueForReminder([monLate, fri, decided, thu], krakow, wed, "approvers")).toEqual([thu, fri, monLate]);
    expect(approvalsDueForReminder([monLate, fri, thu], { ...krakow, approverReminderAfterWorkingDays: 5 }, wed, "approvers")).toEqual([thu, fri]);
  });

  it("counts by Warsaw date, so every digest of a day lists the same approvals", () => {
    const early = approvalsDueForReminder([thu, fri, monLate], krakow, "2026-12-08T23:05:00.000Z", "approvers"); // 00:05 Wed Warsaw
    const late = approvalsDueForReminder([thu, fri, monLate], krakow, "2026-12-09T22:55:00.000Z", "approvers"); // 23:55 Wed Warsaw
    expect(early).toEqual(late);
  });

  it("lists to the deputy only approvals that waited two timeouts (escalation)", () => {
    // 2 × 3 working days after Thu 3 Dec is Fri 11 Dec.
    expect(approvalsDueForReminder([thu, fri], krakow, "2026-12-10T12:00:00.000Z", "deputy")).toEqual([]);
    expect(approvalsDueForReminder([thu, fri], krakow, "2026-12-11T12:00:00.000Z", "deputy")).toEqual([thu]);
  });
});

describe("the approver's digest e-mail", () => {
  const entry = (n: number, version = 1): DigestEntry => ({
    assistantName: "Anna Nowak",
    beneficiaryCode: `KR-AOU-00${n}`,
    month: "2026-11",
    version,
    waitingSince: "2026-12-03T09:00:00.000Z",
    url: `https://karta.example.pl/approve/a${String(n).repeat(24)}?sig=s${n}`,
  });
  const mail = (entries: DigestEntry[], escalation = false) =>
    approverDigestEmail({ recipientName: "Ewa Zielińska", programmeName: "Asystent Osoby Usamodzielnianej", escalation, entries, linksExpireAt: "2026-12-16T06:00:00.000Z", appUrl: "https://karta.example.pl/" });

  it("lists every waiting report with its own link, in the plain-text and the HTML part", () => {
    const { subject, text, html } = mail([entry(1), entry(2, 2)]);
    expect(subject).toBe("Sprawozdania czekają na zatwierdzenie (2) — Asystent Osoby Usamodzielnianej");
    expect(text).toContain("Dzień dobry, Ewa Zielińska.");
    expect(text).toContain("2 sprawozdania czekają na potwierdzenie merytoryczne");
    expect(text).toContain("1. Anna Nowak — KR-AOU-001, listopad 2026, czeka od 03.12.2026\n   Otwórz, aby zatwierdzić lub zwrócić: https://karta.example.pl/approve/a111111111111111111111111?sig=s1");
    expect(text).toContain("2. Anna Nowak — KR-AOU-002, listopad 2026 (wersja 2), czeka od 03.12.2026\n   Otwórz, aby zatwierdzić lub zwrócić: https://karta.example.pl/approve/a222222222222222222222222?sig=s2");
    expect(text).toContain("ważny do 16.12.2026, godz. 07:00");
    expect(text).toContain("najwyżej raz dziennie");
    expect(text).toContain("https://karta.example.pl/\n");
    expect(html).toContain('<a href="https://karta.example.pl/approve/a111111111111111111111111?sig=s1">');
    expect(html).toContain('<a href="https://karta.example.pl/approve/a222222222222222222222222?sig=s2">');
  });

  it("counts the reports left without a link and sends the approver to the queue", () => {
    const { subject, text } = approverDigestEmail({ recipientName: "Ewa", programmeName: "AOU", escalation: false, entries: [entry(1), entry(2)], more: 23, linksExpireAt: "2026-12-16T06:00:00.000Z", appUrl: "https://karta.example.pl/" });
    expect(subject).toBe("Sprawozdania czekają na zatwierdzenie (25) — AOU");
    expect(text).toContain("25 sprawozdań czeka na potwierdzenie merytoryczne");
    expect(text).toContain("Oraz 23 kolejne sprawozdania — wiadomość podaje linki do 2 najdłużej czekających; pozostałe są w kolejce w aplikacji.");
    expect(text).not.toContain("3. ");
    const five = approverDigestEmail({ recipientName: "Ewa", programmeName: "AOU", escalation: false, entries: [entry(1)], more: 5, linksExpireAt: "2026-12-16T06:00:00.000Z", appUrl: "https://karta.example.pl/" });
    expect(five.text).toContain("Oraz 5 kolejnych sprawozdań");
    expect(mail([entry(1)]).text).not.toContain("Oraz");
  });

  it("tells the deputy it is an escalation", () => {
    const { subject, text } = mail([entry(1)], true);
    expect(subject).toBe("Zastępstwo: sprawozdania czekają na zatwierdzenie (1) — Asystent Osoby Usamodzielnianej");
    expect(text).toContain("1 sprawozdanie czeka na potwierdzenie merytoryczne, mimo przypomnień");
    expect(text).toContain("Jako zastępca możesz je zatwierdzić albo zwrócić do poprawy.");
  });

  it("escapes person-supplied text in the HTML", () => {
    const { html } = mail([{ ...entry(1), assistantName: "<script>x</script>" }]);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
  });

  it("puts the Polish plural right", () => {
    expect([1, 2, 4, 5, 12, 13, 22, 25, 104, 112].map(reportsWaiting)).toEqual([
      "1 sprawozdanie czeka",
      "2 sprawozdania czekają",
      "4 sprawozdania czekają",
      "5 sprawozdań czeka",
      "12 sprawozdań czeka",
      "13 sprawozdań czeka",
      "22 sprawozdania czekają",
      "25 sprawozdań czeka",
      "104 sprawozdania czekają",
      "112 sprawozdań czeka",
    ]);
  });
});
