import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { recordedMismatches, writeAuditPack } from "../core/audit-pack.js";
import { retainUntil } from "../core/batch.js";
import { Sha256PassThrough } from "../core/exports/hash.js";
import { CycleInput } from "../core/cycle.js";
import { clock } from "../adapters/clock.js";
import { retentionYears } from "../adapters/config.js";
import { auditPackEntries, auditPacksOfProgramme, recordAuditPack } from "../adapters/audit-packs.js";
import { batchesOfCycle } from "../adapters/batches.js";
import { objectKeys } from "../adapters/keys.js";
import { openStoredFile, storeFile } from "../adapters/object-store.js";
import { getProgramme } from "../adapters/programmes.js";
import { instrumented } from "../adapters/observability.js";

/**
 * "Archive the month for inspections", once the month is settled: writes the programme month's
 * audit pack (core/audit-pack.ts) to a temporary file, chained to the programme's latest pack,
 * stores it once in S3 under Object Lock until the accounting retention date, and records its
 * place in the chain. A month already archived is left as it is; when another month of the
 * programme took the same place in the chain first, the pack is built again on the new head.
 */
export const handler = instrumented(async (event: unknown) => {
  const { programmeId, month } = CycleInput.parse(event);
  const programme = await getProgramme(programmeId);
  for (let attempt = 0; attempt < 3; attempt++) {
    const chain = await auditPacksOfProgramme(programmeId);
    const done = chain.find((p) => p.month === month);
    if (done) return { month, seq: done.seq, manifestSha256: done.manifestSha256, status: "already-archived" };
    const last = chain.at(-1);
    const seq = (last?.seq ?? 0) + 1;
    const createdAt = clock.now().toISOString();
    const dir = await mkdtemp(join(tmpdir(), "karta-archive-"));
    try {
      const path = join(dir, "pack.zip");
      const counts = { reports: 0, versions: 0, batches: 0 };
      const entries = auditPackEntries(programme, month, (file) => openStoredFile(file.key, file.versionId), counts);
      const previous = last ? { month: last.month, seq: last.seq, manifestSha256: last.manifestSha256 } : null;
      // `counts` is filled while the entries are read; the manifest is written after them.
      const file = new Sha256PassThrough();
      const saved = pipeline(file, createWriteStream(path));
      const { manifest, manifestSha256 } = await writeAuditPack({ programmeId, month, seq, createdAt, previous, counts }, entries, file);
      await saved;
      const [bytes, hash] = [file.bytes, file.sha256];
      const recorded = new Map(
        (await batchesOfCycle(programmeId, month)).flatMap((b) => (b.files ?? []).filter((f) => f.key).map((f) => [`batches/${b.batchId}/${f.name}`, f.sha256] as const)),
      );
      const mismatches = recordedMismatches(manifest, recorded);
      if (mismatches.length) throw new Error(`audit pack of ${programmeId} ${month}: a stored payment file is not the one finance received: ${mismatches.join("; ")}`);
      const key = objectKeys.auditPack(programmeId, month, seq);
      await storeFile({ key, path, bytes, sha256: hash, contentType: "application/zip", retainUntil: retainUntil(month, retentionYears(), createdAt) });
      if (await recordAuditPack({ programmeId, month, seq, manifestSha256, key, bytes, sha256: hash, createdAt })) {
        return { month, seq, manifestSha256, bytes, status: "archived" };
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  throw new Error(`audit pack of ${programmeId} ${month}: the chain kept moving; run the step again`);
});
