import { describe, expect, it } from "vitest";
import { MAX_DOWNLOAD_BYTES, batchFileKindOf, checkDownloadSize, checkRegenerated, recentBatchMonths } from "../../functions/core/batch.js";
import { BatchFileChangedError, BatchFileTooLargeError, NotFoundError } from "../../functions/core/errors.js";

const hash = (c: string) => c.repeat(64);
const batch = {
  batchId: "krakow-aou-2026-11-p01",
  delivery: "attached" as const,
  files: [
    { name: "karta-krakow-aou-2026-11-p01.csv", bytes: 100, sha256: hash("a") },
    { name: "karta-krakow-aou-2026-11-p01.xlsx", bytes: 100, sha256: hash("b") },
    { name: "karta-krakow-aou-2026-11-p01-pdf.zip", bytes: 100, sha256: hash("c") },
  ],
};

describe("downloading a batch file", () => {
  it.each([
    ["csv", "csv"],
    ["zip", "zip"],
    ["karta-krakow-aou-2026-11-p01.xlsx", "xlsx"],
    ["karta-krakow-aou-2026-11-p01-pdf.zip", "zip"],
  ])("names %s the %s file", (asked, kind) => {
    expect(batchFileKindOf(batch, asked)).toBe(kind);
  });

  it.each(["pdf", "karta-other.csv", "../etc/passwd"])("knows no file %s (404)", (asked) => {
    expect(() => batchFileKindOf(batch, asked)).toThrow(NotFoundError);
  });

  it("refuses a file API Gateway cannot answer, naming it and pointing to the e-mailed copy", () => {
    expect(() => checkDownloadSize(batch, { name: "big.zip", bytes: MAX_DOWNLOAD_BYTES })).not.toThrow();
    const error = (() => {
      try {
        checkDownloadSize(batch, { name: "big.zip", bytes: MAX_DOWNLOAD_BYTES + 1 });
      } catch (e) {
        return e as BatchFileTooLargeError;
      }
    })()!;
    expect(error).toBeInstanceOf(BatchFileTooLargeError);
    expect(error.status).toBe(413);
    expect(error.messages.pl).toContain("big.zip");
    expect(error.messages.en).toContain("e-mail");
    expect(Math.ceil((MAX_DOWNLOAD_BYTES / 3) * 4)).toBeLessThan(6 * 1024 * 1024);
  });

  it.each([
    ["csv", hash("a"), false],
    ["csv", hash("d"), true],
    ["zip", hash("d"), false], // PDF object order can change under load (functions/core/batch.ts)
    ["xlsx", hash("d"), false], // workbooks e-mailed before the own writer carry exceljs's build time
  ] as const)("checks a regenerated %s against the record (changed: %s → refused %s)", (kind, sha256, refused) => {
    const check = () => checkRegenerated(batch, kind, { name: "f", sha256 });
    if (refused) expect(check).toThrow(BatchFileChangedError);
    else expect(check).not.toThrow();
  });

  it("lists the batches of this month and the five before when no month is asked", () => {
    expect(recentBatchMonths("2027-02")).toEqual(["2027-02", "2027-01", "2026-12", "2026-11", "2026-10", "2026-09"]);
  });
});
