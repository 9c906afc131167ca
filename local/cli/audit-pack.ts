import { existsSync } from "node:fs";
import { createHash } from "node:crypto";
import yauzl from "yauzl";
import { auditPackProblems, CHECKSUMS, MANIFEST, type PackContents } from "../../functions/core/audit-pack.js";

const USAGE = "usage: karta audit-pack verify <pack.zip> [--previous <previous-pack.zip | its manifest SHA-256>]";

/** Reads a pack entry by entry (streaming: packs of a large month do not fit in memory), hashing each. */
export async function readPack(path: string): Promise<PackContents> {
  const zip = await yauzl.openPromise(path);
  const contents: PackContents = { found: new Map() };
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith("/")) continue;
      const hash = createHash("sha256");
      let bytes = 0;
      const keep = entry.fileName === MANIFEST || entry.fileName === CHECKSUMS;
      const chunks: Buffer[] = [];
      for await (const chunk of await zip.openReadStreamPromise(entry)) {
        hash.update(chunk as Buffer);
        bytes += (chunk as Buffer).length;
        if (keep) chunks.push(chunk as Buffer);
      }
      if (contents.found.has(entry.fileName)) (contents.duplicates ??= []).push(entry.fileName);
      contents.found.set(entry.fileName, { bytes, sha256: hash.digest("hex") });
      if (entry.fileName === MANIFEST) contents.manifest = Buffer.concat(chunks);
      if (entry.fileName === CHECKSUMS) contents.checksums = Buffer.concat(chunks);
    }
  } finally {
    zip.close();
  }
  return contents;
}

/**
 * `karta audit-pack verify <pack.zip> [--previous <pack.zip | sha256>]`: checks a monthly audit
 * pack offline (no stack, no AWS): every file against the manifest, SHA256SUMS, and the chain
 * link to the previous pack. Prints the manifest's SHA-256 (what the next pack must name).
 * Exit 0 when intact, 1 when a check fails, 2 on usage errors.
 */
export async function main(args: string[]): Promise<number> {
  const [sub, path, flag, previousArg, ...rest] = args;
  if (sub !== "verify" || !path || rest.length || (flag !== undefined && (flag !== "--previous" || !previousArg))) {
    console.error(USAGE);
    return 2;
  }
  for (const file of [path, ...(previousArg && !/^[0-9a-f]{64}$/.test(previousArg) ? [previousArg] : [])]) {
    if (!existsSync(file)) {
      console.error(`karta audit-pack: ${file} does not exist / plik nie istnieje`);
      return 2;
    }
  }
  let previous: { manifestSha256: string } | undefined;
  if (previousArg) {
    if (/^[0-9a-f]{64}$/.test(previousArg)) previous = { manifestSha256: previousArg };
    else {
      const before = auditPackProblems(await readPack(previousArg));
      if (!before.manifestSha256) {
        console.error(`karta audit-pack: ${previousArg}: ${before.problems.join("; ")}`);
        return 1;
      }
      previous = { manifestSha256: before.manifestSha256 };
    }
  }
  const { problems, manifest, manifestSha256 } = auditPackProblems(await readPack(path), previous);
  if (manifest) console.log(`${manifest.programmeId} ${manifest.month} pack ${manifest.seq}: ${manifest.files.length} files, ${manifest.counts.reports} reports, ${manifest.counts.batches} batches`);
  if (manifestSha256) console.log(`manifest SHA-256: ${manifestSha256}`);
  if (manifest?.previous) console.log(`previous pack: ${manifest.previous.month} (${manifest.previous.seq}), manifest SHA-256 ${manifest.previous.manifestSha256}${previous ? "" : " (not checked: pass --previous)"}`);
  for (const problem of problems) console.error(`FAIL ${problem}`);
  console.log(problems.length ? `NOT INTACT: ${problems.length} problem(s) / pakiet naruszony` : "OK: intact / pakiet nienaruszony");
  return problems.length ? 1 : 0;
}
