import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchProgramme, signedReport } from "../../bench/data.js";
import { reportItem, reportVersionItem, seedProgramme, writeInParallel } from "../../bench/seed.js";
import { planBatchPages, writeStoredBatchFiles } from "../../functions/adapters/batch-pages.js";
import { getBatch } from "../../functions/adapters/batches.js";
import { filesBucket, readStoredFile, s3Client } from "../../functions/adapters/object-store.js";
import { approve, contentHash, submit } from "../../functions/core/report.js";
import { unzip } from "../fixtures/exports/batch.js";
import { assembleAll } from "../support/batch-policy.js";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { invokeStep } from "../support/pay-batch.js";

/**
 * The payment files built as the cycle builds them at any size: the batch claimed a few reports
 * per call, its files written page by page (each page a step of its own, its parts in S3) and
 * joined once — byte for byte the files of the same batch written in one go.
 */
const MONTH = "2026-11";
const ASSISTANTS = 9;
const BENEFICIARIES = 3;
const programme = benchProgramme("bench-pages");
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ startAt: new Date("2026-12-04T08:00:00Z"), seed: false });
  await seedProgramme(programme, ASSISTANTS, BENEFICIARIES, 600);
  const now = stack.clock.now().toISOString();
  const items: Record<string, unknown>[] = [];
  for (let a = 0; a < ASSISTANTS; a++) {
    for (let b = 0; b < BENEFICIARIES; b++) {
      const submitted = submit(signedReport(programme, a, b, 2), { programme, otherVisits: [], order: { orderedMinutes: 600 } }, now);
      items.push(reportVersionItem(submitted), reportItem(approve(submitted, { by: `${programme.id}-approver`, version: 1, contentHash: contentHash(submitted) }, now), 10));
    }
  }
  await writeInParallel(items);
}, 120_000);
afterAll(async () => stack?.dispose());

describe("a batch built page by page", () => {
  it("is claimed a few reports per call, each report once, and its pages joined into the bytes of a one-go build", async () => {
    const now = stack.clock.now().toISOString();
    const batch = (await assembleAll(programme, MONTH, now, undefined, 5))!;
    expect(batch.totals).toMatchObject({ reports: ASSISTANTS * BENEFICIARIES });

    // pages of about 4 reports: assistants stay whole (3 reports each), so pages of 2 assistants
    const plan = await planBatchPages(batch, 4);
    const items = JSON.parse((await readStoredFile(plan.key)).toString("utf8")) as { assistantIds: string[] }[];
    expect(items.map((p) => p.assistantIds.length)).toEqual([2, 2, 2, 2, 1]);
    expect(plan.pages).toBe(5);
    for (const page of items) await invokeStep(stack, "write-batch-page", { page });
    const ref = { batchId: batch.batchId, plan };
    expect(await invokeStep(stack, "assemble-batch", { programmeId: programme.id, month: MONTH, batch: ref })).toMatchObject({ status: "stored", files: 3 });

    const stored = (await getBatch(batch.batchId)).files!;
    const dir = await mkdtemp(join(tmpdir(), "karta-pages-"));
    try {
      const whole = (await writeStoredBatchFiles(batch, programme, dir)).files;
      for (const file of whole) {
        const record = stored.find((f) => f.name === file.name)!;
        const bytes = await readStoredFile(record.key!);
        expect(bytes.equals(await readFile(file.path)), file.name).toBe(true);
        expect([record.bytes, record.sha256]).toEqual([file.bytes, file.sha256]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const csv: string[][] = parse(await readStoredFile(stored[0].key!), { delimiter: ";", bom: true });
    expect(csv).toHaveLength(1 + ASSISTANTS * BENEFICIARIES + 1);
    const names = [...unzip(await readStoredFile(stored[2].key!)).keys()];
    expect(names.filter((n) => n.startsWith("rachunki/"))).toHaveLength(ASSISTANTS);
    expect(names.filter((n) => n.startsWith("sprawozdania/"))).toHaveLength(ASSISTANTS * BENEFICIARIES);
    expect(new Set(names).size).toBe(names.length);

    // every page's parts and index are in S3 under pages/, apart from the files
    const listed = await s3Client().send(new ListObjectsV2Command({ Bucket: filesBucket(), Prefix: `pages/${programme.id}/${MONTH}/${batch.batchId}/` }));
    expect(listed.KeyCount).toBe(1 + 5 * 6);

    // run again (a retried child, a redriven map): the recorded files do not change
    await invokeStep(stack, "write-batch-page", { page: items[1] });
    expect(await invokeStep(stack, "assemble-batch", { programmeId: programme.id, month: MONTH, batch: ref })).toMatchObject({ status: "already-stored" });
    expect((await getBatch(batch.batchId)).files).toEqual(stored);
  }, 180_000);
});
