import { once } from "node:events";
import { PassThrough, type Readable, type Transform, type TransformOptions, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setImmediate } from "node:timers/promises";
import { crc32, createDeflateRaw, deflateRawSync, type ZlibOptions } from "node:zlib";
import * as z from "zod";

// The ZIP container (PKWARE APPNOTE 6.3), written front to back, for the workbook and for the
// archive of PDFs. yazl (which the audit pack uses) computes CRC-32 in JavaScript: 0.35 s for
// the 120 MB of XML of 100,000 lines, against 0.03 s for node:zlib's native crc32. Deflate runs
// on libuv's thread pool, beside the XML being built.
//
// A batch's archive is written page by page in separate steps (core/exports/pages.ts): each page
// writes its entries (local headers and data) as a *part* whose offsets count from the part's
// start, and the final step copies the parts in order and writes the central directory with the
// offsets moved by where each part landed. No library writes ZIP parts to be joined later; the
// output is read back by yauzl, Python's zipfile and LibreOffice in the tests.
//
// Every entry is dated 1980-01-01 00:00 (the DOS epoch) so two writes of a batch are the same
// bytes; the batch's own time is inside the files.

const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
const DEFLATE = 8;
const VERSION = 20; // 2.0: deflate
const VERSION_ZIP64 = 45;
const UTF8_FLAG = 0x0800;
const DATA_DESCRIPTOR_FLAG = 0x0008;
const MAX_16 = 0xffff;
const MAX_32 = 0xffffffff;
// Chunks of the deflate stream of a streamed entry.
const CHUNK_BYTES = 256 * 1024;
// Speed over size: on the workbook's XML level 2 deflates 67 MB in 0.13 s against 0.68 s at
// zlib's default (6), and the file is about the size exceljs wrote (11.1 MB instead of 12.0 MB
// for 100,000 lines). A few chunks may wait for the thread pool, so building the next rows
// overlaps their compression.
const DEFLATE_OPTIONS: ZlibOptions & TransformOptions = {
  level: 2,
  chunkSize: CHUNK_BYTES,
  writableHighWaterMark: 4 * CHUNK_BYTES,
  readableHighWaterMark: CHUNK_BYTES,
};

/** What the central directory needs of one entry; `offset` counts from the start of the part (or archive) it was written in. */
export const ZipRecord = z.object({
  name: z.string().min(1),
  flags: z.number().int().nonnegative(),
  crc: z.number().int().nonnegative(),
  compressed: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
});
export type ZipRecord = z.infer<typeof ZipRecord>;

/** The stream of one entry: data written to it is counted, checksummed and deflated into the archive. */
export type ZipEntryWriter = { write(chunk: Buffer): Promise<void>; end(): Promise<void> };

/** A part written earlier: its bytes (as written) and its entries. */
export type ZipPart = { records: readonly ZipRecord[]; bytes: number; open(): Promise<Readable> | Readable };

export class ZipWriter {
  private offset = 0;
  private readonly records: ZipRecord[] = [];
  private readonly deflates: Transform[] = [];
  // the archive goes out through a pipeline, which fails a write here when `out` fails or closes
  private readonly archive = new PassThrough({ highWaterMark: CHUNK_BYTES });
  private readonly written: Promise<void>;

  constructor(out: Writable) {
    this.written = pipeline(this.archive, out);
    this.written.catch(() => undefined); // awaited by end(), and by a write that waits
  }

  /** An entry compressed in one go (a PDF, a small XML part), its CRC and sizes in the local header. */
  async addBuffer(name: string, data: Buffer): Promise<void> {
    const compressed = deflateRawSync(data);
    const record = this.record(name, UTF8_FLAG);
    Object.assign(record, { crc: crc32(data), compressed: compressed.length, size: data.length });
    checkEntry(record);
    await this.put(localHeader(record));
    await this.put(compressed);
  }

  /** A streamed entry: the sizes and CRC follow its data in a data descriptor. */
  addStream(name: string): ZipEntryWriter {
    const record = this.record(name, UTF8_FLAG | DATA_DESCRIPTOR_FLAG);
    const deflate = createDeflateRaw(DEFLATE_OPTIONS);
    this.deflates.push(deflate);
    const started = this.put(localHeader(record));
    const copied = (async () => {
      await started;
      for await (const chunk of deflate as AsyncIterable<Buffer>) {
        record.compressed += chunk.length;
        await this.put(chunk);
      }
      checkEntry(record);
      await this.put(dataDescriptor(record));
    })();
    copied.catch(() => undefined); // awaited by end(); a failed output also ends a wait for "drain"
    return {
      write: async (chunk) => {
        record.crc = crc32(chunk, record.crc);
        record.size += chunk.length;
        // Deflate and the file writes go on only when their completions reach this thread, so
        // every chunk gives them a turn: they then work beside the next rows being built
        // instead of in the gaps when this writer waits for "drain" (a fifth of its time).
        if (deflate.write(chunk)) await setImmediate();
        else await Promise.race([once(deflate, "drain"), copied]);
      },
      end: async () => {
        deflate.end();
        await copied;
      },
    };
  }

  /** Copies a part's bytes as they are; its entries join this archive's directory at their new offsets. */
  async addPart(part: ZipPart): Promise<void> {
    const start = this.offset;
    let copied = 0;
    for await (const chunk of await part.open()) {
      copied += (chunk as Buffer).length;
      await this.put(chunk as Buffer);
    }
    if (copied !== part.bytes) throw new Error(`ZIP part: ${copied} bytes read where ${part.bytes} were written`);
    for (const record of part.records) this.records.push({ ...record, offset: start + record.offset });
  }

  /** Ends a part: no directory; the records say where each entry is within it. */
  async endPart(): Promise<{ records: ZipRecord[]; bytes: number }> {
    this.archive.end();
    await this.written;
    return { records: this.records, bytes: this.offset };
  }

  /** Ends the archive with its central directory (ZIP64 when it holds over 65,535 entries or passes 4 GiB). */
  async end(): Promise<void> {
    const start = this.offset;
    for (const record of this.records) await this.put(centralHeader(record));
    const size = this.offset - start;
    const count = this.records.length;
    if (count > MAX_16 || start > MAX_32 || size > MAX_32) {
      await this.put(zip64End(count, size, start, this.offset));
    }
    await this.put(endOfDirectory(count, size, start));
    this.archive.end();
    await this.written;
  }

  /** Stops the archive; `out` is destroyed with the error, so a half-written file is not taken for a whole one. */
  async destroy(error: Error): Promise<void> {
    for (const deflate of this.deflates) deflate.destroy();
    this.archive.destroy(error);
    await this.written.catch(() => undefined);
  }

  private record(name: string, flags: number): ZipRecord {
    const record = { name, flags, crc: 0, compressed: 0, size: 0, offset: this.offset };
    this.records.push(record);
    return record;
  }

  private async put(chunk: Buffer): Promise<void> {
    this.offset += chunk.length;
    // a destroyed archive never drains; the pipeline's failure says why it stopped
    if (!this.archive.write(chunk)) await Promise.race([once(this.archive, "drain"), this.written]);
  }
}

// Entries stay below 4 GiB (a PDF, a sheet); only offsets and counts may need ZIP64.
function checkEntry(record: ZipRecord): void {
  if (record.size > MAX_32 || record.compressed > MAX_32) throw new RangeError(`${record.name} is too large for a ZIP entry without ZIP64 sizes`);
}

/** The fields a local header and a central directory header share, from "version needed" on. */
function commonFields(record: ZipRecord, version: number, name: Buffer, extra: number): Buffer {
  const fields = Buffer.alloc(26);
  fields.writeUInt16LE(version, 0);
  fields.writeUInt16LE(record.flags, 2);
  fields.writeUInt16LE(DEFLATE, 4);
  fields.writeUInt16LE(DOS_TIME, 6);
  fields.writeUInt16LE(DOS_DATE, 8);
  fields.writeUInt32LE(record.crc >>> 0, 10);
  fields.writeUInt32LE(record.compressed, 14);
  fields.writeUInt32LE(record.size, 18);
  fields.writeUInt16LE(name.length, 22);
  fields.writeUInt16LE(extra, 24);
  return fields;
}

function localHeader(record: ZipRecord): Buffer {
  const signature = Buffer.alloc(4);
  signature.writeUInt32LE(0x04034b50);
  const name = Buffer.from(record.name, "utf8");
  // a streamed entry's CRC and sizes are zero here and given by its data descriptor
  return Buffer.concat([signature, commonFields(record, VERSION, name, 0), name]);
}

function dataDescriptor(record: ZipRecord): Buffer {
  const descriptor = Buffer.alloc(16);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(record.crc >>> 0, 4);
  descriptor.writeUInt32LE(record.compressed, 8);
  descriptor.writeUInt32LE(record.size, 12);
  return descriptor;
}

function centralHeader(record: ZipRecord): Buffer {
  const name = Buffer.from(record.name, "utf8");
  const far = record.offset > MAX_32;
  // ZIP64 extended information: only the offset, as the 32-bit field says 0xFFFFFFFF
  const extra = far ? Buffer.alloc(12) : Buffer.alloc(0);
  if (far) {
    extra.writeUInt16LE(0x0001, 0);
    extra.writeUInt16LE(8, 2);
    extra.writeBigUInt64LE(BigInt(record.offset), 4);
  }
  const version = far ? VERSION_ZIP64 : VERSION;
  const head = Buffer.alloc(6);
  head.writeUInt32LE(0x02014b50, 0);
  head.writeUInt16LE(version, 4); // version made by: MS-DOS
  const tail = Buffer.alloc(14); // comment length, disk, internal and external attributes: all 0
  tail.writeUInt32LE(far ? MAX_32 : record.offset, 10);
  return Buffer.concat([head, commonFields(record, version, name, extra.length), tail, name, extra]);
}

/** The ZIP64 end of central directory record and its locator (APPNOTE 4.3.14, 4.3.15). */
function zip64End(count: number, size: number, start: number, at: number): Buffer {
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4); // size of the rest of this record
  record.writeUInt16LE(VERSION_ZIP64, 12);
  record.writeUInt16LE(VERSION_ZIP64, 14);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(size), 40);
  record.writeBigUInt64LE(BigInt(start), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(at), 8);
  locator.writeUInt32LE(1, 16); // one disk
  return Buffer.concat([record, locator]);
}

function endOfDirectory(count: number, size: number, start: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(count, MAX_16), 8);
  end.writeUInt16LE(Math.min(count, MAX_16), 10);
  end.writeUInt32LE(Math.min(size, MAX_32), 12);
  end.writeUInt32LE(Math.min(start, MAX_32), 16);
  return end;
}
