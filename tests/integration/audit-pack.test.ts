import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchProgramme } from "../../bench/data.js";
import { seedApprovedReports } from "../support/approved-reports.js";
import { auditPacksOfProgramme } from "../../functions/adapters/audit-packs.js";
import { batchesOfCycle } from "../../functions/adapters/batches.js";
import { payBatch } from "../support/pay-batch.js";
import { openStoredFile } from "../../functions/adapters/object-store.js";
import { main as auditPackCli, readPack } from "../../local/cli/audit-pack.js";
import { startTestStack, type TestStack } from "../support/local-stack.js";

/**
 * Issue 13: the month's audit pack, as the cycle's "Archive the month for inspections" writes it
 * into the files bucket (s3rver), read back and checked offline like an inspector's copy.
 */
const programme = benchProgramme("bench-archive");
let stack: TestStack;
let dir: string;

beforeAll(async () => {
  stack = await startTestStack({ startAt: new Date("2026-12-04T08:00:00Z"), seed: false });
  dir = await mkdtemp(join(tmpdir(), "karta-archive-test-"));
  await seedApprovedReports(programme, stack.clock.now().toISOString());
});
afterAll(async () => {
  await stack?.dispose();
  await rm(dir, { recursive: true, force: true });
});

const step = (name: string, event: unknown) => stack.lambda.invoke(stack.app.functions.find((f) => f.handler === `functions/workflow/${name}.handler`)!.arn, event) as Promise<any>;

async function fetchPack(key: string, name: string) {
  const path = join(dir, name);
  await pipeline(await openStoredFile(key), createWriteStream(path));
  return path;
}

async function verify(...args: string[]) {
  const lines: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = console.error = (m: string) => void lines.push(m);
  try {
    return { code: await auditPackCli(["verify", ...args]), text: lines.join("\n") };
  } finally {
    [console.log, console.error] = [log, error];
  }
}

describe("the monthly audit pack in the files bucket", () => {
  it("holds every version, approval, audit trail, batch and the very files finance received", async () => {
    // the batch as the cycle builds and e-mails it (no cycle is needed for that)
    await payBatch(stack, programme.id, "2026-11");
    const archived = await step("archive-month", { programmeId: programme.id, month: "2026-11" });
    expect(archived).toMatchObject({ month: "2026-11", seq: 1, status: "archived" });

    const [record] = await auditPacksOfProgramme(programme.id);
    expect(record.key).toBe(`archive/${programme.id}/2026-11/karta-audit-${programme.id}-2026-11-1.zip`);
    const path = await fetchPack(record.key, "2026-11.zip");
    const checked = await verify(path);
    expect(checked.code).toBe(0);
    expect(checked.text).toContain(`manifest SHA-256: ${record.manifestSha256}`);

    const { found } = await readPack(path);
    const [batch] = await batchesOfCycle(programme.id, "2026-11");
    expect(batch.files).toHaveLength(3);
    for (const file of batch.files!) expect(found.get(`batches/${batch.batchId}/${file.name}`)).toEqual({ bytes: file.bytes, sha256: file.sha256 });
    const reports = [...found.keys()].filter((p) => p.startsWith("reports/"));
    expect(reports.filter((p) => p.endsWith("/v001.json"))).toHaveLength(2);
    expect(reports.filter((p) => p.endsWith("/approvals.json"))).toHaveLength(2);
    expect(reports.filter((p) => p.endsWith("/audit-events.json"))).toHaveLength(2);
    for (const p of ["programme.json", "set-asides.json", "people.json", `batches/${batch.batchId}/lines.json`]) expect(found.has(p)).toBe(true);
  });

  it("chains the next month to this one, and does not archive a month twice", async () => {
    expect(await step("archive-month", { programmeId: programme.id, month: "2026-11" })).toMatchObject({ seq: 1, status: "already-archived" });
    const next = await step("archive-month", { programmeId: programme.id, month: "2026-12" });
    expect(next).toMatchObject({ month: "2026-12", seq: 2, status: "archived" });
    const [november, december] = await auditPacksOfProgramme(programme.id);
    const pack = await fetchPack(december.key, "2026-12.zip");
    const chained = await verify(pack, "--previous", await fetchPack(november.key, "again-2026-11.zip"));
    expect(chained.code).toBe(0);
    expect(chained.text).toContain(`previous pack: 2026-11 (1), manifest SHA-256 ${november.manifestSha256}`);
    expect((await verify(pack, "--previous", "0".repeat(64))).code).toBe(1);
  });
});
