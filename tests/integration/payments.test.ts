import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseCsv } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { isValidIBAN } from "ibantools";
import { warsawInstant } from "../../functions/core/calendar.js";
import { auditEventsOfBatch } from "../../functions/adapters/audit-events.js";
import { payBatch } from "../support/pay-batch.js";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { apiClient } from "./api-helpers.js";

/**
 * Issue 17 over HTTP: a paid batch from gross to the bank — finance reads the net estimate per
 * assistant from the contracts' declarations and downloads the Elixir-O transfer file, its CSV
 * variant and the payroll export, each read back by a reader Karta did not write; amounts equal
 * the batch's to the grosz; nobody else gets them.
 */
const startAt = new Date(warsawInstant("2026-11-20", "10:00"));
const PROGRAMME = "krakow-aou";
const MONTH = "2026-11";
const people = {
  anna: "anna.nowak@asystent.example.pl",
  piotr: "piotr.kowalski@asystent.example.pl",
  approver: "zatwierdzajacy@mops-krakow.example.pl",
  finance: "ksiegowosc@mops-krakow.example.pl",
  coordinator: "koordynator@mops-krakow.example.pl",
  financeOther: "ksiegowosc@mops-wroclaw.example.pl",
};

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
const cookie: Record<keyof typeof people, string> = {} as never;
let batchId = "";

beforeAll(async () => {
  stack = await startTestStack({ startAt });
  api = apiClient(stack);
  for (const [who, email] of Object.entries(people)) cookie[who as keyof typeof people] = await api.signIn(email);
});
afterAll(async () => stack?.dispose());

async function approvedReport(who: string, beneficiaryCode: string, visits: ReturnType<typeof api.visit>[]) {
  const id = await api.draftSigned(who, PROGRAMME, MONTH, beneficiaryCode, visits, startAt.toISOString());
  expect((await api.call(who, "POST", `/api/reports/${id}/submit`)).status).toBe(200);
  await stack.sfn.idle();
  const pending = await api.call(cookie.approver, "GET", `/api/approvals?month=${MONTH}`);
  const { approvalId } = pending.json.pending.find((p: { report: { id: string } }) => p.report.id === id);
  expect((await api.call(cookie.approver, "POST", `/api/approvals/${approvalId}/decision`, { outcome: "approve" })).status).toBe(200);
  await stack.sfn.idle();
}

async function file(who: string, path: string) {
  const res = await stack.request(path, { headers: { cookie: who } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe("from gross to the bank", () => {
  it("shows finance the net estimate of each assistant from the contract's declarations, totals equal to the batch", async () => {
    await approvedReport(cookie.anna, "KR-AOU-001", [api.visit("2026-11-03", "08:00", "11:00"), api.visit("2026-11-04", "08:00", "11:00")]);
    await approvedReport(cookie.piotr, "KR-AOU-007", [api.visit("2026-11-05", "08:00", "10:00")]);
    batchId = (await payBatch(stack, PROGRAMME, MONTH)).batchId!;

    const summary = await api.call(cookie.finance, "GET", `/api/batches/${batchId}/payroll?day=2026-12-10`);
    expect(summary.status, summary.text).toBe(200);
    expect(summary.json).toMatchObject({ batchId, on: "2026-12-10", estimate: true, transferAmount: "net", problems: { payroll: [], transfers: [] } });
    // in the payment files' order: by surname
    expect(summary.json.payees.map((p: { assistantName: string; grossGrosze: number }) => [p.assistantName, p.grossGrosze])).toEqual([
      ["Piotr Kowalski", 192_00],
      ["Anna Nowak", 576_00],
    ]);
    const { rows, totals } = summary.json.payroll;
    expect(totals.grossGrosze).toBe(768_00);
    expect(rows.reduce((s: number, r: { netGrosze: number }) => s + r.netGrosze, 0)).toBe(totals.netGrosze);
    // PIT-2 on the demo contracts: the 300 zł reduction covers the advance of these small bills
    for (const r of rows) expect(r).toMatchObject({ basis: "contributions", advanceGrosze: 0 });
    // The finance e-mail links the page with the estimate and the files.
    const [mail] = (await stack.inbox()).filter((m) => m.destination.to.includes("ksiegowosc.krakow@mops.example.pl"));
    expect(mail.body.text).toContain(`/batches/${batchId}/payroll`);
  });

  it("downloads the Elixir-O transfers: one per assistant, the net in grosze, checksummed accounts, audited", async () => {
    const summary = (await api.call(cookie.finance, "GET", `/api/batches/${batchId}/payroll?day=2026-12-10`)).json;
    const res = await file(cookie.finance, `/api/batches/${batchId}/payments/transfers.pli?day=2026-12-10`);
    expect(res.status, res.bytes.toString()).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=windows-1250");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="przelewy-krakow-aou-2026-11-p01.pli"');
    const records = parseCsv(new TextDecoder("windows-1250").decode(res.bytes)) as string[][];
    expect(records).toHaveLength(2);
    expect(records.map((r) => Number(r[2]))).toEqual(summary.payroll.rows.map((r: { netGrosze: number }) => r.netGrosze));
    for (const r of records) {
      expect(r.slice(0, 2)).toEqual(["110", "20261210"]);
      expect(isValidIBAN(`PL${r[6]}`)).toBe(true);
      expect(r[11]).toMatch(/^Rachunek .+ za 11\.2026$/);
    }
    const events = await auditEventsOfBatch(batchId);
    expect(events.filter((e) => e.type === "batch.payment_file_generated").map((e) => e.name)).toContain("przelewy-krakow-aou-2026-11-p01.pli");

    const csv = await file(cookie.finance, `/api/batches/${batchId}/payments/transfers.csv?day=2026-12-10`);
    const lines = parseCsv(csv.bytes, { delimiter: ";", bom: true }) as string[][];
    expect(lines.slice(1).map((l) => Math.round(Number(l[3].replace(",", ".")) * 100))).toEqual(records.map((r) => Number(r[2])));
  });

  it("downloads the payroll export as CSV and XLSX with totals equal to the batch's", async () => {
    const csv = await file(cookie.finance, `/api/batches/${batchId}/payments/payroll.csv`);
    expect(csv.status).toBe(200);
    const rows = parseCsv(csv.bytes, { delimiter: ";", bom: true, relax_column_count: true }) as string[][];
    expect(rows[0][0]).toMatch(/^SZACUNEK/);
    expect(rows.at(-1)![0]).toBe("RAZEM");
    expect(rows.at(-1)![rows[1].indexOf("Brutto (zł)")]).toBe("768,00");
    const xlsx = await file(cookie.finance, `/api/batches/${batchId}/payments/payroll.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("Płace")!;
    expect(sheet.getCell("E6").value).toMatchObject({ formula: "SUM(E4:E5)", result: 768 });
  });

  it("gives the files to finance and admins of the batch's programme only; an unknown file is 404", async () => {
    expect((await file(cookie.coordinator, `/api/batches/${batchId}/payments/payroll.csv`)).status).toBe(403);
    expect((await file(cookie.financeOther, `/api/batches/${batchId}/payments/payroll.csv`)).status).toBe(403);
    expect((await file(cookie.anna, `/api/batches/${batchId}/payroll`)).status).toBe(403);
    expect((await file(cookie.finance, `/api/batches/${batchId}/payments/other.txt`)).status).toBe(404);
    expect((await file(cookie.finance, `/api/batches/${batchId}/payroll?day=2026-13-01`)).status).toBe(400);
  });
});
