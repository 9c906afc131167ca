import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

/** A pass-through that counts bytes and computes SHA-256 of everything written through it. */
export class Sha256PassThrough extends Transform {
  #hash: Hash = createHash("sha256");
  #hex: string | undefined;
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.#hex = this.#hash.digest("hex");
    callback();
  }

  /** The hex digest; available once the stream has ended. */
  get sha256(): string {
    if (this.#hex === undefined) throw new Error("Sha256PassThrough: digest read before the stream ended");
    return this.#hex;
  }
}

/** SHA-256 hex of a buffer, for files already in memory. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}
