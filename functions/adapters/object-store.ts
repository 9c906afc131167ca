import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { createHash } from "node:crypto";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { traced } from "./observability.js";

let client: S3Client | undefined;
let bucket: string | undefined;

/**
 * The S3 client, created once on first use. The endpoint is the SDK's own AWS_ENDPOINT_URL_S3
 * (set by the local stack to its S3 emulation, which only understands path-style addresses).
 */
export function s3Client(): S3Client {
  client ??= traced(new S3Client({ region: process.env.AWS_REGION ?? "eu-central-1", forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) }));
  return client;
}

/** The files bucket from FILES_BUCKET_NAME, read once; a missing variable fails at the first access. */
export function filesBucket(): string {
  if (!bucket) {
    bucket = process.env.FILES_BUCKET_NAME;
    if (!bucket) throw new Error("FILES_BUCKET_NAME is not set: the function is not linked to the files bucket");
  }
  return bucket;
}

/** A file on local disk to store under `key`, with its size and SHA-256 (hex) already counted. */
export interface FileToStore {
  key: string;
  path: string;
  bytes: number;
  sha256: string;
  contentType: string;
  /** Object Lock: kept (governance mode) until this instant. */
  retainUntil: string;
}

/**
 * Stores a file under its key, streamed from disk. S3 checks the SHA-256 on arrival (a file
 * damaged on the way is refused, not stored), and Object Lock needs a checksum on every write
 * anyway. Storing again under the same key makes a new version (the bucket is versioned) and
 * returns its id; the emulation used locally keeps no versions and returns none.
 */
export async function storeFile(file: FileToStore): Promise<{ key: string; versionId?: string }> {
  const stored = await s3Client().send(
    new PutObjectCommand({
      Bucket: filesBucket(),
      Key: file.key,
      Body: createReadStream(file.path),
      ContentLength: file.bytes,
      ContentType: file.contentType,
      ChecksumSHA256: Buffer.from(file.sha256, "hex").toString("base64"),
      Metadata: { sha256: file.sha256 },
      ObjectLockMode: "GOVERNANCE",
      ObjectLockRetainUntilDate: new Date(file.retainUntil),
    }),
  );
  return { key: file.key, ...(stored.VersionId ? { versionId: stored.VersionId } : {}) };
}

/** Stores a small document (a page plan, a page's index) under `key`. */
export async function storeBuffer(file: { key: string; data: Buffer; contentType: string; retainUntil: string }): Promise<{ key: string; versionId?: string }> {
  const stored = await s3Client().send(
    new PutObjectCommand({
      Bucket: filesBucket(),
      Key: file.key,
      Body: file.data,
      ContentType: file.contentType,
      ChecksumSHA256: createHash("sha256").update(file.data).digest("base64"),
      ObjectLockMode: "GOVERNANCE",
      ObjectLockRetainUntilDate: new Date(file.retainUntil),
    }),
  );
  return { key: file.key, ...(stored.VersionId ? { versionId: stored.VersionId } : {}) };
}

/**
 * Streams a file of unknown size into S3 under `key` as a multipart upload (parts of 16 MiB,
 * a few in flight), so a file of any size passes through a bounded amount of memory. Each part
 * carries its SHA-256 (S3 checks it; Object Lock asks for a checksum on every write).
 */
export async function uploadStream(file: { key: string; body: Readable; contentType: string; retainUntil: string }): Promise<{ key: string; versionId?: string }> {
  const upload = new Upload({
    client: s3Client(),
    partSize: 16 * 1024 * 1024,
    queueSize: 2,
    leavePartsOnError: false,
    params: {
      Bucket: filesBucket(),
      Key: file.key,
      Body: file.body,
      ContentType: file.contentType,
      ChecksumAlgorithm: "SHA256",
      ObjectLockMode: "GOVERNANCE",
      ObjectLockRetainUntilDate: new Date(file.retainUntil),
    },
  });
  const done = await upload.done();
  return { key: file.key, ...(done.VersionId ? { versionId: done.VersionId } : {}) };
}

/** The bytes of a stored file (small files only: what an e-mail may carry). */
export async function readStoredFile(key: string, versionId?: string): Promise<Buffer> {
  const got = await s3Client().send(new GetObjectCommand({ Bucket: filesBucket(), Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

/** A stored file as a stream (any size: read as it is copied, e.g. into an audit pack). */
export async function openStoredFile(key: string, versionId?: string): Promise<Readable> {
  const got = await s3Client().send(new GetObjectCommand({ Bucket: filesBucket(), Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
  return got.Body as Readable;
}

/** How long a download URL works: long enough to start a large download, too short to pass around. */
export const DOWNLOAD_URL_SECONDS = 300;

/**
 * A presigned GET of a stored file that the browser saves under `name`. S3 checks the expiry
 * against its own clock, so the URL is signed at the real time, never the app's clock (the local
 * virtual clock may be months away); `expiresAt` is that real instant plus `seconds`.
 */
export async function downloadUrl(
  file: { key: string; versionId?: string; name: string; contentType: string },
  seconds = DOWNLOAD_URL_SECONDS,
): Promise<{ url: string; expiresAt: string }> {
  const signedAt = new Date();
  const url = await getSignedUrl(
    // The presigner (3.1162) and the client (3.1169) were built against two releases of
    // @smithy/types whose Client classes differ only in a private field; at run time they agree.
    s3Client() as unknown as Parameters<typeof getSignedUrl>[0],
    new GetObjectCommand({
      Bucket: filesBucket(),
      Key: file.key,
      ...(file.versionId ? { VersionId: file.versionId } : {}),
      ResponseContentDisposition: `attachment; filename="${file.name.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      ResponseContentType: file.contentType,
    }),
    { expiresIn: seconds, signingDate: signedAt },
  );
  return { url, expiresAt: new Date(signedAt.getTime() + seconds * 1000).toISOString() };
}
