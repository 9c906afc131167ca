import { assembleAll } from "../support/batch-policy.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assistantId, benchProgramme } from "../../bench/data.js";
import { seedApprovedReports } from "../support/approved-reports.js";
import { storeBatchFiles, writeStoredBatchFiles } from "../../functions/adapters/batch-pages.js";
import { getBatch, recordBatchFiles } from "../../functions/adapters/batches.js";
import { putItem } from "../../functions/adapters/dynamo.js";
import { keys } from "../../functions/adapters/keys.js";
import { readStoredFile } from "../../functions/adapters/object-store.js";
import { findPerson } from "../../functions/adapters/people.js";
import { retainUntil } from "../../functions/core/batch.js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestStack, type TestStack } from "../support/local-stack.js";

/**
 * send-batch stores the files before it e-mails them; a run cut short after the files were
 * recorded is run again by the workflow, and then e-mails the stored bytes, building nothing.
 */
const MONTH = "2026-11";
const programme = benchProgramme("bench-rerun");
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ startAt: new Date("2026-12-04T08:00:00Z"), seed: false });
  await seedApprovedReports(programme, stack.clock.now().toISOString());
});
afterAll(async () => stack?.dispose());

describe("sending a batch again after its files were stored", () => {
  it("e-mails the stored bytes and records them, not a rebuild", async () => {
    // The first run, cut short right after it recorded the stored files.
    const batch = (await assembleAll(programme, MONTH, stack.clock.now().toISOString()))!;
    const dir = await mkdtemp(join(tmpdir(), "karta-rerun-"));
    const built = (await writeStoredBatchFiles(batch, programme, dir)).files;
    const records = await storeBatchFiles(batch, built, retainUntil(MONTH, 5, stack.clock.now().toISOString()));
    expect(await recordBatchFiles(batch.batchId, records)).toBe(true);
    // A concurrent run that stored its own copies does not overwrite the record: first writer wins.
    expect(await recordBatchFiles(batch.batchId, records.map((r) => ({ ...r, versionId: "other-run" })))).toBe(false);
    expect((await getBatch(batch.batchId)).files).toEqual(records);
    await rm(dir, { recursive: true, force: true });
    // What a rebuild would read changes: the assistant's name on every file.
    const person = await findPerson(assistantId(programme.id, 0));
    await putItem({ ...keys.person(person!.id, person!.email), entity: "Person", rev: 2, ...person!, name: "Zmieniona Nazwisko" });

    const fn = stack.app.functions.find((f) => f.handler === "functions/workflow/send-batch.handler")!;
    expect(await stack.lambda.invoke(fn.arn, { programmeId: programme.id, month: MONTH, batch: { batchId: batch.batchId } })).toMatchObject({ status: "sent", delivery: "attached", files: 3 });

    const [mail] = (await stack.inbox()).filter((m) => m.destination.to.includes("finanse@bench.example.pl"));
    for (const record of records) {
      const attached = Buffer.from(mail.attachments.find((a) => a.filename === record.name)!.content, "base64");
      expect(attached.equals(await readStoredFile(record.key!)), record.name).toBe(true);
    }
    const csv = Buffer.from(mail.attachments.find((a) => a.filename?.endsWith(".csv"))!.content, "base64").toString("utf8");
    expect(csv).not.toContain("Zmieniona");
    expect((await getBatch(batch.batchId)).files).toEqual(records);
  });
});
