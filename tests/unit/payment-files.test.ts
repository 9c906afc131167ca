import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { isValidIBAN } from "ibantools";
import { describe, expect, it } from "vitest";
import type { Declarations } from "../../functions/core/contract.js";
import { elixirO, PaymentFileRefusedError, payrollCsv, payrollOf, transfersCsv, transfersOf, type Payee } from "../../functions/core/exports/payments.js";
import { payrollXlsx } from "../../functions/core/exports/payroll-xlsx.js";
import type { BatchHeader } from "../../functions/core/exports/model.js";
import type { PaymentSettings } from "../../functions/core/programme.js";
import { libreOfficeCsvCells, workDir } from "../support/read-back.js";

/** Issue 17: from gross to the bank — the payroll export and the transfer file, read back by readers Karta did not write. */
const over26: Declarations = { studentUnder26: false, otherEmploymentAtMinimumWage: false, pit2: false, voluntarySickness: false, ppk: false };
const payees: Payee[] = [
  { assistantId: "p-anna", assistantName: "Anna Łęcka-Żółw", contractNumber: "AOU/2025/001", bankAccount: "PL61109010140000071219812874", declarations: over26, reports: 6, minutes: 36 * 60, grossGrosze: 3456_00 },
  { assistantId: "p-jan", assistantName: 'Jan "Janek" Kowalski|junior', contractNumber: "AOU/2025/002", bankAccount: "27 1140 2004 0000 3002 0135 5387", declarations: { ...over26, pit2: true }, reports: 6, minutes: 36 * 60, grossGrosze: 3456_00 },
  { assistantId: "p-ola", assistantName: "Ola Student", contractNumber: "AOU/2025/003", bankAccount: "PL83101010230000261395100000", declarations: { ...over26, studentUnder26: true, turns26On: "2028-05-01" }, reports: 6, minutes: 36 * 60, grossGrosze: 3456_00 },
];
const header: BatchHeader = {
  batchId: "krakow-aou-2026-11-p01",
  programmeId: "krakow-aou",
  programmeName: "Asystent osoby usamodzielnianej",
  month: "2026-11",
  kind: "main",
  createdAt: "2026-12-10T08:00:00.000Z",
  totals: { reports: 18, minutes: 3 * 36 * 60, grosze: 3 * 3456_00 },
};
const settings: PaymentSettings = { payerName: ["Miejski Ośrodek Pomocy Społecznej", "ul. Józefińska 14", "30-529 Kraków"], payerAccount: "PL10105000997603123456789123", transferAmount: "net", accidentBp: 167 };
const day = "2026-12-10";

describe("the payroll export", () => {
  it("per assistant the gross, each contribution, the advance, the net and the employer's cost; totals equal the batch's", async () => {
    const payroll = payrollOf(header, payees, day, settings);
    expect(payroll.rows.map((r) => r.estimate.netGrosze)).toEqual([2496_83, 2790_83, 3456_00]);
    expect(payroll.totals.grossGrosze).toBe(header.totals.grosze);
    expect(payroll.totals.netGrosze).toBe(2496_83 + 2790_83 + 3456_00);

    // The CSV as Polish LibreOffice imports it: numbers, the totals record, the estimate notice first.
    const dir = workDir("karta-payroll-");
    const cells = await libreOfficeCsvCells(dir, "place", payrollCsv(payroll));
    const at = (row: number, col: number) => cells.find((c) => c.row === row && c.col === col)?.value;
    expect(String(at(1, 1))).toMatch(/^SZACUNEK do potwierdzenia/);
    expect(at(2, 14)).toBe("Netto do wypłaty (zł)");
    expect(at(3, 1)).toBe("Anna Łęcka-Żółw");
    expect([at(3, 14), at(4, 14), at(5, 14)]).toEqual([2496.83, 2790.83, 3456]);
    expect(at(6, 1)).toBe("RAZEM");
    expect(at(6, 5)).toBe(10368);
    expect(at(6, 14)).toBe(8743.66);
    // a name starting with "=" or the like never becomes a formula
    expect(cells.some((c) => c.formula)).toBe(false);

    // The XLSX: read by exceljs, then recalculated by LibreOffice (converted to CSV): SUMs equal the totals.
    const xlsx = await payrollXlsx(payroll);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("Płace")!;
    expect(sheet.getCell("N4").value).toBe(2496.83);
    expect(sheet.getCell("N7").value).toMatchObject({ formula: "SUM(N4:N6)" });
    writeFileSync(join(dir, "place.xlsx"), xlsx);
    execFileSync("soffice", [`-env:UserInstallation=file://${dir}/lo`, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76", "--outdir", join(dir, "out"), join(dir, "place.xlsx")], { stdio: "ignore", timeout: 120_000 });
    const back = parse(readFileSync(join(dir, "out", "place.csv"), "utf8"), { delimiter: ";", relax_column_count: true }) as string[][];
    expect(back[6][0]).toBe("RAZEM");
    expect(back[6][13].replace(/\D/g, "")).toBe("874366");
  });

  it("applies the PIT-2 reduction once a month: not again in a supplementary batch that pays the same assistant", () => {
    const again = payrollOf(header, [payees[0], { ...payees[1], pit2UsedThisMonth: true }, payees[2]], day, settings);
    expect(again.rows[1].estimate).toMatchObject({ advanceGrosze: 294_00, netGrosze: 2496_83 });
  });

  it("refuses, naming every assistant and the field, when a contract has no declarations — nothing written", () => {
    const legacy = [...payees, { ...payees[0], assistantId: "p-stary", assistantName: "Stary Umowa", declarations: undefined }, { ...payees[0], assistantId: "p-zero", assistantName: "Zero Kwota", grossGrosze: 0 }];
    const error = (() => {
      try {
        payrollOf({ ...header, totals: { ...header.totals, grosze: 4 * 3456_00 } }, legacy, day, settings);
      } catch (e) {
        return e as PaymentFileRefusedError;
      }
    })()!;
    expect(error).toBeInstanceOf(PaymentFileRefusedError);
    expect(error.status).toBe(422);
    expect(error.messages.pl).toMatch(/Stary Umowa: brak oświadczeń.*Zero Kwota: kwota brutto wynosi 0 zł/);
    expect(error.messages.en).toMatch(/Stary Umowa: no contractor's declarations.*Zero Kwota: the gross amount is 0 PLN/);
    expect((error.details as { problems: { field: string }[] }).problems.map((p) => p.field)).toEqual(["declarations", "gross"]);
  });
});

describe("the transfer file", () => {
  it("Elixir-O: one 110 record per assistant, the net in grosze, checksummed accounts, Windows-1250 — parsed back by csv-parse", () => {
    const transfers = transfersOf(header, payees, day, settings);
    const file = elixirO(transfers, settings, day);
    expect(file.includes(Buffer.from("\r\n"))).toBe(true);
    const text = new TextDecoder("windows-1250").decode(file);
    const records = parse(text, { relax_quotes: false }) as string[][];
    expect(records).toHaveLength(3);
    for (const r of records) {
      expect(r).toHaveLength(16);
      expect(r[0]).toBe("110");
      expect(r[1]).toBe("20261210");
      expect(r[3]).toBe("10500099");
      expect(r[5]).toBe("10105000997603123456789123");
      expect(isValidIBAN(`PL${r[6]}`)).toBe(true);
      expect(r[10]).toBe(r[6].slice(2, 10));
      expect(r[14]).toBe("51");
      for (const field of [r[7], r[8], r[11]]) for (const line of field.split("|")) expect(line.length).toBeLessThanOrEqual(35);
    }
    expect(records.map((r) => Number(r[2]))).toEqual([2496_83, 2790_83, 3456_00]);
    expect(records.reduce((s, r) => s + Number(r[2]), 0)).toBe(payrollOf(header, payees, day, settings).totals.netGrosze);
    expect(records[0][8]).toBe("Anna Łęcka-Żółw");
    expect(records[1][8]).toBe("Jan Janek Kowalski junior");
    expect(records[0][11]).toBe("Rachunek AOU/2025/001 za 11.2026");
    expect(records[0][7]).toBe("Miejski Ośrodek Pomocy Społecznej|ul. Józefińska 14|30-529 Kraków");
  });

  it("gross per programme setting; the CSV variant carries the same amounts", () => {
    const gross = transfersOf(header, payees, day, { ...settings, transferAmount: "gross" });
    expect(gross.map((t) => t.amountGrosze)).toEqual([3456_00, 3456_00, 3456_00]);
    const rows = parse(transfersCsv(gross, day).toString("utf8"), { delimiter: ";", bom: true }) as string[][];
    expect(rows[0]).toEqual(["Data wykonania", "Odbiorca", "Rachunek odbiorcy", "Kwota (zł)", "Tytuł"]);
    expect(rows.slice(1).map((r) => r[3])).toEqual(["3456,00", "3456,00", "3456,00"]);
    expect(rows[2][2]).toBe("27 1140 2004 0000 3002 0135 5387");
  });

  it("refused with a clear list when any assistant lacks a valid account; no account of the centre: what to set", () => {
    const bad = [
      ...payees,
      { ...payees[0], assistantId: "p-x", assistantName: "Bez Rachunku", bankAccount: undefined },
      { ...payees[0], assistantId: "p-y", assistantName: "Zła Suma", bankAccount: "PL61109010140000071219812875" },
    ];
    const refusal = (() => {
      try {
        transfersOf(header, bad, day, settings);
      } catch (e) {
        return e as PaymentFileRefusedError;
      }
    })()!;
    expect(refusal.code).toBe("PAYMENT_FILE_REFUSED");
    expect(refusal.messages.pl).toMatch(/Plik przelewów nie powstał.*2 asystentów.*Bez Rachunku: brak numeru rachunku.*Zła Suma: numer rachunku „PL61109010140000071219812875” jest niepoprawny \(suma kontrolna/);
    expect(refusal.messages.en).toMatch(/Zła Suma: the account number "PL61109010140000071219812875" is invalid \(the account number's checksum/);
    expect(() => transfersOf(header, payees, day, undefined)).toThrow(/payer's name and account/);
  });
});
