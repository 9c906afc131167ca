import { payBatch } from "../support/pay-batch.js";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PNG as PngImage } from "pngjs";
import { benchProgramme, benchVisits, assistantId, beneficiaryCode } from "../../bench/data.js";
import { reportItem, reportVersionItem, seedProgramme, writeInParallel } from "../../bench/seed.js";
import { getBatch } from "../../functions/adapters/batches.js";
import { auditEventsOfBatch } from "../../functions/adapters/audit-events.js";
import { addSignature, approve, contentHash, MAX_SIGNATURE_IMAGE_CHARS, newReport, Report, submit } from "../../functions/core/report.js";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { unzip } from "../fixtures/exports/batch.js";
import { apiClient } from "./api-helpers.js";

/**
 * A batch too large for an e-mail (and far above the 6 MB an API answer can carry) reaches
 * finance: the e-mail links the finance page, and each file downloads from S3 through the
 * presigned URL the route hands out, byte for byte what send-batch recorded.
 */
const MONTH = "2026-11";
const ASSISTANTS = 25;
const BENEFICIARIES = 6; // 150 reports, two different ~68 KB signature images on each card: a ZIP of ~13 MB
const programme = benchProgramme("bench-large");

/** A real PNG of random RGB noise (deflate cannot shrink it; pdfkit embeds RGB PNG data as is), within intake's size limit. */
function noisePng(seed: number): string {
  const image = new PngImage({ width: 150, height: 150, colorType: 2, inputHasAlpha: false });
  let x = seed;
  for (let i = 0; i < image.data.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    image.data[i] = x >>> 24;
  }
  const url = `data:image/png;base64,${PngImage.sync.write(image, { colorType: 2, inputHasAlpha: true }).toString("base64")}`;
  expect(url.length).toBeLessThanOrEqual(MAX_SIGNATURE_IMAGE_CHARS);
  return url;
}

/** An approved report of assistant `a` and beneficiary `b`, as the intake and the approval leave it. */
function approvedReport(a: number, b: number, images: Record<"beneficiary" | "assistant", string>, now: string): Report {
  let report = Report.parse({
    ...newReport({ programmeId: programme.id, month: MONTH, assistantId: assistantId(programme.id, a), beneficiaryCode: beneficiaryCode(a, b) }),
    visits: benchVisits(a, b, 2, MONTH),
  });
  const hash = contentHash(report);
  for (const role of ["beneficiary", "assistant"] as const) {
    report = addSignature(report, { role, signer: role === "assistant" ? `Asystentka ${a}` : "A.K.", signedAt: `${MONTH}-28T18:00:00.000Z`, evidence: "drawn", imageDataUrl: images[role], contentHash: hash }, programme);
  }
  return submit(report, { programme, otherVisits: [], order: { orderedMinutes: 600 } }, now);
}

let stack: TestStack;
let batchId = "";
let finance = "";

beforeAll(async () => {
  stack = await startTestStack({ startAt: new Date("2026-12-04T08:00:00Z"), seed: false });
  await seedProgramme(programme, ASSISTANTS, BENEFICIARIES, 600);
  const now = stack.clock.now().toISOString();
  // Two images: a PDF embeds an image used twice only once.
  const images = { beneficiary: noisePng(7), assistant: noisePng(11) };
  const items: Record<string, unknown>[] = [];
  for (let a = 0; a < ASSISTANTS; a++) {
    for (let b = 0; b < BENEFICIARIES; b++) {
      const submitted = approvedReport(a, b, images, now);
      const approved = approve(submitted, { by: `${programme.id}-approver`, version: submitted.version, contentHash: contentHash(submitted) }, now);
      items.push(reportVersionItem(submitted), reportItem(approved, 10));
    }
  }
  await writeInParallel(items);
  // The batch as the cycle's payment steps build, store and e-mail it (no cycle is needed for that).
  batchId = (await payBatch(stack, programme.id, MONTH)).batchId!;
  finance = await apiClient(stack).signIn(`finanse@${programme.id}.example.pl`);
}, 240_000);
afterAll(async () => stack?.dispose());

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("a batch above 10 MB", () => {
  it("is e-mailed as a link, its files stored and recorded with their keys", async () => {
    const batch = await getBatch(batchId);
    expect(batch).toMatchObject({ status: "sent", delivery: "link", totals: { reports: ASSISTANTS * BENEFICIARIES } });
    expect(batch.files!.reduce((s, f) => s + f.bytes, 0)).toBeGreaterThan(10 * 1024 * 1024);
    for (const f of batch.files!) expect(f.key).toBe(`batches/${programme.id}/${MONTH}/${batchId}/${f.name}`);
    const [mail] = (await stack.inbox()).filter((m) => m.destination.to.includes("finanse@bench.example.pl"));
    expect(mail.attachments).toEqual([]);
    expect(mail.body.text).toContain(`${stack.appUrl}/batches`);
  });

  it("downloads every file through the presigned URL, with the recorded SHA-256, the ZIP far above 6 MB", async () => {
    const batch = await getBatch(batchId);
    for (const kind of ["csv", "xlsx", "zip"] as const) {
      const recorded = batch.files!.find((f) => f.name === batch.files!.find((g) => g.name.endsWith(kind === "zip" ? "-pdf.zip" : `.${kind}`))!.name)!;
      const handed = await stack.request(`/api/batches/${batchId}/files/${kind}`, { headers: { cookie: finance } });
      expect(handed.status, await handed.clone().text()).toBe(303);
      expect(handed.headers.get("x-karta-sha256")).toBe(recorded.sha256);
      const file = await fetch(handed.headers.get("location")!);
      expect(file.status).toBe(200);
      const bytes = Buffer.from(await file.arrayBuffer());
      expect([bytes.length, sha256(bytes)], kind).toEqual([recorded.bytes, recorded.sha256]);
      expect(file.headers.get("content-disposition")).toBe(`attachment; filename="${recorded.name}"`);
      if (kind === "zip") {
        expect(bytes.length).toBeGreaterThan(10 * 1024 * 1024);
        expect([...unzip(bytes).keys()].filter((n) => n.startsWith("sprawozdania/"))).toHaveLength(ASSISTANTS * BENEFICIARIES);
      }
    }
    const events = await auditEventsOfBatch(batchId);
    expect(events.map((e) => e.name).sort()).toEqual(batch.files!.map((f) => f.name).sort());
    expect(events.every((e) => e.actorId === `${programme.id}-finance` && batch.files!.some((f) => f.sha256 === e.sha256))).toBe(true);
  });

  it("refuses the approver and the coordinator (403) and hands them no URL", async () => {
    const api = apiClient(stack);
    for (const who of ["zatwierdzajacy", "koordynator"]) {
      const cookie = await api.signIn(`${who}@${programme.id}.example.pl`);
      const refused = await stack.request(`/api/batches/${batchId}/files/zip`, { headers: { cookie } });
      expect(refused.status, who).toBe(403);
      expect(refused.headers.get("location")).toBeNull();
      expect((await refused.json()).error.code).toBe("FORBIDDEN");
    }
  });
});
