import { assembleAll } from "../support/batch-policy.js";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import { seedProgramme } from "../../functions/core/programme.js";
import { addSignature, addVisit, approve, contentHash, newReport, submit, type Report } from "../../functions/core/report.js";
import { writeStoredBatchFiles } from "../../functions/adapters/batch-pages.js";
import { createPerson } from "../../functions/adapters/people.js";
import { createProgramme } from "../../functions/adapters/programmes.js";
import { createReport, saveReport, saveSubmission } from "../../functions/adapters/reports.js";
import { unzip } from "../fixtures/exports/batch.js";
import { startTestTable } from "../support/table.js";

const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const MONTH = "2026-11";
const programme = seedProgramme("krakow-aou")!;
// ids in the opposite order of the surnames: DynamoDB returns the lines by id
const ASSISTANTS = [
  ["p-a-zak", "Piotr Żak"],
  ["p-b-zawada", "Ola Zawada"],
  ["p-c-lukasik", "Ewa Łukasik"],
  ["p-d-lewandowski", "Adam Lewandowski"],
  ["p-e-cwik", "Jan Ćwik"],
] as const;
const BY_SURNAME = ["Jan Ćwik", "Adam Lewandowski", "Ewa Łukasik", "Ola Zawada", "Piotr Żak"];

let stop: () => Promise<void>;
let dir: string;

async function approvedReport(assistantId: string, beneficiaryCode: string, day: number): Promise<void> {
  let report: Report = newReport({ programmeId: programme.id, month: MONTH, assistantId, beneficiaryCode });
  const date = `2026-11-${String(day).padStart(2, "0")}`;
  report = addVisit(report, { id: `v-${beneficiaryCode}`, date, start: warsawInstant(date, "16:00"), end: warsawInstant(date, "17:30"), scopeIds: ["work"], mode: "in_person" }, { programme, otherVisits: [], now: "2030-01-01T00:00:00.000Z" });
  const hash = contentHash(report);
  for (const role of ["beneficiary", "assistant"] as const) {
    report = addSignature(report, { role, signer: role, signedAt: "2026-11-30T16:00:00.000Z", evidence: "drawn", imageDataUrl: PNG, contentHash: hash }, programme);
  }
  const stored = await createReport(report);
  const submitted = submit(stored.report, { programme, otherVisits: [], order: { orderedMinutes: 600 } }, "2026-12-01T10:00:00.000Z");
  const afterSubmit = await saveSubmission(submitted, stored.rev);
  await saveReport(approve(submitted, { by: "p-krakow-approver", version: 1, contentHash: contentHash(submitted) }, "2026-12-02T10:00:00.000Z"), afterSubmit.rev);
}

beforeAll(async () => {
  ({ stop } = await startTestTable());
  dir = await mkdtemp(join(tmpdir(), "batch-order-"));
  await createProgramme(programme);
  await createPerson({ id: "p-krakow-approver", email: "approver@mops.example.pl", name: "Ewa Zatwierdzająca", roles: [{ programmeId: programme.id, role: "approver" }] });
  for (const [i, [id, name]] of ASSISTANTS.entries()) {
    await createPerson({ id, email: `${id}@example.pl`, name, roles: [{ programmeId: programme.id, role: "assistant" }], contractNumber: `AOU/${i + 1}/2026`, bankAccount: "61109010140000071219812874" });
    for (let b = 0; b < 2; b++) await approvedReport(id, `KR-AOU-${i + 1}${b + 1}`, 2 + i * 2 + b);
  }
});

afterAll(async () => {
  await stop();
  await rm(dir, { recursive: true, force: true });
});

describe("batch files in surname order", () => {
  it("lists assistants by surname (Polish collation) in the CSV, the XLSX and the bills and cards of the ZIP", async () => {
    const batch = (await assembleAll(programme, MONTH, "2026-12-10T09:00:00.000Z"))!;
    const { files } = await writeStoredBatchFiles(batch, programme, dir);
    const [csv, xlsx, zip] = files;
    const distinct = (names: string[]) => names.filter((n, i) => n !== names[i - 1]);

    const records: string[][] = parse(await readFile(csv.path), { delimiter: ";", bom: true });
    const at = records[0].indexOf("Asystent");
    expect(distinct(records.slice(1, -1).map((r) => r[at]))).toEqual(BY_SURNAME);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(xlsx.path)) as unknown as ArrayBuffer);
    for (const sheet of workbook.worksheets) {
      const heading = sheet.getRow(4).values as unknown[];
      const column = heading.indexOf("Asystent");
      const names: string[] = [];
      sheet.eachRow((row, r) => {
        if (r > 4 && row.getCell(1).value !== "RAZEM") names.push(String(row.getCell(column).value));
      });
      expect(distinct(names), sheet.name).toEqual(BY_SURNAME);
    }

    // readable numbers follow the same order: Ćwik is the first assistant, Żak the fifth
    const number = records[0].indexOf("Nr sprawozdania");
    expect(records.slice(1, -1).map((r) => [r[at], r[number]]).filter(([n]) => n === "Jan Ćwik" || n === "Piotr Żak")).toEqual([
      ["Jan Ćwik", "KRK-AOU/2026-11/P1/001/1"],
      ["Jan Ćwik", "KRK-AOU/2026-11/P1/001/2"],
      ["Piotr Żak", "KRK-AOU/2026-11/P1/005/1"],
      ["Piotr Żak", "KRK-AOU/2026-11/P1/005/2"],
    ]);

    const entries = [...unzip(await readFile(zip.path)).keys()];
    expect(entries.filter((n) => n.startsWith("rachunki/"))).toEqual([
      "rachunki/000001-jan-cwik.pdf",
      "rachunki/000002-adam-lewandowski.pdf",
      "rachunki/000003-ewa-lukasik.pdf",
      "rachunki/000004-ola-zawada.pdf",
      "rachunki/000005-piotr-zak.pdf",
    ]);
    const cards = entries.filter((n) => n.startsWith("sprawozdania/"));
    expect(cards).toHaveLength(10);
    expect(cards[0]).toBe("sprawozdania/000001-krk-aou-2026-11-p1-001-1-v1.pdf");
    expect(cards[9]).toBe("sprawozdania/000010-krk-aou-2026-11-p1-005-2-v1.pdf");
  });
});
