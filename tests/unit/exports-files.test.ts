import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { PDFParse } from "pdf-parse";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  batchFileNames,
  BatchTotalsMismatchError,
  CONTENT_TYPES,
  writeBatchFiles,
  type BatchLine,
} from "../../functions/core/exports/index.js";
import { asAsync, krakowBatch, signaturePng, unzip } from "../fixtures/exports/batch.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "karta-exports-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("batch files", () => {
  it("writes CSV, XLSX and a ZIP of PDFs under deterministic names with their size and SHA-256", async () => {
    const { header, lines, cards } = krakowBatch();

    const { files } = await writeBatchFiles(header, () => asAsync(lines), () => asAsync(cards), dir);

    expect(files.map((f) => [f.name, f.contentType])).toEqual([
      ["karta-krakow-aou-2026-11-b-2026-11-001.csv", CONTENT_TYPES.csv],
      ["karta-krakow-aou-2026-11-b-2026-11-001.xlsx", CONTENT_TYPES.xlsx],
      ["karta-krakow-aou-2026-11-b-2026-11-001-pdf.zip", CONTENT_TYPES.zip],
    ]);
    expect((await readdir(dir)).sort()).toEqual(files.map((f) => f.name).sort());
    for (const file of files) {
      const content = await readFile(file.path);
      expect(file.path).toBe(join(dir, file.name));
      expect(file.bytes).toBe(content.length);
      expect(file.sha256).toBe(createHash("sha256").update(content).digest("hex"));
    }
    const rows: string[][] = parse(await readFile(files[0].path), { delimiter: ";", bom: true });
    expect(rows.at(-1)![rows[0].indexOf("Kwota brutto (zł)")]).toBe("13824,00");
  });

  it("puts one bill per assistant and one card per report in the ZIP", async () => {
    const { header, lines, cards } = krakowBatch();

    const { files } = await writeBatchFiles(header, () => lines, () => cards, dir);

    const entries = unzip(await readFile(files[2].path));
    const names = [...entries.keys()];
    expect(names.filter((n) => n.startsWith("rachunki/"))).toEqual([
      "rachunki/000001-anna-lecka.pdf",
      "rachunki/000002-bozena-zdzblo.pdf",
      "rachunki/000003-cezary-slusarczyk.pdf",
      "rachunki/000004-dorota-zolkiewska.pdf",
    ]);
    expect(names.filter((n) => n.startsWith("sprawozdania/"))).toHaveLength(24);
    expect(names).toContain("sprawozdania/000001-rep-2026-11-a1-b1-v1.pdf");
    const parser = new PDFParse({ data: new Uint8Array(entries.get("rachunki/000002-bozena-zdzblo.pdf")!) });
    const text = (await parser.getText()).text.replace(/\s+/g, " ");
    await parser.destroy();
    expect(text).toContain("Bożena Źdźbło");
    expect(text).toContain("trzy tysiące czterysta pięćdziesiąt sześć złotych 00/100");
  });

  // The CSV (the amounts) is byte-identical; the ZIP holds the same documents, but pdfkit writes
  // font subsets and images as their streams finish, so its bytes may differ under load.
  it("produces a byte-identical CSV and a ZIP with the same documents when run twice", async () => {
    const { header, lines, cards } = krakowBatch({ assistants: 2, beneficiaries: 2 });

    const first = await writeBatchFiles(header, () => lines, () => cards, join(dir, "a"));
    const second = await writeBatchFiles(header, () => lines, () => cards, join(dir, "b"));

    expect(second.files[0].sha256).toBe(first.files[0].sha256);
    const names = async (path: string) => [...unzip(await readFile(path)).keys()].sort();
    expect(await names(second.files[2].path)).toEqual(await names(first.files[2].path));
    expect((await names(first.files[2].path)).length).toBeGreaterThan(0);
  });

  it("leaves no file behind when the lines do not add up to the control totals", async () => {
    const { header, lines, cards } = krakowBatch();
    const last = lines[3];
    const dropped = last.rateLines.at(-1)!; // a report missing from its line: the line is consistent, the batch is not
    const broken: BatchLine[] = [
      ...lines.slice(0, 3),
      { ...last, minutes: last.minutes - dropped.minutes, grossGrosze: last.grossGrosze - dropped.amountGrosze, reportIds: last.reportIds.slice(0, -1), rateLines: last.rateLines.slice(0, -1) },
    ];

    await expect(writeBatchFiles(header, () => broken, () => cards, dir)).rejects.toBeInstanceOf(BatchTotalsMismatchError);

    expect(await readdir(dir)).toEqual([]);
  });

  it("removes the files already written when a later PDF cannot be drawn", async () => {
    const { header, lines, cards } = krakowBatch();
    cards[5].signatures[0].imagePng = Buffer.concat([signaturePng().subarray(0, 8), Buffer.from("damaged")]);

    await expect(writeBatchFiles(header, () => lines, () => cards, dir)).rejects.toThrow(/PNG/);

    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    ["krakow-aou", "2026-12", "krakow-aou-2026-12-p01", "karta-krakow-aou-2026-12-p01"],
    ["krakow-aou", "2026-12", "krakow-aou-2026-12-p02", "karta-krakow-aou-2026-12-p02"],
    ["wroclaw-ao", "2026-11", "wroclaw-ao-2026-11-p01", "karta-wroclaw-ao-2026-11-p01"],
  ])("names the files of %s %s batch %s once each: %s", (programmeId, month, batchId, base) => {
    expect(batchFileNames({ programmeId, month, batchId })).toEqual({ csv: `${base}.csv`, xlsx: `${base}.xlsx`, zip: `${base}-pdf.zip` });
  });

  it("keeps file names to safe ASCII whatever the programme and batch ids hold", () => {
    expect(batchFileNames({ programmeId: "Wrocław/Razem łatwiej", month: "2026-11", batchId: "../../etc/passwd" })).toEqual({
      csv: "karta-wroclaw-razem-latwiej-2026-11-etc-passwd.csv",
      xlsx: "karta-wroclaw-razem-latwiej-2026-11-etc-passwd.xlsx",
      zip: "karta-wroclaw-razem-latwiej-2026-11-etc-passwd-pdf.zip",
    });
  });
});
