import { PassThrough, type Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import yazl from "yazl";
import type { Rows } from "./model.js";

/** One file in the archive; `write` streams its content into `out` and resolves when `out` has finished. */
export type ZipEntry = { name: string; write(out: Writable): Promise<void> };

// The DOS epoch: yazl would otherwise stamp the current time, and core reads no clock.
const DOS_EPOCH = new Date(1980, 0, 1);

/** Streams entries into a ZIP one after another, so only one PDF is in memory at a time. */
export async function writePdfZip(
  entries: Rows<ZipEntry>,
  out: Writable,
  options: { mtime?: Date } = {},
): Promise<{ entries: number }> {
  const zip = new yazl.ZipFile();
  const written = pipeline(zip.outputStream, out);
  written.catch(() => undefined); // awaited below, after the entries
  let count = 0;
  try {
    for await (const entry of entries) {
      const content = new PassThrough();
      zip.addReadStream(content, entry.name, { mtime: options.mtime ?? DOS_EPOCH, compress: true });
      await entry.write(content);
      count++;
    }
    zip.end();
  } catch (error) {
    (zip.outputStream as Readable).destroy(error as Error);
    await written.catch(() => undefined);
    throw error;
  }
  await written;
  return { entries: count };
}
