import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable, type Writable } from "node:stream";
import yauzl from "yauzl";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  assembleBatchFile,
  PAGE_PARTS,
  planPages,
  writeBatchFiles,
  writeBatchPage,
  ZipWriter,
  type BatchLine,
  type PagePart,
  type PageSource,
  type ReportCard,
} from "../../functions/core/exports/index.js";
import { krakowBatch } from "../fixtures/exports/batch.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "karta-pages-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function collector(): { out: Writable; bytes: () => Buffer } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  return { out, bytes: () => Buffer.concat(chunks) };
}

/** Writes the batch as pages of `perPage` assistants, each page's parts kept in memory as a step would keep them in S3. */
async function writePages(perPage: number): Promise<PageSource[]> {
  const { header, lines, cards } = krakowBatch();
  const sources: PageSource[] = [];
  const start = { assistantsBefore: 0, reportsBefore: 0, rowsBefore: 0 };
  for (let from = 0; from < lines.length; from += perPage) {
    const pageLines: BatchLine[] = lines.slice(from, from + perPage);
    const ids = new Set(pageLines.flatMap((l) => l.reportIds));
    const pageCards: ReportCard[] = cards.filter((c) => ids.has(c.reportId));
    const parts = Object.fromEntries(PAGE_PARTS.map((p) => [p, collector()])) as Record<PagePart, ReturnType<typeof collector>>;
    const outs = Object.fromEntries(PAGE_PARTS.map((p) => [p, parts[p].out])) as Record<PagePart, Writable>;
    const index = await writeBatchPage(header, { page: sources.length, ...start }, () => pageLines, () => pageCards, outs);
    // what a step hands on is JSON: the index must survive it
    sources.push({ index: JSON.parse(JSON.stringify(index)), open: (part) => Readable.from([parts[part].bytes()]) });
    start.assistantsBefore += pageLines.length;
    start.reportsBefore += pageCards.length;
    start.rowsBefore += pageLines.reduce((s, l) => s + l.rateLines.length, 0);
  }
  return sources;
}

async function assembled(pages: PageSource[]) {
  const { header } = krakowBatch();
  const files: Record<string, Buffer> = {};
  for (const kind of ["csv", "xlsx", "zip"] as const) {
    const c = collector();
    await assembleBatchFile(kind, header, pages, c.out);
    files[kind] = c.bytes();
  }
  return files;
}

describe("a batch written page by page", () => {
  it("joins its pages into the same bytes as the batch written at once, whatever the page size", async () => {
    const { header, lines, cards } = krakowBatch();
    expect(lines.length).toBeGreaterThanOrEqual(3);
    const { files } = await writeBatchFiles(header, () => lines, () => cards, dir);
    const whole = { csv: await readFile(files[0].path), xlsx: await readFile(files[1].path), zip: await readFile(files[2].path) };

    for (const perPage of [1, 2, lines.length]) {
      const pages = await writePages(perPage);
      expect(pages.length).toBe(Math.ceil(lines.length / perPage));
      const joined = await assembled(pages);
      expect(joined.csv.equals(whole.csv), `CSV, ${perPage} assistant(s) a page`).toBe(true);
      expect(joined.xlsx.equals(whole.xlsx), `XLSX, ${perPage} assistant(s) a page`).toBe(true);
      expect(joined.zip.equals(whole.zip), `ZIP, ${perPage} assistant(s) a page`).toBe(true);
    }
  });

  it("gives an archive that other ZIP readers take entry by entry (Python's zipfile, unzip -t)", async () => {
    const joined = await assembled(await writePages(1));
    const path = join(dir, "joined.zip");
    await writeFile(path, joined.zip);
    const listed = execFileSync("python3", ["-c", "import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print('\\n'.join(z.namelist()))", path], { encoding: "utf8" });
    const { lines, cards } = krakowBatch();
    expect(listed.trim().split("\n")).toHaveLength(lines.length + cards.length);
    expect(listed).toContain("rachunki/000001-");
    expect(listed).toContain(`sprawozdania/${String(cards.length).padStart(6, "0")}-`);
  });

  it("refuses to join pages that do not add up to the batch's control totals", async () => {
    const pages = await writePages(1);
    const { header } = krakowBatch();
    await expect(assembleBatchFile("csv", header, pages.slice(1), collector().out)).rejects.toThrow(/totals|sum|zgadza/i);
    await expect(assembleBatchFile("xlsx", header, pages.slice(1), collector().out)).rejects.toThrow(/totals|sum|zgadza/i);
  });

  it("plans pages of whole assistants, each starting where the one before ended", () => {
    const assistants = [
      { assistantId: "a", reports: 3, rateLines: 4 },
      { assistantId: "b", reports: 2, rateLines: 2 },
      { assistantId: "c", reports: 6, rateLines: 6 },
      { assistantId: "d", reports: 1, rateLines: 2 },
    ];
    expect(planPages("B", assistants, 5)).toEqual([
      { batchId: "B", page: 0, assistantIds: ["a", "b"], assistantsBefore: 0, reportsBefore: 0, rowsBefore: 0 },
      { batchId: "B", page: 1, assistantIds: ["c"], assistantsBefore: 2, reportsBefore: 5, rowsBefore: 6 },
      { batchId: "B", page: 2, assistantIds: ["d"], assistantsBefore: 3, reportsBefore: 11, rowsBefore: 12 },
    ]);
    expect(planPages("B", [])).toEqual([]);
  });
});

describe("the ZIP container", () => {
  it("writes ZIP64 once an archive holds more than 65,535 entries, and readers list every one", async () => {
    const path = join(dir, "many.zip");
    const c = collector();
    const zip = new ZipWriter(c.out);
    const count = 70_000;
    for (let i = 0; i < count; i++) await zip.addBuffer(`e/${i}.txt`, Buffer.from(`entry ${i}`));
    await zip.end();
    await writeFile(path, c.bytes());

    const read = await new Promise<{ entryCount: number; last: string }>((resolve, reject) =>
      yauzl.open(path, { lazyEntries: true }, (error, file) => {
        if (error || !file) return reject(error);
        let last = "";
        file.on("entry", (e: yauzl.Entry) => {
          last = e.fileName;
          file.readEntry();
        });
        file.on("end", () => resolve({ entryCount: file.entryCount, last }));
        file.on("error", reject);
        file.readEntry();
      }),
    );
    expect(read).toEqual({ entryCount: count, last: `e/${count - 1}.txt` });
    const python = execFileSync("python3", ["-c", "import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(len(z.namelist()), z.read('e/69999.txt').decode())", path], { encoding: "utf8" });
    expect(python.trim()).toBe(`${count} entry 69999`);
  });
});
