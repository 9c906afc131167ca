import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import { batchLineOf, paymentLines, totalsOf, type BatchReportLine } from "../../functions/core/batch.js";
import { warsawInstant } from "../../functions/core/calendar.js";
import * as errors from "../../functions/core/errors.js";
import { REPORTS_SHEET, SUMMARY_SHEET, writeBatchCsv, writeBatchXlsx, writeBillPdf, type BatchHeader, type BatchLine, type ReportRow } from "../../functions/core/exports/index.js";
import { amountGrosze, formatHours } from "../../functions/core/money.js";
import { type Programme, seedProgramme } from "../../functions/core/programme.js";
import { addSignature, addVisit, approve, contentHash, newReport, type Report, submit } from "../../functions/core/report.js";

const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

/** Kraków with a rate change on 16 November: 96,00 zł before, 100,00 zł from that day. */
function krakowWithRateChange(): Programme {
  const programme = structuredClone(seedProgramme("krakow-aou")!);
  programme.rates = [
    { from: "2025-09-01", to: "2026-11-15", rateGrosze: 9600 },
    { from: "2026-11-16", to: "2027-12-31", rateGrosze: 10_000 },
  ];
  return programme;
}
const wroclaw = (): Programme => structuredClone(seedProgramme("wroclaw-ao")!);

/** Visits of at most two hours, from the 2nd of the month on working afternoons, adding up to `minutes` per day list. */
function withVisits(report: Report, programme: Programme, days: string[], minutesEach: number): Report {
  let next = report;
  for (const date of days) {
    const start = warsawInstant(date, "15:00");
    const end = new Date(Date.parse(start) + minutesEach * 60_000).toISOString();
    next = addVisit(next, { id: `v-${date}`, date, start, end, scopeIds: [programme.scopeCategories[0].id], mode: "in_person" }, { programme, otherVisits: [], now: "2030-01-01T00:00:00.000Z" });
  }
  return next;
}

function draftFor(programme: Programme, beneficiaryCode = "KR-AOU-001", assistantId = "p-anna-nowak"): Report {
  return newReport({ programmeId: programme.id, month: "2026-11", assistantId, beneficiaryCode });
}

function signed(report: Report, programme: Programme): Report {
  const hash = contentHash(report);
  const base = { signedAt: "2026-11-30T16:00:00.000Z", evidence: "drawn" as const, imageDataUrl: PNG, contentHash: hash };
  return addSignature(addSignature(report, { role: "beneficiary", signer: "A.K.", ...base }, programme), { role: "assistant", signer: "Anna Nowak", ...base }, programme);
}

function approved(report: Report, programme: Programme): Report {
  const submitted = submit(signed(report, programme), { programme, otherVisits: [], order: { orderedMinutes: 100 * 60 } }, "2026-12-01T10:00:00.000Z");
  return approve(submitted, { by: "p-approver", version: submitted.version, contentHash: contentHash(submitted) }, "2026-12-02T10:00:00.000Z");
}

const firstHalf = ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"];
const secondHalf = ["2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-23"];

/** 10 h at 96,00 zł before the change and 10 h at 100,00 zł after it. */
const straddling = (programme = krakowWithRateChange()) => withVisits(withVisits(draftFor(programme), programme, firstHalf, 120), programme, secondHalf, 120);

describe("money frozen at approval", () => {
  it("prices a month that straddles a rate change as one line per rate: 960,00 + 1 000,00 zł", () => {
    const report = straddling();
    expect(report.pricing).toEqual([
      { rateGrosze: 9600, minutes: 600, amountGrosze: 96_000 },
      { rateGrosze: 10_000, minutes: 600, amountGrosze: 100_000 },
    ]);
  });

  it("binds the priced lines into the content hash the signatures and approval link carry", () => {
    const report = straddling();
    expect(contentHash({ ...report, pricing: [{ rateGrosze: 9600, minutes: 1200, amountGrosze: 192_000 }] })).not.toBe(contentHash(report));
  });

  it("refuses a submission whose rates changed after signing, asking to sign again (in Polish and English)", () => {
    const programme = krakowWithRateChange();
    const report = signed(straddling(programme), programme);
    programme.rates[1].rateGrosze = 10_400;
    const error = (() => {
      try {
        submit(report, { programme, otherVisits: [], order: { orderedMinutes: 100 * 60 } }, "2026-12-01T10:00:00.000Z");
      } catch (e) {
        return e as errors.DomainError;
      }
    })();
    expect(error).toBeInstanceOf(errors.DomainError);
    expect(error?.code).toBe("PRICING_CHANGED");
    expect(error?.messages.pl).toMatch(/stawk/i);
    expect(error?.messages.en).toMatch(/rate/i);
  });

  it("pays the approved lines when the programme's rate is edited after approval", () => {
    const programme = krakowWithRateChange();
    const report = approved(straddling(programme), programme);
    programme.rates[0].rateGrosze = 12_000;
    programme.rates[1].rateGrosze = 15_000;
    const line = batchLineOf(report, programme, "b1");
    expect(line).toMatchObject({ minutes: 1200, amountGrosze: 196_000 });
    expect(line.rateLines).toEqual(report.pricing);
  });

  it("prices a report stored before pricing was frozen once, from the rates valid on its visit dates, keeping its old hash", () => {
    const programme = krakowWithRateChange();
    const { pricing: _, ...legacy } = approved(straddling(programme), programme);
    const line = batchLineOf(legacy as Report, programme, "b1");
    expect(line.rateLines.map((l) => l.amountGrosze)).toEqual([96_000, 100_000]);
    expect(line.contentHash).toBe(contentHash(legacy as Report));
  });
});

// ——— the files finance checks ———

type Case = { name: string; reports: () => Report[]; expectedRows: [string, number, number][] };

const cases: Case[] = [
  {
    name: "rate change mid-month: 10 h × 96,00 + 10 h × 100,00",
    reports: () => {
      const programme = krakowWithRateChange();
      return [approved(straddling(programme), programme)];
    },
    expectedRows: [
      ["10:00", 9600, 96_000],
      ["10:00", 10_000, 100_000],
    ],
  },
  {
    name: "Wrocław: 8 h 45 min × 52,00 zł = 455,00 zł",
    reports: () => {
      const programme = wroclaw();
      return [approved(withVisits(draftFor(programme, "WR-AO-001"), programme, ["2026-11-02", "2026-11-03", "2026-11-04"], 175), programme)];
    },
    expectedRows: [["8:45", 5200, 45_500]],
  },
  {
    name: "Wrocław: three reports of 2 h 55 min × 52,00 zł = 151,67 zł each (not one row of 8:45 for 455,01 zł)",
    reports: () => {
      const programme = wroclaw();
      return ["WR-AO-001", "WR-AO-002", "WR-AO-003"].map((code, i) => approved(withVisits(draftFor(programme, code), programme, [`2026-11-0${2 + i}`], 175), programme));
    },
    expectedRows: [
      ["2:55", 5200, 15_167],
      ["2:55", 5200, 15_167],
      ["2:55", 5200, 15_167],
    ],
  },
];

function header(lines: BatchReportLine[], programme: Programme): BatchHeader {
  return { batchId: "b1", programmeId: programme.id, programmeName: programme.name.pl, month: "2026-11", kind: "main", createdAt: "2026-12-10T09:00:00.000Z", totals: totalsOf(lines) };
}

async function batchOf(reports: Report[]): Promise<{ header: BatchHeader; lines: BatchLine[]; rows: ReportRow[] }> {
  const programme = seedProgramme(reports[0].programmeId)!;
  const reportLines = reports.map((r) => batchLineOf(r, programme, "b1"));
  async function* source() {
    yield* reportLines;
  }
  const lines: BatchLine[] = [];
  for await (const l of paymentLines(source(), "2026-11", async () => ({ name: "Anna Nowak", contractNumber: "AO/1/2026", bankAccount: "61109010140000071219812874" }))) lines.push(l);
  const rows: ReportRow[] = reportLines.map((l) => ({
    reportId: l.reportId,
    version: l.version,
    assistantName: "Anna Nowak",
    beneficiaryCode: l.beneficiaryCode,
    month: "2026-11",
    totalMinutes: l.minutes,
    amountGrosze: l.amountGrosze,
    rateLines: l.rateLines,
    contentHash: l.contentHash,
    approvedBy: "Ewa Żak",
    approvedAt: l.approvedAt,
  }));
  return { header: header(reportLines, programme), lines, rows };
}

async function bytesOf(write: (out: PassThrough) => Promise<unknown>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  await write(out);
  return Buffer.concat(chunks);
}

const grosze = (zloty: string) => Math.round(Number(zloty.replace(/\s|\u00a0|zł/g, "").replace(",", ".")) * 100);
const clockMinutes = (hhmm: string) => +hhmm.split(":")[0] * 60 + +hhmm.split(":")[1];

const work = mkdtempSync(join(tmpdir(), "frozen-money-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// LibreOffice keeps the cached value of an XLSX formula unless told to recalculate on load (OOXMLRecalcMode 0 = always).
const RECALCULATE_ON_LOAD = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`;

/** The sheets as LibreOffice shows them after recalculating every formula (en-US: "1,920.00"). */
function recalculated(xlsx: Buffer, name: string): Record<string, string[][]> {
  mkdirSync(join(work, "lo", "user"), { recursive: true });
  writeFileSync(join(work, "lo", "user", "registrymodifications.xcu"), RECALCULATE_ON_LOAD);
  const path = join(work, `${name}.xlsx`);
  writeFileSync(path, xlsx);
  const filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1";
  execFileSync("soffice", [`-env:UserInstallation=file://${work}/lo`, "--headless", "--convert-to", filter, "--outdir", work, path], { stdio: "ignore", timeout: 120_000 });
  const sheet = (title: string) => parse(readFileSync(join(work, `${name}-${title}.csv`), "utf8"), { relaxColumnCount: true }) as string[][];
  return { [SUMMARY_SHEET]: sheet(SUMMARY_SHEET), [REPORTS_SHEET]: sheet(REPORTS_SHEET) };
}
const sheetGrosze = (value: string) => Math.round(Number(value.replace(/,/g, "")) * 100);

/** The data rows and the totals row of a recalculated sheet, by column heading. */
function table(sheet: string[][]) {
  const columns = sheet.find((r) => r.includes("Minuty"))!;
  const data = sheet.slice(sheet.indexOf(columns) + 1).filter((r) => r[0] && r[0] !== "RAZEM");
  const total = sheet.find((r) => r[0] === "RAZEM")!;
  return { data, total, at: (heading: string) => columns.indexOf(heading) };
}

describe("payment files: rate × hours = amount on every row", () => {
  it.each(cases)("CSV rows of $name", async ({ reports, expectedRows }) => {
    const { header, lines } = await batchOf(reports());
    const csv = await bytesOf((out) => writeBatchCsv(header, lines, out));
    const [columns, ...records] = parse(csv.toString("utf8").replace(/^\ufeff/, ""), { delimiter: ";", relaxColumnCount: true }) as string[][];
    const at = (name: string) => columns.indexOf(name);
    const data = records.filter((r) => r[0] !== "RAZEM");
    expect(data.map((r) => [r[at("Godziny (GG:MM)")], grosze(r[at("Stawka (zł)")]), grosze(r[at("Kwota brutto (zł)")])])).toEqual(expectedRows);
    for (const r of data) expect(amountGrosze(clockMinutes(r[at("Godziny (GG:MM)")]), grosze(r[at("Stawka (zł)")]))).toBe(grosze(r[at("Kwota brutto (zł)")]));
    const total = records.find((r) => r[0] === "RAZEM")!;
    expect(grosze(total[at("Kwota brutto (zł)")])).toBe(header.totals.grosze);
  });

  it.each(cases)("bill rows of $name", async ({ reports, expectedRows }) => {
    const { header, lines } = await batchOf(reports());
    const pdf = await bytesOf((out) => writeBillPdf(lines[0], header, out));
    const path = join(work, "bill.pdf");
    writeFileSync(path, pdf);
    const text = execFileSync("pdftotext", ["-layout", path, "-"]).toString("utf8");
    const rows = [...text.matchAll(/(\d+:\d\d)\s+\d+,\d\d\s+([\d\s\u00a0]+,\d\d)\s*zł\s+([\d\s\u00a0]+,\d\d)\s*zł/g)].map((m) => [m[1], grosze(m[2]), grosze(m[3])]);
    expect(rows).toEqual(expectedRows);
    for (const [hours, rate, amount] of rows as [string, number, number][]) expect(amountGrosze(clockMinutes(hours), rate)).toBe(amount);
  });

  it.each(cases)("XLSX rows of $name, recalculated by LibreOffice", async ({ name, reports, expectedRows }) => {
    const { header, lines, rows } = await batchOf(reports());
    const sheets = recalculated(await bytesOf((out) => writeBatchXlsx(header, lines, rows, out)), name.replace(/\W+/g, "-"));
    for (const sheet of [SUMMARY_SHEET, REPORTS_SHEET]) {
      const { data, total, at } = table(sheets[sheet]);
      const found = data.map((r) => [formatHours(Number(r[at("Minuty")])).replace(/^0(?=\d:)/, ""), sheetGrosze(r[at("Stawka (zł)")]), sheetGrosze(r[at("Kwota brutto (zł)")])]);
      expect(found, sheet).toEqual(expectedRows);
      expect(sheetGrosze(total[at("Kwota brutto (zł)")]), sheet).toBe(header.totals.grosze);
    }
  });

  it("keeps the XLSX hours total at 78,75 on recalculation, as stored and as the CSV says", async () => {
    const programme = wroclaw();
    // three reports of 2 h 55 min (2,9167 h each: 2,92 when rounded per row) and one of 70 h
    const small = ["WR-AO-001", "WR-AO-002", "WR-AO-003"].map((code, i) =>
      approved(withVisits(draftFor(programme, code), programme, [`2026-11-0${2 + i}`], 175), programme),
    );
    const days = Array.from({ length: 28 }, (_, i) => `2026-11-${String(i + 1).padStart(2, "0")}`).slice(0, 28);
    const big = approved(withVisits(draftFor(programme, "WR-AO-004", "p-bartosz"), programme, days, 150), programme);
    const { header, lines, rows } = await batchOf([...small, big]);
    expect(header.totals.minutes).toBe(4725);
    const sheets = recalculated(await bytesOf((out) => writeBatchXlsx(header, lines, rows, out)), "hours-total");
    for (const sheet of [SUMMARY_SHEET, REPORTS_SHEET]) {
      const { total, at } = table(sheets[sheet]);
      expect(total[at("Godziny (dziesiętnie)")], sheet).toBe("78.75");
      expect(Number(total[at("Minuty")]), sheet).toBe(4725);
      expect(sheetGrosze(total[at("Kwota brutto (zł)")]), sheet).toBe(header.totals.grosze);
    }
  });
});
