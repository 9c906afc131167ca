import { rmSync } from "node:fs";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { batchHeader, newBatch, paymentLines, batchLineOf } from "../../functions/core/batch.js";
import { demoData } from "../../functions/core/demo-data.js";
import { parseProgramme, seedProgramme } from "../../functions/core/programme.js";
import { newReport, type Report } from "../../functions/core/report.js";
import { writeBatchCsv, writeBatchXlsx, writeBillPdf, type BatchLine } from "../../functions/core/exports/index.js";
import { krakowBatch } from "../fixtures/exports/batch.js";
import { bytesOf, overlappingWords, pdfTextOf, pdfWordBoxes, workDir } from "../support/read-back.js";

const dir = workDir("bill-signing-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const accounting = {
  costCentre: "DD-AOU-01",
  budgetClassification: { section: "852", chapter: "85295", paragraph: "4170" },
  projectCode: "FEDS.07.05-IP.02-0001/24",
};

function approvedReport(code: string, day: number, by = "p-krakow-approver"): Report {
  const date = `2026-12-${String(day).padStart(2, "0")}`;
  const visit = { id: `v${day}`, date, start: `${date}T14:00:00.000Z`, end: `${date}T15:00:00.000Z`, scopeIds: ["t05-job-activation"], mode: "in_person" as const };
  return { ...newReport({ programmeId: "krakow-aou", month: "2026-12", assistantId: "p-anna", beneficiaryCode: code }), visits: [visit], status: "approved", decidedAt: `2027-01-0${day % 2 ? 7 : 8}T10:1${day % 10}:00.000Z`, decidedBy: by };
}

/** One assistant with `reports` reports approved in Karta by Ewa Żak (the last one by her deputy), as the producer builds it. */
async function billOf(reports: number) {
  const programme = { ...structuredClone(seedProgramme("krakow-aou")!), ...accounting };
  const reportLines = Array.from({ length: reports }, (_, i) => batchLineOf(approvedReport(`KR-AOU-${i + 1}`, 1 + (i % 28), i === reports - 1 ? "p-krakow-deputy" : "p-krakow-approver"), programme, "krakow-aou-2026-12-p01"));
  async function* source() {
    yield* reportLines;
  }
  const lines: BatchLine[] = [];
  const approvers: Record<string, string> = { "p-krakow-approver": "Ewa Żak", "p-krakow-deputy": "Jan Zastępca" };
  for await (const l of paymentLines(source(), "2026-12", async () => ({ name: "Anna Nowak", contractNumber: "AOU/1/2026" }), async (id) => approvers[id])) lines.push(l);
  const batch = { ...newBatch("krakow-aou", "2026-12", 1, "2027-01-15T09:00:00.000Z"), totals: { reports, minutes: reports * 60, grosze: reports * 9600 } };
  return { header: batchHeader(batch, programme), line: lines[0] };
}

describe("programme accounting settings", () => {
  it("accepts a cost centre, a budget classification and a project code, and refuses a malformed classification", () => {
    const base = structuredClone(seedProgramme("krakow-aou")!);
    expect(parseProgramme({ ...base, ...accounting })).toMatchObject(accounting);
    expect(() => parseProgramme({ ...base, budgetClassification: { section: "85", chapter: "85295", paragraph: "4170" } })).toThrow();
  });

  it("gives the Kraków demo programme example values", () => {
    const krakow = demoData("2026-11").programmes.find((p) => p.id === "krakow-aou")!;
    expect(krakow.costCentre).toBeTruthy();
    expect(krakow.budgetClassification).toMatchObject({ section: expect.stringMatching(/^\d{3}$/), chapter: expect.stringMatching(/^\d{5}$/), paragraph: expect.stringMatching(/^\d{4}$/) });
  });
});

describe("bill signing lines", () => {
  it("prints the three checks Polish public finance signs, with Karta's electronic approval, and the accounting settings", async () => {
    const { header, line } = await billOf(6);
    const text = pdfTextOf(dir, "bill-6", await bytesOf((out) => writeBillPdf(line, header, out))).replace(/\s+/g, " ");
    expect(text).toContain("Sprawdzono pod względem merytorycznym");
    expect(text).toContain("Sprawdzono pod względem formalnym i rachunkowym");
    expect(text).toContain("Zatwierdzono do wypłaty");
    // the electronic approval of the reports, from the batch lines: who and when (Warsaw time)
    expect(text).toMatch(/Ewa Żak[^]*2027-01-0[78] 11:1\d/);
    expect(text).toContain("Jan Zastępca");
    expect(text.match(/data/g)!.length).toBeGreaterThanOrEqual(4);
    expect(text.match(/podpis/g)!.length).toBeGreaterThanOrEqual(4);
    expect(text).toContain("DD-AOU-01");
    expect(text).toContain("dział 852, rozdział 85295, § 4170");
    expect(text).toContain("FEDS.07.05-IP.02-0001/24");
  });

  it.each([6, 30])("prints no word over another on a bill of %i reports with the signing lines", async (reports) => {
    const { header, line } = await billOf(reports);
    const words = pdfWordBoxes(dir, `bill-sign-${reports}`, await bytesOf((out) => writeBillPdf(line, header, out)));
    expect(overlappingWords(words).map(([a, b]) => `${a.text} × ${b.text}`)).toEqual([]);
  });

  it("puts the accounting settings on every row of the CSV and the XLSX payment sheet", async () => {
    const { header, lines, cards } = krakowBatch({ assistants: 2, beneficiaries: 2 });
    const withAccounting = { ...header, ...accounting };
    const csv: string[][] = parse(await bytesOf((out) => writeBatchCsv(withAccounting, lines, out)), { delimiter: ";", bom: true });
    const at = (h: string) => csv[0].indexOf(h);
    for (const row of csv.slice(1, -1)) {
      expect([row[at("MPK")], row[at("Klasyfikacja budżetowa")], row[at("Kod projektu")]]).toEqual(["DD-AOU-01", "852-85295-4170", "FEDS.07.05-IP.02-0001/24"]);
    }
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await bytesOf((out) => writeBatchXlsx(withAccounting, lines, cards, out))) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const heading = sheet.getRow(4).values as unknown[];
    const values: unknown[][] = [];
    sheet.eachRow((row, r) => {
      if (r > 4 && row.getCell(1).value !== "RAZEM") values.push(["MPK", "Klasyfikacja budżetowa", "Kod projektu"].map((h) => row.getCell(heading.indexOf(h)).value));
    });
    expect(values).toEqual(Array(4).fill(["DD-AOU-01", "852-85295-4170", "FEDS.07.05-IP.02-0001/24"]));
  });
});
