import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { buildRawEmail } from "../../functions/core/email/mime.js";
import { CONTENT_TYPES, financeEmail } from "../../functions/core/exports/index.js";
import { krakowBatch } from "../fixtures/exports/batch.js";

describe("raw MIME e-mail", () => {
  it("parses back with a UTF-8 subject, text and HTML parts and every attachment with its content type", async () => {
    const attachments = [
      { filename: "karta-krakow-aou-2026-11-b1.csv", contentType: CONTENT_TYPES.csv, content: Buffer.from("\ufeffAsystent;Kwota\r\nŁęcka;3456,00\r\n") },
      { filename: "karta-krakow-aou-2026-11-b1.xlsx", contentType: CONTENT_TYPES.xlsx, content: Buffer.from([0x50, 0x4b, 3, 4, 1, 2, 3]) },
      { filename: "karta-krakow-aou-2026-11-b1-pdf.zip", contentType: CONTENT_TYPES.zip, content: Buffer.from([0x50, 0x4b, 5, 6, 0, 0]) },
      { filename: "rachunek.pdf", contentType: CONTENT_TYPES.pdf, content: Buffer.from("%PDF-1.3\n%%EOF") },
    ];

    const raw = await buildRawEmail({
      from: "Karta <karta@example.org>",
      to: ["finanse@example.org", "ksiegowosc@example.org"],
      subject: "Karta: paczka płatności Kraków, listopad 2026 — ŻÓŁĆ",
      text: "Dzień dobry, suma 13 824,00 zł",
      html: "<p>Dzień dobry, suma <b>13 824,00 zł</b></p>",
      attachments,
      headers: { "X-Karta-Batch": "B-2026-11-001" },
      date: new Date("2026-12-10T09:00:00Z"),
    });

    const head = raw.subarray(0, raw.indexOf("\r\n\r\n")).toString("ascii");
    expect(head).toMatch(/^Content-Type: multipart\/mixed; boundary=/m);
    expect(head).toContain("Date: Thu, 10 Dec 2026 09:00:00 +0000");
    expect(raw.toString("utf8")).toMatch(/Content-Type: multipart\/alternative;/);
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe("Karta: paczka płatności Kraków, listopad 2026 — ŻÓŁĆ");
    expect(mail.text?.trim()).toBe("Dzień dobry, suma 13 824,00 zł");
    expect(mail.html).toContain("<b>13 824,00 zł</b>");
    expect(mail.headers.get("x-karta-batch")).toBe("B-2026-11-001");
    expect((mail.to as { value: { address: string }[] }).value.map((a) => a.address)).toEqual([
      "finanse@example.org",
      "ksiegowosc@example.org",
    ]);
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ["karta-krakow-aou-2026-11-b1.csv", "text/csv"],
      ["karta-krakow-aou-2026-11-b1.xlsx", CONTENT_TYPES.xlsx],
      ["karta-krakow-aou-2026-11-b1-pdf.zip", "application/zip"],
      ["rachunek.pdf", "application/pdf"],
    ]);
    mail.attachments.forEach((a, i) => expect(a.content.equals(attachments[i].content)).toBe(true));
  });

  it("refuses to let a subject with line breaks add headers", async () => {
    const raw = await buildRawEmail({
      from: "karta@example.org",
      to: ["finanse@example.org"],
      subject: "Paczka\r\nBcc: attacker@example.org",
      text: "x",
      html: "<p>x</p>",
    });

    const mail = await simpleParser(raw);
    expect(mail.bcc).toBeUndefined();
    expect(raw.toString()).not.toMatch(/^Bcc:/m);
  });
});

describe("finance e-mail content", () => {
  it("names programme, month and batch in the subject and lists control totals and every file's SHA-256", () => {
    const { header } = krakowBatch();
    const files = [
      { name: "karta-krakow-aou-2026-11-b-2026-11-001.csv", bytes: 812, sha256: "a1".repeat(32) },
      { name: "karta-krakow-aou-2026-11-b-2026-11-001-pdf.zip", bytes: 12_400_000, sha256: "b2".repeat(32), url: "https://karta.example.org/d/1?sig=x" },
    ];

    const email = financeEmail(header, files);

    expect(email.subject).toBe("Karta: paczka płatności Kraków — asystent osoby usamodzielnianej, listopad 2026 (2026-11), B-2026-11-001");
    expect(email.text).toContain("Liczba sprawozdań: 24");
    expect(email.text).toContain("Łączny czas: 144:00 h (144,00 h)");
    expect(email.text).toContain("Kwota brutto: 13\u00a0824,00\u00a0zł");
    expect(email.text).toContain(`SHA-256: ${"a1".repeat(32)}`);
    expect(email.text).toContain("w załączniku");
    expect(email.text).toContain("do pobrania: https://karta.example.org/d/1?sig=x");
    expect(email.html).toContain(`SHA-256: ${"b2".repeat(32)}`);
    expect(email.html).toContain('href="https://karta.example.org/d/1?sig=x"');
  });

  it("says when a batch is supplementary", () => {
    const { header } = krakowBatch();

    expect(financeEmail({ ...header, kind: "supplementary" }, []).subject).toContain("uzupełniająca paczka płatności");
  });
});
