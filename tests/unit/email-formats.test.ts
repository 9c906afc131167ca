// Issue 15, case 11: e-mails speak as people in Poland read — dates dd.mm.rrrr, times HH:MM in
// Warsaw time, months by name — never machine formats (2027-01-07, 2026-12, ISO instants, UTC).
import { describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import { approvalEmail } from "../../functions/core/email/approval-email.js";
import { returnedEmail } from "../../functions/core/email/decision-email.js";
import { intakeSummaryEmail } from "../../functions/core/email/intake-summary-email.js";
import { reminderEmail } from "../../functions/core/email/reminder-email.js";
import { financeEmail } from "../../functions/core/exports/finance-email.js";
import { seedProgramme } from "../../functions/core/programme.js";
import { newReport, Report } from "../../functions/core/report.js";
import { krakowBatch } from "../fixtures/exports/batch.js";

/** A date or month as a machine writes it: 2027-01-07, 2026-12, 2026-12-25T17:31:02.157Z. */
const MACHINE_DATE = /\b\d{4}-\d{2}(-\d{2})?\b|T\d{2}:\d{2}|\(UTC\)/;

/** The words people read: subject and text body, links left out (a link may carry ?month=2026-12). */
const words = (mail: { subject: string; text: string }) => `${mail.subject}\n${mail.text}`.replace(/https?:\/\/\S+/g, "");

const report = Report.parse({
  ...newReport({ programmeId: "krakow-aou", month: "2026-12", assistantId: "p-anna-nowak", beneficiaryCode: "KR-AOU-001" }),
  status: "submitted",
  visits: [{ id: "v1", date: "2026-12-03", start: warsawInstant("2026-12-03", "14:00"), end: warsawInstant("2026-12-03", "16:00"), scopeIds: ["t05-job-activation"], mode: "in_person" }],
});
const programme = seedProgramme("krakow-aou")!;

describe("e-mails in Polish formats (issue 15, case 11)", () => {
  it("the reminder gives the deadline as dd.mm.rrrr and links to the month still due", () => {
    const mail = reminderEmail({
      assistantName: "Anna Nowak",
      programmeName: "AOU Kraków",
      month: "2026-12",
      deadlineDate: "2027-01-07",
      owed: [{ beneficiaryCode: "KR-AOU-001", orderedMinutes: 360, loggedMinutes: 120, state: "draft" } as never],
      appUrl: "https://karta.example.gov.pl/",
    });
    expect(mail.subject).toBe("Przypomnienie: sprawozdania za grudzień 2026 — termin 07.01.2027");
    expect(words(mail)).not.toMatch(MACHINE_DATE);
    // in the first days of January the app opens January; the link opens December, still due
    expect(mail.text).toContain("https://karta.example.gov.pl/?month=2026-12");
  });

  it("the approval e-mail names the month and gives the link's expiry in Warsaw time", () => {
    const mail = approvalEmail({
      kind: "ask",
      recipientName: "Ewa Żak",
      assistantName: "Anna Nowak",
      report,
      programme,
      url: "https://karta.example.gov.pl/approve/x",
      expiresAt: "2026-12-25T17:31:02.157Z",
    });
    expect(mail.subject).toContain("za grudzień 2026");
    expect(mail.text).toContain("Link jest ważny do 25.12.2026, 18:31 (czas polski)");
    expect(words(mail)).not.toMatch(MACHINE_DATE);
  });

  it("the returned-report e-mail names the month", () => {
    const mail = returnedEmail({ assistantName: "Anna Nowak", report: { ...report, status: "returned" }, reason: "Brak podpisu.", url: "https://karta.example.gov.pl/reports/x" });
    expect(mail.subject).toBe("Karta: sprawozdanie KR-AOU-001 za grudzień 2026 zwrócone do poprawy");
    expect(words(mail)).not.toMatch(MACHINE_DATE);
  });

  it("the coordinator's intake summary gives the deadline as dd.mm.rrrr", () => {
    const mail = intakeSummaryEmail({ programmeName: "AOU Kraków", month: "2026-12", deadlineDate: "2027-01-07", expected: 3, missing: [], appUrl: "https://karta.example.gov.pl" });
    expect(mail.text).toContain("stan po terminie 07.01.2027");
    expect(words(mail)).not.toMatch(MACHINE_DATE);
  });

  it("the finance e-mail sends 'paczkę płatności' (accusative), for both kinds", () => {
    const { header } = krakowBatch();
    expect(financeEmail(header, []).text).toContain("przesyłamy paczkę płatności");
    expect(financeEmail({ ...header, kind: "supplementary" }, []).text).toContain("przesyłamy uzupełniającą paczkę płatności");
    expect(financeEmail(header, []).html).toContain("przesyłamy paczkę płatności");
  });
});
