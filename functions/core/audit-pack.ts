import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import * as z from "zod";
import { Instant, Month } from "./calendar.js";
import { Sha256PassThrough, sha256Hex } from "./exports/hash.js";
import type { Rows } from "./exports/model.js";
import { writePdfZip, type ZipEntry } from "./exports/zip.js";
import { ProgrammeId } from "./programme.js";

/**
 * The monthly audit pack (issue 13): per programme and month, one ZIP an inspector can check
 * offline — every submitted version of every report with its visits and signatures, approvals,
 * audit events, set-asides, the batches with their lines and the very files finance received —
 * and a manifest of SHA-256 hashes. Each manifest names the SHA-256 of the programme's previous
 * pack's manifest, so the packs form a chain: a changed or removed pack breaks the next link.
 *
 * Offline check with standard tools (docs/operations.md): `unzip pack.zip -d pack && cd pack &&
 * sha256sum -c SHA256SUMS`; `sha256sum manifest.json` is the hash the next pack names.
 */
export const AUDIT_PACK_FORMAT = "karta-audit-pack/1";
export const MANIFEST = "manifest.json";
export const CHECKSUMS = "SHA256SUMS";

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
export const PackFile = z.object({ path: z.string().min(1), bytes: z.number().int().nonnegative(), sha256: Sha256 });
export type PackFile = z.infer<typeof PackFile>;

/** The link to the programme's previous pack: its place in the chain and its manifest's SHA-256. */
export const PackLink = z.object({ month: Month, seq: z.number().int().positive(), manifestSha256: Sha256 });
export type PackLink = z.infer<typeof PackLink>;

export const AuditPackManifest = z.object({
  format: z.literal(AUDIT_PACK_FORMAT),
  programmeId: ProgrammeId,
  month: Month,
  /** Position in the programme's chain: 1 for its first pack. */
  seq: z.number().int().positive(),
  createdAt: Instant,
  previous: PackLink.nullable(),
  counts: z.object({ reports: z.number().int().nonnegative(), versions: z.number().int().nonnegative(), batches: z.number().int().nonnegative() }),
  /** Every file of the pack but the manifest and SHA256SUMS, in the order written. */
  files: z.array(PackFile),
});
export type AuditPackManifest = z.infer<typeof AuditPackManifest>;

export type AuditPackHead = Omit<AuditPackManifest, "format" | "files">;

/** The `sha256sum` listing of the files ("<hash>  <path>"), so `sha256sum -c` checks them. */
export function checksumsOf(files: readonly PackFile[]): string {
  return files.map((f) => `${f.sha256}  ${f.path}\n`).join("");
}

/** A JSON document of the pack: stable key order as given, two-space indent, final newline. */
export function jsonEntry(path: string, value: unknown): ZipEntry {
  return bufferEntry(path, Buffer.from(`${JSON.stringify(value, null, 2)}\n`, "utf8"));
}

function bufferEntry(path: string, content: Buffer): ZipEntry {
  return { name: path, write: async (out) => void out.end(content) };
}

/**
 * Streams the pack into `out`: the entries (each hashed as it is written), then SHA256SUMS and
 * the manifest. Returns the manifest and its SHA-256 (what the next pack links to).
 */
export async function writeAuditPack(head: AuditPackHead, entries: Rows<ZipEntry>, out: Writable): Promise<{ manifest: AuditPackManifest; manifestSha256: string }> {
  const files: PackFile[] = [];
  const seen = new Set<string>();
  let manifest: AuditPackManifest | undefined;
  let manifestBytes: Buffer | undefined;
  async function* all(): AsyncGenerator<ZipEntry> {
    for await (const entry of entries) {
      if (seen.has(entry.name) || entry.name === MANIFEST || entry.name === CHECKSUMS) throw new Error(`audit pack: duplicate entry ${entry.name}`);
      seen.add(entry.name);
      yield {
        name: entry.name,
        write: async (zipped) => {
          const hash = new Sha256PassThrough();
          const piped = pipeline(hash, zipped);
          await entry.write(hash);
          await piped;
          files.push({ path: entry.name, bytes: hash.bytes, sha256: hash.sha256 });
        },
      };
    }
    yield bufferEntry(CHECKSUMS, Buffer.from(checksumsOf(files), "utf8"));
    manifest = AuditPackManifest.parse({ format: AUDIT_PACK_FORMAT, ...head, files });
    manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8");
    yield bufferEntry(MANIFEST, manifestBytes);
  }
  await writePdfZip(all(), out, { mtime: new Date(head.createdAt) });
  return { manifest: manifest!, manifestSha256: sha256Hex(manifestBytes!) };
}

/**
 * The files of the manifest whose SHA-256 differs from what was recorded for them elsewhere
 * (the batch records of the files finance received): a pack must never take another object's
 * bytes for the record. Returns a message per mismatch or missing file.
 */
export function recordedMismatches(manifest: Pick<AuditPackManifest, "files">, recorded: ReadonlyMap<string, string>): string[] {
  const inPack = new Map(manifest.files.map((f) => [f.path, f.sha256]));
  return [...recorded].flatMap(([path, sha256]) =>
    inPack.get(path) === sha256 ? [] : [`${path}: ${inPack.has(path) ? `SHA-256 ${inPack.get(path)} in the pack` : "not in the pack"}, recorded ${sha256}`],
  );
}

/** What a reader found in a pack: every entry's size and SHA-256, and the manifest's and checksums' bytes. */
export type PackContents = { found: Map<string, Omit<PackFile, "path">>; manifest?: Buffer; checksums?: Buffer; duplicates?: string[] };

/**
 * Checks a pack read back (an inspector's copy): the manifest parses, every listed file is there
 * with its size and SHA-256, nothing else is, SHA256SUMS agrees, and — when the previous pack's
 * manifest hash is given — the chain link holds. Returns the problems (empty when the pack is
 * intact) and the manifest's SHA-256 for the next link.
 */
export function auditPackProblems(contents: PackContents, previous?: { manifestSha256: string }): { problems: string[]; manifest?: AuditPackManifest; manifestSha256?: string } {
  if (!contents.manifest) return { problems: [`${MANIFEST} is missing / brak pliku ${MANIFEST}`] };
  const manifestSha256 = sha256Hex(contents.manifest);
  let manifest: AuditPackManifest;
  try {
    manifest = AuditPackManifest.parse(JSON.parse(contents.manifest.toString("utf8")));
  } catch (error) {
    return { problems: [`${MANIFEST} is not a Karta audit pack manifest (${(error as Error).message.slice(0, 200)}) / nieprawidłowy manifest`], manifestSha256 };
  }
  const problems: string[] = (contents.duplicates ?? []).map((path) => `${path}: more than one entry of that name / zdublowany plik`);
  const listed = new Set<string>();
  for (const file of manifest.files) {
    listed.add(file.path);
    const got = contents.found.get(file.path);
    if (!got) problems.push(`${file.path}: missing / brak pliku`);
    else if (got.sha256 !== file.sha256 || got.bytes !== file.bytes) problems.push(`${file.path}: SHA-256 ${got.sha256} (${got.bytes} B) differs from the manifest's ${file.sha256} (${file.bytes} B) / plik zmieniony`);
  }
  for (const path of contents.found.keys()) {
    if (!listed.has(path) && path !== MANIFEST && path !== CHECKSUMS) problems.push(`${path}: not in the manifest / plik spoza manifestu`);
  }
  if (contents.checksums?.toString("utf8") !== checksumsOf(manifest.files)) problems.push(`${CHECKSUMS} does not match the manifest / ${CHECKSUMS} niezgodny z manifestem`);
  if (previous) {
    if (!manifest.previous) problems.push("the pack names no previous pack / pakiet nie wskazuje poprzedniego");
    else if (manifest.previous.manifestSha256 !== previous.manifestSha256) {
      problems.push(`chain broken: the pack names previous manifest ${manifest.previous.manifestSha256}, the previous pack's is ${previous.manifestSha256} / łańcuch przerwany`);
    }
  }
  return { problems, manifest, manifestSha256 };
}
