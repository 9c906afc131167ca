import { Writable } from "node:stream";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { BatchTotalsMismatchError, CSV_COLUMNS, writeBatchCsv } from "../../functions/core/exports/index.js";
import { asAsync, krakowBatch } from "../fixtures/exports/batch.js";

function sink(): { out: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  return { out, bytes: () => Buffer.concat(chunks) };
}

const decimal = (s: string) => Number(s.replace(",", "."));
/** Index of a CSV column by its heading. */
const col = (heading: string) => CSV_COLUMNS.indexOf(heading);
const HOURS = col("Godziny (GG:MM)");
const DECIMAL = col("Godziny (dziesiętnie)");
const RATE = col("Stawka (zł)");
const AMOUNT = col("Kwota brutto (zł)");
const REPORTS = col("Liczba sprawozdań");

describe("batch CSV for Polish Excel", () => {
  it("starts with a UTF-8 BOM, uses CRLF and the Polish headings", async () => {
    const { header, lines } = krakowBatch();
    const { out, bytes } = sink();

    await writeBatchCsv(header, asAsync(lines), out);

    const csv = bytes();
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.toString("utf8").slice(1);
    expect(text.split("\r\n")[0]).toBe(
      "Asystent;Nr umowy;Nr rachunku bankowego;Miesiąc;Nr sprawozdania;Kod uczestnika;Godziny (GG:MM);Godziny (dziesiętnie);Stawka (zł);Kwota brutto (zł);Liczba sprawozdań;MPK;Klasyfikacja budżetowa;Kod projektu",
    );
    expect(text.replace(/\r\n/g, "")).not.toMatch(/\n/);
  });

  it("parses back with ';' and decimal comma into the same numbers, with a totals row equal to the sum", async () => {
    const { header, lines } = krakowBatch();
    const { out, bytes } = sink();

    const totals = await writeBatchCsv(header, asAsync(lines), out);

    const rows: string[][] = parse(bytes(), { delimiter: ";", bom: true, record_delimiter: "\r\n" });
    const [headings, ...rest] = rows;
    expect(headings).toEqual([...CSV_COLUMNS]);
    const data = rest.slice(0, -1);
    const total = rest.at(-1)!;
    // one row per report × rate (4 assistants × 6 reports at one rate): hours × rate = amount on each
    expect(data).toHaveLength(24);
    for (const row of data) {
      expect(row[HOURS]).toBe("6:00");
      expect(decimal(row[DECIMAL])).toBe(6);
      expect(decimal(row[RATE])).toBe(96);
      expect(decimal(row[AMOUNT])).toBe(576);
      expect(row[AMOUNT]).toBe("576,00");
      expect(Number(row[REPORTS])).toBe(1);
    }
    expect(total[0]).toBe("RAZEM");
    expect(total[HOURS]).toBe("144:00");
    expect(total[AMOUNT]).toBe("13824,00");
    expect(Math.round(data.reduce((s, r) => s + decimal(r[AMOUNT]) * 100, 0))).toBe(1_382_400);
    expect(Math.round(decimal(total[AMOUNT]) * 100)).toBe(1_382_400);
    expect(Number(total[REPORTS])).toBe(24);
    expect(totals).toEqual({ reports: 24, minutes: 8640, grosze: 1_382_400 });
  });

  it("groups a Polish account number so Excel keeps it as text", async () => {
    const { header, lines } = krakowBatch({ assistants: 1 });
    const { out, bytes } = sink();

    await writeBatchCsv(header, [lines[0]], out);

    const rows: string[][] = parse(bytes(), { delimiter: ";", bom: true });
    expect(rows[1][2]).toBe("61 1090 1014 0000 0712 1981 2800");
  });

  it("rounds odd minutes to two decimals of an hour", async () => {
    const { header, lines } = krakowBatch({ assistants: 1, beneficiaries: 1, minutesPerReport: 50 });
    const { out, bytes } = sink();

    await writeBatchCsv(header, lines, out);

    const rows: string[][] = parse(bytes(), { delimiter: ";", bom: true });
    expect([HOURS, DECIMAL, RATE, AMOUNT].map((i) => rows[1][i])).toEqual(["0:50", "0,83", "96,00", "80,00"]);
  });

  it("refuses a batch whose lines do not add up to the header's control totals", async () => {
    const { header, lines } = krakowBatch();
    const { out } = sink();

    await expect(
      writeBatchCsv({ ...header, totals: { ...header.totals, grosze: header.totals.grosze + 1 } }, lines, out),
    ).rejects.toBeInstanceOf(BatchTotalsMismatchError);
  });

  it("writes only the headings and a zero totals row for an empty batch", async () => {
    const { header } = krakowBatch();
    const { out, bytes } = sink();

    await writeBatchCsv({ ...header, totals: { reports: 0, minutes: 0, grosze: 0 } }, [], out);

    const rows: string[][] = parse(bytes(), { delimiter: ";", bom: true });
    expect(rows).toHaveLength(2);
    expect(rows[1][AMOUNT]).toBe("0,00");
  });
});
