import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { approvalFormPage, messagePage } from "../../functions/core/approval-page.js";
import { renderEmail } from "../../functions/core/email/layout.js";
import { signInEmail } from "../../functions/core/email/sign-in-email.js";
import { pdfText } from "../../functions/core/exports/safe-cell.js";

/**
 * Issue 8, item 6 (with tests/unit/exports-injection.test.ts, which prints the `exports:` line):
 * person-supplied text — names, notes, explanations, reasons — reaches the HTML of every e-mail
 * (one layout) and of the approval page only escaped, whatever it contains.
 */
const INJECT = "<x-inj onerror=alert(1)>";
const ATTR = '" onmouseover="alert(1)';
const hostile = fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom(INJECT, ATTR, "</textarea><script>x</script>", "<!--", "]]>", "&lt;b&gt;"), fc.string({ maxLength: 20 })).map(([a, b, c]) => a + b + c);
// A comment opener or a CDATA end that reached the HTML unescaped could swallow or end markup.
const clean = (html: string) =>
  !html.includes("<x-inj") && !html.includes('" onmouseover="') && !html.includes("<script>") && !html.includes("</textarea><") && !html.includes("<!--") && !html.includes("]]>");

describe("HTML in person-supplied text", () => {
  it("is escaped in every part of an e-mail", () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 8, maxLength: 8 }), (t) => {
        const { html } = renderEmail({
          subject: t[0],
          title: t[1],
          blocks: [{ paragraphs: [t[2]], table: { head: [t[3]], rows: [[t[4]]] }, action: { label: t[5], url: `https://karta.example.pl/${t[6]}` } }],
          footer: t[7],
        });
        return clean(html);
      }),
      { numRuns: 300, seed: 8 },
    );
  });

  it("is escaped in the sign-in e-mail's name and link", () => {
    fc.assert(fc.property(hostile, hostile, (name, path) => clean(signInEmail({ name, url: `https://karta.example.pl/${path}` }).html)), { numRuns: 200, seed: 8 });
  });

  it("is escaped on the approval page (facts, visits with their words, signatures, changes, explanation, form action) and on refusal pages", () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 12, maxLength: 12 }), (t) => {
        const page = approvalFormPage({
          lang: "pl",
          facts: [[t[0], t[1]]],
          visits: [{ when: t[2], duration: t[3], mode: t[4], scope: t[7], justification: t[8], note: t[9] }],
          signatures: [{ label: t[10], signer: t[11], signedAt: t[2], evidence: t[3], imageDataUrl: `data:image/png;base64,${t[4]}` }],
          changes: { since: 1, lines: [t[8]] },
          overOrderExplanation: t[5],
          formAction: `/approve/a?sig=${t[6]}`,
          otherLanguageUrl: `/approve/a?sig=${t[6]}`,
        });
        return clean(page) && clean(messagePage("en", t[0], t[1]));
      }),
      { numRuns: 300, seed: 8 },
    );
  });

  it("keeps no control character or bidi override in PDF text", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 40 }), (s) => !/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(pdfText(s))), { numRuns: 100, seed: 8 });
  });
});
