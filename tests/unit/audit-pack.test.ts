import { execFileSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import yauzl from "yauzl";
import yazl from "yazl";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { jsonEntry, writeAuditPack, type AuditPackHead } from "../../functions/core/audit-pack.js";
import { main as auditPackCli, readPack } from "../../local/cli/audit-pack.js";
import { auditPackProblems, recordedMismatches } from "../../functions/core/audit-pack.js";
import { asAsync } from "../fixtures/exports/batch.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "karta-pack-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const head = (month: string, seq: number, previous: AuditPackHead["previous"]): AuditPackHead => ({
  programmeId: "krakow-aou",
  month,
  seq,
  createdAt: `${month}-28T10:00:00.000Z`,
  previous,
  counts: { reports: 1, versions: 2, batches: 0 },
});
const entries = (amount: string) => [
  jsonEntry("reports/r1/v001.json", { id: "r1", version: 1, amount }),
  jsonEntry("reports/r1/v002.json", { id: "r1", version: 2, amount }),
  { name: "batches/b1/karta.csv", write: async (out: NodeJS.WritableStream) => void out.end(Buffer.from(`Anna Nowak;${amount}\r\n`, "utf8")) },
];

async function pack(name: string, h: AuditPackHead, amount = "576,00") {
  const path = join(dir, name);
  const result = await writeAuditPack(h, asAsync(entries(amount)), createWriteStream(path));
  return { path, ...result };
}

/** Rewrites a pack with one entry's bytes replaced (what a tampered copy looks like). */
async function tamper(from: string, to: string, entry: string, content: Buffer) {
  const zip = await yauzl.openPromise(from);
  const out = new yazl.ZipFile();
  const done = pipeline(out.outputStream, createWriteStream(to));
  for await (const e of zip.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const c of await zip.openReadStreamPromise(e)) chunks.push(c as Buffer);
    out.addBuffer(e.fileName === entry ? content : Buffer.concat(chunks), e.fileName);
  }
  zip.close();
  out.end();
  await done;
}

async function cli(...args: string[]) {
  const log: string[] = [];
  const [out, err] = [console.log, console.error];
  console.log = (m: string) => void log.push(m);
  console.error = (m: string) => void log.push(m);
  try {
    return { code: await auditPackCli(args), text: log.join("\n") };
  } finally {
    [console.log, console.error] = [out, err];
  }
}

describe("the monthly audit pack (issue 13)", () => {
  it("lists every file with its SHA-256, and standard tools verify it offline (sha256sum -c SHA256SUMS)", async () => {
    const { path, manifest, manifestSha256 } = await pack("2026-11.zip", head("2026-11", 1, null));
    expect(manifest.files.map((f) => f.path)).toEqual(["reports/r1/v001.json", "reports/r1/v002.json", "batches/b1/karta.csv"]);
    const out = join(dir, "unpacked");
    const zip = await yauzl.openPromise(path);
    for await (const e of zip.eachEntry()) {
      await mkdir(dirname(join(out, e.fileName)), { recursive: true });
      await pipeline(await zip.openReadStreamPromise(e), createWriteStream(join(out, e.fileName)));
    }
    zip.close();
    expect(execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: out, encoding: "utf8" })).toContain("batches/b1/karta.csv: OK");
    expect(execFileSync("sha256sum", ["manifest.json"], { cwd: out, encoding: "utf8" }).split(" ")[0]).toBe(manifestSha256);
    await writeFile(join(out, "reports/r1/v002.json"), "{}\n");
    expect(() => execFileSync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: out, stdio: "pipe" })).toThrow();
  });

  it("is byte-identical when built twice from the same data", async () => {
    const a = await pack("a.zip", head("2026-11", 1, null));
    const b = await pack("b.zip", head("2026-11", 1, null));
    expect(await readFile(b.path)).toEqual(await readFile(a.path));
  });

  it("chains each month to the previous pack's manifest; `karta audit-pack verify` checks files and the link", async () => {
    const november = await pack("2026-11.zip", head("2026-11", 1, null));
    const december = await pack("2026-12.zip", head("2026-12", 2, { month: "2026-11", seq: 1, manifestSha256: november.manifestSha256 }));
    expect(december.manifest.previous?.manifestSha256).toBe(november.manifestSha256);

    const ok = await cli("verify", december.path, "--previous", november.path);
    expect(ok.code).toBe(0);
    expect(ok.text).toContain(`manifest SHA-256: ${december.manifestSha256}`);
    expect(ok.text).toContain("OK: intact");

    // a rebuilt November with another amount breaks December's link, though it is intact itself
    const forged = await pack("forged.zip", head("2026-11", 1, null), "5 760,00");
    expect((await cli("verify", forged.path)).code).toBe(0);
    const broken = await cli("verify", december.path, "--previous", forged.path);
    expect(broken.code).toBe(1);
    expect(broken.text).toMatch(/chain broken/);
  });

  it("names a changed, missing or extra file", async () => {
    const { path } = await pack("2026-11.zip", head("2026-11", 1, null));
    await tamper(path, join(dir, "changed.zip"), "batches/b1/karta.csv", Buffer.from("Anna Nowak;5760,00\r\n"));
    const changed = await cli("verify", join(dir, "changed.zip"));
    expect(changed.code).toBe(1);
    expect(changed.text).toMatch(/batches\/b1\/karta\.csv: SHA-256 .* differs from the manifest/);

    const contents = await readPack(path);
    contents.found.delete("reports/r1/v001.json");
    contents.found.set("extra.txt", { bytes: 1, sha256: "0".repeat(64) });
    expect(auditPackProblems(contents).problems).toEqual([
      "reports/r1/v001.json: missing / brak pliku",
      "extra.txt: not in the manifest / plik spoza manifestu",
    ]);
    expect(auditPackProblems({ found: new Map() }).problems[0]).toMatch(/manifest\.json is missing/);
    expect(auditPackProblems({ ...(await readPack(path)), duplicates: ["batches/b1/karta.csv"] }).problems).toEqual(["batches/b1/karta.csv: more than one entry of that name / zdublowany plik"]);
  });

  it("refuses to take a stored file for the one finance received when their SHA-256 differ", async () => {
    const { manifest } = await pack("2026-11.zip", head("2026-11", 1, null));
    const csv = manifest.files.find((f) => f.path === "batches/b1/karta.csv")!;
    expect(recordedMismatches(manifest, new Map([["batches/b1/karta.csv", csv.sha256]]))).toEqual([]);
    expect(recordedMismatches(manifest, new Map([["batches/b1/karta.csv", "f".repeat(64)]]))[0]).toMatch(/karta\.csv: SHA-256 [0-9a-f]{64} in the pack, recorded f{64}/);
    expect(recordedMismatches(manifest, new Map([["batches/b2/karta.csv", csv.sha256]]))[0]).toMatch(/not in the pack/);
  });

  it("refuses bad usage with exit status 2", async () => {
    expect((await cli("verify")).code).toBe(2);
    expect((await cli("verify", join(dir, "absent.zip"))).code).toBe(2);
    expect((await cli("check", "x.zip")).code).toBe(2);
  });
});
