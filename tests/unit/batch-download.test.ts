import { describe, expect, it } from "vitest";
import { batchFileKindOf, recentBatchMonths, retainUntil, storedFileOf } from "../../functions/core/batch.js";
import { BatchFileNotStoredError, NotFoundError } from "../../functions/core/errors.js";
import { objectKeys } from "../../functions/adapters/keys.js";

const hash = (c: string) => c.repeat(64);
const key = (name: string) => objectKeys.batchFile({ programmeId: "krakow-aou", month: "2026-11", batchId: "krakow-aou-2026-11-p01" }, name);
const names = { csv: "karta-krakow-aou-2026-11-p01.csv", xlsx: "karta-krakow-aou-2026-11-p01.xlsx", zip: "karta-krakow-aou-2026-11-p01-pdf.zip" };
const batch = {
  batchId: "krakow-aou-2026-11-p01",
  files: [
    { name: names.csv, bytes: 100, sha256: hash("a"), key: key(names.csv) },
    { name: names.xlsx, bytes: 100, sha256: hash("b"), key: key(names.xlsx) },
    { name: names.zip, bytes: 60 * 1024 * 1024, sha256: hash("c"), key: key(names.zip), versionId: "v3" },
  ],
};

describe("downloading a batch file", () => {
  it.each([
    ["csv", "csv"],
    ["zip", "zip"],
    [names.xlsx, "xlsx"],
    [names.zip, "zip"],
  ])("names %s the %s file", (asked, kind) => {
    expect(batchFileKindOf(batch, asked)).toBe(kind);
  });

  it.each(["pdf", "karta-other.csv", "../etc/passwd"])("knows no file %s (404)", (asked) => {
    expect(() => batchFileKindOf(batch, asked)).toThrow(NotFoundError);
  });

  it("hands out the stored file of any size with its key, version, hash and content type", () => {
    expect(storedFileOf(batch, "zip")).toEqual({ ...batch.files[2], kind: "zip", contentType: "application/zip" });
    expect(storedFileOf(batch, "csv")).toMatchObject({ key: "batches/krakow-aou/2026-11/krakow-aou-2026-11-p01/" + names.csv, contentType: "text/csv; charset=utf-8" });
  });

  it.each([
    ["a batch not e-mailed yet", { batchId: batch.batchId }, "unsent", "nie są jeszcze gotowe", "not ready yet"],
    ["a batch e-mailed before files were stored", { batchId: batch.batchId, files: batch.files.map(({ key: _key, ...f }) => f) }, "legacy", "kopii z e-maila", "copy from the finance e-mail"],
  ] as const)("refuses %s with 409 in Polish and English", (_, asked, reason, pl, en) => {
    const error = (() => {
      try {
        storedFileOf(asked, "csv");
      } catch (e) {
        return e as BatchFileNotStoredError;
      }
    })()!;
    expect(error).toBeInstanceOf(BatchFileNotStoredError);
    expect([error.status, error.code, (error.details as { reason: string }).reason]).toEqual([409, "BATCH_FILE_NOT_STORED", reason]);
    expect(error.messages.pl).toContain(pl);
    expect(error.messages.en).toContain(en);
  });

  it.each([
    ["2026-01", "2026-02-10T09:00:00.000Z", 5, "2032-01-01T00:00:00.000Z"],
    ["2026-11", "2026-12-14T09:00:00.000Z", 5, "2032-01-01T00:00:00.000Z"],
    // paid and booked in the next year: that financial year counts
    ["2026-12", "2027-01-11T09:00:00.000Z", 5, "2033-01-01T00:00:00.000Z"],
    ["2026-11", "2027-01-20T09:00:00.000Z", 5, "2033-01-01T00:00:00.000Z"],
    ["2027-03", "2027-04-12T09:00:00.000Z", 10, "2038-01-01T00:00:00.000Z"],
  ])("keeps the files of %s paid at %s for %i years after the end of the year, until %s", (month, paidAt, years, until) => {
    expect(retainUntil(month, years, paidAt)).toBe(until);
  });

  it("keys a file by programme, month and batch, and refuses a name that is not a plain file name", () => {
    expect(key(names.csv)).toBe(`batches/krakow-aou/2026-11/krakow-aou-2026-11-p01/${names.csv}`);
    for (const name of ["../other.csv", "sub/dir.csv", ".hidden", ""]) expect(() => key(name), name).toThrow();
  });

  it("lists the batches of this month and the five before when no month is asked", () => {
    expect(recentBatchMonths("2027-02")).toEqual(["2027-02", "2027-01", "2026-12", "2026-11", "2026-10", "2026-09"]);
  });
});
