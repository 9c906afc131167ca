import { describe, expect, it } from "vitest";
import { paymentSummaryEmail, type PaymentSummaryLine } from "../../functions/core/email/payment-summary-email.js";

const line = (beneficiaryCode: string, minutes: number, rateGrosze = 9_600): PaymentSummaryLine => ({
  beneficiaryCode,
  minutes,
  amountGrosze: Math.round((minutes * rateGrosze) / 60),
  rateLines: [{ rateGrosze, minutes, amountGrosze: Math.round((minutes * rateGrosze) / 60) }],
});

const summary = (overrides: Partial<Parameters<typeof paymentSummaryEmail>[0]> = {}) =>
  paymentSummaryEmail({
    assistantName: "Anna Nowak",
    programmeName: "Asystent Osoby Usamodzielnianej",
    month: "2026-11",
    batchId: "krakow-aou-2026-11-p01",
    batchKind: "main",
    lines: [line("KR-AOU-002", 390), line("KR-AOU-001", 360)],
    appUrl: "https://karta.example.gov.pl/",
    ...overrides,
  });

describe("the assistant's payment summary e-mail", () => {
  it("names the month in the subject, once per batch rather than per report", () => {
    const mail = summary();
    expect(mail.subject).toBe("Karta: sprawozdania za listopad 2026 zatwierdzone i przekazane do wypłaty");
    expect(mail.subject).not.toContain("KR-AOU");
  });

  it("lists each report with hours as HH:MM and decimal, rate and gross amount, Polish style", () => {
    const { text } = summary();
    expect(text).toMatch(/KR-AOU-001\s+6:00 h \(6,00 h\)\s+96,00\u00a0zł\/h\s+576,00\u00a0zł/);
    expect(text).toMatch(/KR-AOU-002\s+6:30 h \(6,50 h\)\s+96,00\u00a0zł\/h\s+624,00\u00a0zł/);
    expect(text.indexOf("KR-AOU-001")).toBeLessThan(text.indexOf("KR-AOU-002"));
    expect(text).toMatch(/Razem\s+12:30 h \(12,50 h\)\s+1\u00a0200,00\u00a0zł/);
    expect(text).toContain("2 sprawozdania");
  });

  it("names the batch and its kind", () => {
    expect(summary().text).toContain("główna paczka płatności krakow-aou-2026-11-p01");
    const late = summary({ batchKind: "supplementary", batchId: "krakow-aou-2026-11-p02", lines: [line("KR-AOU-018", 360)] });
    expect(late.text).toContain("uzupełniająca paczka płatności krakow-aou-2026-11-p02");
    expect(late.text).toContain("(1 sprawozdanie)");
  });

  it.each([
    [1, "sprawozdanie"],
    [3, "sprawozdania"],
    [5, "sprawozdań"],
    [12, "sprawozdań"],
    [22, "sprawozdania"],
  ])("counts %i reports as „%s”", (n, word) => {
    const lines = Array.from({ length: n }, (_, i) => line(`KR-AOU-${String(i + 1).padStart(3, "0")}`, 60));
    expect(summary({ lines }).text).toContain(`(${n} ${word})`);
  });

  it("links to the assistant's month in the app", () => {
    const { text, html } = summary();
    expect(text).toContain("https://karta.example.gov.pl/?month=2026-11");
    expect(html).toContain('href="https://karta.example.gov.pl/?month=2026-11"');
  });

  it("shows beneficiaries by code only: no initials or names, because the lines carry none", () => {
    const withMore = { ...line("KR-AOU-001", 360), initials: "Ł.Ż.", beneficiaryName: "Łucja Żak" } as PaymentSummaryLine;
    const { text, html } = summary({ lines: [withMore] });
    for (const part of [text, html]) {
      expect(part).toContain("KR-AOU-001");
      expect(part).not.toContain("Ł.Ż.");
      expect(part).not.toContain("Łucja");
    }
  });

  it("escapes the assistant's name in HTML and keeps it as typed in plain text", () => {
    const { text, html } = summary({ assistantName: "Anna <b>&</b> Nowak" });
    expect(html).toContain("Anna &lt;b&gt;&amp;&lt;/b&gt; Nowak");
    expect(html).not.toContain("<b>&</b>");
    expect(text).toContain("Anna <b>&</b> Nowak");
  });
});
