import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
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

  // Issue 13: the recorded SHA-256 of every file must be re-verifiable later, so two builds of
  // the same data (at once in one process, and in another process) give the same bytes.
  it("produces byte-identical CSV, XLSX and ZIP of PDFs from the same data, in this process and another", async () => {
    const { header, lines, cards } = krakowBatch({ assistants: 2, beneficiaries: 3 });
    const builds = await Promise.all(["a", "b", "c"].map((d) => writeBatchFiles(header, () => lines, () => cards, join(dir, d))));
    const hashes = (b: (typeof builds)[number]) => b.files.map((f) => [f.name, f.sha256]);
    for (const build of builds.slice(1)) expect(hashes(build)).toEqual(hashes(builds[0]));
    for (const f of builds[0].files) expect(createHash("sha256").update(await readFile(f.path)).digest("hex")).toBe(f.sha256);

    const script = [
      `import { writeBatchFiles } from ${JSON.stringify(join(process.cwd(), "functions/core/exports/index.ts"))};`,
      `import { krakowBatch } from ${JSON.stringify(join(process.cwd(), "tests/fixtures/exports/batch.ts"))};`,
      `const { header, lines, cards } = krakowBatch({ assistants: 2, beneficiaries: 3 });`,
      `const { files } = await writeBatchFiles(header, () => lines, () => cards, ${JSON.stringify(join(dir, "other"))});`,
      `console.log(JSON.stringify(files.map((f) => [f.name, f.sha256])));`,
    ].join("\n");
    await writeFile(join(dir, "build.mts"), script);
    const other = execFileSync(join(process.cwd(), "node_modules/.bin/tsx"), [join(dir, "build.mts")], { encoding: "utf8", timeout: 60_000 });
    expect(JSON.parse(other.trim().split("\n").at(-1)!)).toEqual(hashes(builds[0]));
  }, 90_000);

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
