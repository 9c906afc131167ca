import { describe, expect, it } from "vitest";
import { seedProgramme } from "../../functions/core/programme.js";
import { newReport, returnForCorrection, type Report } from "../../functions/core/report.js";
import { printProblem, setAsideReason, SYSTEM_ACTOR } from "../../functions/core/set-aside.js";
import { financeEmail } from "../../functions/core/exports/finance-email.js";
import { signaturePng } from "../fixtures/exports/batch.js";

const krakow = seedProgramme("krakow-aou")!;
const png = (b: Buffer) => `data:image/png;base64,${b.toString("base64")}`;

function approved(images: { assistant?: string; beneficiary?: string } = {}): Report {
  const start = "2026-11-02T14:00:00.000Z";
  return {
    ...newReport({ programmeId: "krakow-aou", month: "2026-11", assistantId: "p-anna-nowak", beneficiaryCode: "KR-AOU-001" }),
    visits: [{ id: "v1", date: "2026-11-02", start, end: "2026-11-02T15:00:00.000Z", scopeIds: ["t05-job-activation"], mode: "in_person" }],
    signatures: (["beneficiary", "assistant"] as const).map((role) => ({
      role,
      signer: role,
      signedAt: start,
      evidence: "drawn" as const,
      imageDataUrl: images[role] ?? png(signaturePng(2)),
      contentHash: "0".repeat(64),
    })),
    status: "approved",
    decidedAt: "2026-12-05T10:00:00.000Z",
    decidedBy: "p-krakow-approver",
  };
}

describe("reports the payment files cannot print (issue 13)", () => {
  it("finds nothing wrong with a report whose signatures are whole PNGs", () => {
    expect(printProblem(approved(), krakow)).toBeUndefined();
  });

  it("names the signature whose image is not a PNG, in Polish and English", () => {
    const problem = printProblem(approved({ beneficiary: png(Buffer.from("not a png")) }), krakow);
    expect(problem?.pl).toMatch(/^Obraz podpisu uczestnika jest uszkodzony .*\(not a valid PNG image/);
    expect(problem?.en).toMatch(/^The beneficiary's signature image is damaged/);
  });

  it("refuses a truncated PNG and one larger than a signature pad draws", () => {
    const whole = signaturePng(2);
    expect(printProblem(approved({ assistant: png(whole.subarray(0, whole.length - 20)) }), krakow)?.en).toMatch(/assistant's signature/);
    expect(printProblem(approved({ assistant: png(signaturePng(1, 5000, 10)) }), krakow)?.en).toMatch(/5000×10 px/);
  });

  it("reports a version the card cannot hold (no priced visit) instead of throwing", () => {
    const problem = printProblem({ ...approved(), visits: [], pricing: [] }, krakow);
    expect(problem?.pl).toMatch(/nie da się wydrukować w plikach płatności/);
  });

  it("returns only an approved report, by the system, with the reason in both languages", () => {
    const problem = printProblem(approved({ assistant: png(Buffer.from("x")) }), krakow)!;
    const returned = returnForCorrection(approved(), setAsideReason(problem), SYSTEM_ACTOR, "2026-12-07T06:00:00.000Z");
    expect(returned).toMatchObject({ status: "returned", decidedBy: "karta-system", version: 1 });
    expect(returned.returnReason).toContain(" / The assistant's signature image");
    expect(() => returnForCorrection({ ...approved(), status: "submitted" }, "x", SYSTEM_ACTOR, "2026-12-07T06:00:00.000Z")).toThrow();
  });

  it("tells finance which reports are held back from the batch and why the totals leave them out", () => {
    const header = { batchId: "krakow-aou-2026-11-p01", programmeId: "krakow-aou", programmeName: "AOU", month: "2026-11", kind: "main" as const, createdAt: "2026-12-07T06:00:00.000Z", totals: { reports: 2, minutes: 720, grosze: 115_200 } };
    const setAside = [{ assistantName: "Anna <b>Nowak</b>", beneficiaryCode: "KR-AOU-002", reportId: "r123", version: 1 }];
    const email = financeEmail(header, [], { setAside });
    expect(email.text).toContain("Wstrzymano 1 sprawozdanie (nie ma go w tej paczce ani w sumach kontrolnych)");
    expect(email.text).toContain("- Anna <b>Nowak</b>, uczestnik KR-AOU-002 (r123, wersja 1)");
    expect(email.html).toContain("Anna &lt;b&gt;Nowak&lt;/b&gt;, uczestnik KR-AOU-002");
    expect(financeEmail(header, []).text).not.toContain("Wstrzymano");
  });
});
