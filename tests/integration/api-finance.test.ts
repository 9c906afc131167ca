import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseCsv } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { warsawInstant } from "../../functions/core/calendar.js";
import { payBatch } from "../support/pay-batch.js";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { unzip } from "../fixtures/exports/batch.js";
import { apiClient } from "./api-helpers.js";
import { auditEventsOfBatch } from "../../functions/adapters/audit-events.js";
import { createBatchIfAbsent, getBatch } from "../../functions/adapters/batches.js";
import { downloadUrl } from "../../functions/adapters/object-store.js";

/**
 * Finance, coordinators and audits over HTTP: the batch list and its downloads (presigned URLs
 * of the files stored in S3 when the batch was e-mailed, checked against the e-mail and the
 * recorded SHA-256), the orders file import, and the overview.
 */
const startAt = new Date(warsawInstant("2026-11-20", "10:00"));
const PROGRAMME = "krakow-aou";
const MONTH = "2026-11";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const people = {
  anna: "anna.nowak@asystent.example.pl",
  coordinator: "koordynator@mops-krakow.example.pl",
  approver: "zatwierdzajacy@mops-krakow.example.pl",
  finance: "ksiegowosc@mops-krakow.example.pl",
  financeOther: "ksiegowosc@mops-wroclaw.example.pl",
  admin: "admin@mops-krakow.example.pl",
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

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const zloty = (text: string) => Math.round(Number(text.replace(/\s/g, "").replace(",", ".")) * 100);

async function fetchFile(who: string | undefined, path: string) {
  const res = await stack.request(path, { headers: who ? { cookie: who } : {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, json: res.headers.get("content-type")?.includes("json") ? JSON.parse(bytes.toString("utf8")) : undefined };
}

/** The route's 303 to a presigned URL of the local S3 emulation, followed as a browser would. */
async function download(who: string, path: string) {
  const handed = await stack.request(path, { headers: { cookie: who } });
  expect(handed.status, await handed.clone().text()).toBe(303);
  const location = handed.headers.get("location")!;
  expect(location.startsWith(`${stack.s3Endpoint}/`), location).toBe(true);
  expect(new URL(location).searchParams.get("X-Amz-Expires")).toBe("300");
  const file = await fetch(location);
  return { status: file.status, headers: file.headers, bytes: Buffer.from(await file.arrayBuffer()), sha256: handed.headers.get("x-karta-sha256") };
}

async function upload(who: string, month: string, body: string | Buffer, contentType: string) {
  const res = await stack.request(`/api/programmes/${PROGRAMME}/orders/import?month=${month}`, { method: "POST", headers: { cookie: who, "content-type": contentType }, body: typeof body === "string" ? body : new Uint8Array(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
}

/** Anna submits a report through the API and the approver approves it from the web app. */
async function approvedReport(beneficiaryCode: string, visits: ReturnType<typeof api.visit>[]) {
  const id = await api.draftSigned(cookie.anna, PROGRAMME, MONTH, beneficiaryCode, visits, startAt.toISOString());
  expect((await api.call(cookie.anna, "POST", `/api/reports/${id}/submit`)).status).toBe(200);
  await stack.sfn.idle();
  const pending = await api.call(cookie.approver, "GET", `/api/approvals?month=${MONTH}`);
  const { approvalId } = pending.json.pending.find((p: { report: { id: string } }) => p.report.id === id);
  const decided = await api.call(cookie.approver, "POST", `/api/approvals/${approvalId}/decision`, { outcome: "approve" });
  expect(decided.status, decided.text).toBe(200);
  await stack.sfn.idle();
  return id;
}

describe("payment batches for finance", () => {
  it("lists the month's batches with control totals and the files' hashes", async () => {
    await approvedReport("KR-AOU-001", [api.visit("2026-11-03", "08:00", "10:00"), api.visit("2026-11-04", "08:00", "09:30")]);
    await approvedReport("KR-AOU-002", [api.visit("2026-11-05", "08:00", "09:00")]);
    batchId = (await payBatch(stack, PROGRAMME, MONTH)).batchId!;

    const listed = await api.call(cookie.finance, "GET", `/api/programmes/${PROGRAMME}/batches?month=${MONTH}`);
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json.batches).toHaveLength(1);
    const [batch] = listed.json.batches;
    expect(batch).toMatchObject({ batchId, kind: "main", month: MONTH, status: "sent", totals: { reports: 2, minutes: 270, grosze: 43_200 } });
    expect(batch.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
    expect(batch.sentAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
    expect(Date.parse(batch.sentAt)).toBeGreaterThanOrEqual(Date.parse(batch.createdAt));
    expect(batch.files.map((f: { name: string }) => f.name.split(".").at(-1))).toEqual(["csv", "xlsx", "zip"]);
    for (const f of batch.files) expect(f).toMatchObject({ bytes: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    // Without ?month= the list covers this month and the five before: November's batch is in it.
    const recent = await api.call(cookie.coordinator, "GET", `/api/programmes/${PROGRAMME}/batches`);
    expect(recent.status).toBe(200);
    expect(recent.json.months[0]).toBe(MONTH);
    expect(recent.json.batches.map((b: { batchId: string }) => b.batchId)).toEqual([batchId]);
    expect((await api.call(cookie.admin, "GET", `/api/programmes/${PROGRAMME}/batches?month=2026-10`)).json.batches).toEqual([]);
  });

  it("downloads the stored CSV: Polish Excel columns, the e-mailed bytes, the recorded hash", async () => {
    const csv = await download(cookie.finance, `/api/batches/${batchId}/files/csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="karta-${batchId}.csv"`);
    const rows = parseCsv(csv.bytes, { delimiter: ";", bom: true, relax_column_count: true }) as string[][];
    const amount = rows[0].indexOf("Kwota brutto (zł)");
    // one row per report × rate on Anna's bill, in beneficiary-code order with readable numbers: 3:30 and 1:00 at 96,00 zł
    const number = rows[0].indexOf("Nr sprawozdania");
    expect(rows.slice(1, -1).map((r) => [r[0], r[number], r[amount]])).toEqual([
      ["Anna Nowak", expect.stringMatching(/^KRK-AOU\/2026-11\/P1\/\d{3}\/1$/), "336,00"],
      ["Anna Nowak", expect.stringMatching(/^KRK-AOU\/2026-11\/P1\/\d{3}\/2$/), "96,00"],
    ]);
    expect(rows.at(-1)![0]).toBe("RAZEM");
    expect(zloty(rows.at(-1)![amount])).toBe(43_200);

    const [mail] = (await stack.inbox()).filter((m) => m.destination.to.includes("ksiegowosc.krakow@mops.example.pl"));
    const attached = Buffer.from(mail.attachments.find((a) => a.filename?.endsWith(".csv"))!.content, "base64");
    expect(csv.bytes.equals(attached)).toBe(true);
    expect(csv.sha256).toBe(sha256(csv.bytes));
    // The web app links the file by its recorded name.
    const byName = await download(cookie.finance, `/api/batches/${batchId}/files/karta-${batchId}.csv`);
    expect(byName.bytes.equals(csv.bytes)).toBe(true);
  });

  it("downloads the ZIP of PDFs and the XLSX, byte for byte what was recorded and e-mailed", async () => {
    const { json } = await api.call(cookie.finance, "GET", `/api/programmes/${PROGRAMME}/batches?month=${MONTH}`);
    const recorded = json.batches[0].files as { name: string; sha256: string; key: string }[];
    const [mail] = (await stack.inbox()).filter((m) => m.destination.to.includes("ksiegowosc.krakow@mops.example.pl"));
    const zip = await download(cookie.admin, `/api/batches/${batchId}/files/zip`);
    expect(zip.status).toBe(200);
    expect(zip.headers.get("content-type")).toBe("application/zip");
    // Stored once: the download is the very file e-mailed, whatever the PDF writer's object order.
    expect(sha256(zip.bytes)).toBe(recorded.find((f) => f.name.endsWith(".zip"))!.sha256);
    expect(zip.bytes.equals(Buffer.from(mail.attachments.find((a) => a.filename?.endsWith(".zip"))!.content, "base64"))).toBe(true);
    expect([...unzip(zip.bytes).keys()].filter((n) => n.startsWith("sprawozdania/"))).toHaveLength(2);

    const xlsx = await download(cookie.finance, `/api/batches/${batchId}/files/xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get("content-type")).toBe(XLSX);
    expect(sha256(xlsx.bytes)).toBe(recorded.find((f) => f.name.endsWith(".xlsx"))!.sha256);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.length).toBeGreaterThanOrEqual(2);
    expect(recorded.map((f) => f.key)).toEqual(recorded.map((f) => `batches/${PROGRAMME}/${MONTH}/${batchId}/${f.name}`));
  });

  it("describes the URL as JSON when asked, and records who was handed which file with which hash", async () => {
    const before = (await auditEventsOfBatch(batchId)).length;
    const described = await api.call(cookie.finance, "GET", `/api/batches/${batchId}/files/csv`, undefined, { accept: "application/json" });
    expect(described.status, described.text).toBe(200);
    const { json } = await api.call(cookie.finance, "GET", `/api/programmes/${PROGRAMME}/batches?month=${MONTH}`);
    const csv = json.batches[0].files.find((f: { name: string }) => f.name.endsWith(".csv"));
    expect(described.json).toEqual({ url: expect.stringContaining(stack.s3Endpoint), expiresAt: expect.any(String), name: csv.name, bytes: csv.bytes, sha256: csv.sha256 });
    const expiresIn = Date.parse(described.json.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(200_000);
    expect(expiresIn).toBeLessThanOrEqual(300_000);

    const events = await auditEventsOfBatch(batchId);
    expect(events).toHaveLength(before + 1);
    // The virtual clock stands still here, so events of this test file share their instant.
    expect(events.find((e) => e.expiresAt === described.json.expiresAt)).toMatchObject({
      batchId,
      type: "batch.file_downloaded",
      actorId: "p-krakow-finance",
      name: csv.name,
      key: csv.key,
      sha256: csv.sha256,
      bytes: csv.bytes,
      expiresAt: described.json.expiresAt,
      at: stack.clock.now().toISOString(),
    });
  });

  it("refuses an expired URL (403 from S3)", async () => {
    const { json } = await api.call(cookie.finance, "GET", `/api/programmes/${PROGRAMME}/batches?month=${MONTH}`);
    const csv = json.batches[0].files.find((f: { name: string }) => f.name.endsWith(".csv"));
    const { url } = await downloadUrl({ ...csv, contentType: "text/csv; charset=utf-8" }, 1);
    expect((await fetch(url)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_100));
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain("Request has expired");
  });

  it("answers 409 in Polish and English for a batch e-mailed before files were stored", async () => {
    const legacy = { ...(await getBatch(batchId)), batchId: "krakow-aou-2026-09-p01", month: "2026-09" };
    legacy.files = legacy.files!.map(({ key: _key, versionId: _version, ...f }) => f);
    expect(await createBatchIfAbsent(legacy)).toBe(true);
    const pl = await api.call(cookie.finance, "GET", `/api/batches/${legacy.batchId}/files/csv`);
    expect([pl.status, pl.json.error.code]).toEqual([409, "BATCH_FILE_NOT_STORED"]);
    expect(pl.json.error.message).toContain("kopii z e-maila");
    const en = await api.call(cookie.finance, "GET", `/api/batches/${legacy.batchId}/files/csv?lang=en`);
    expect(en.json.error.message).toContain("Use the copy from the finance e-mail");
  });

  it("refuses assistants, approvers, coordinators and another programme's finance", async () => {
    for (const who of ["anna", "approver", "financeOther"] as const) {
      expect((await api.call(cookie[who], "GET", `/api/programmes/${PROGRAMME}/batches`)).status, who).toBe(403);
    }
    for (const who of ["anna", "approver", "coordinator", "financeOther"] as const) {
      const before = (await auditEventsOfBatch(batchId)).length;
      const res = await fetchFile(cookie[who], `/api/batches/${batchId}/files/csv`);
      expect(res.status, who).toBe(403);
      expect(res.json.error.code).toBe("FORBIDDEN");
      expect(res.headers.get("location"), who).toBeNull();
      expect((await auditEventsOfBatch(batchId)).length, who).toBe(before);
    }
    expect((await fetchFile(undefined, `/api/batches/${batchId}/files/csv`)).status).toBe(401);
    expect((await fetchFile(cookie.finance, `/api/batches/${batchId}/files/pdf`)).status).toBe(404);
    expect((await fetchFile(cookie.finance, `/api/batches/krakow-aou-2026-10-p01/files/csv`)).status).toBe(404);
  });
});

describe("importing an orders file over HTTP", () => {
  it("imports a CSV for the month, all rows", async () => {
    const csv = "\uFEFFe-mail asystenta;kod uczestnika;godziny\nanna.nowak@asystent.example.pl;KR-AOU-001;6\nanna.nowak@asystent.example.pl;KR-AOU-002;6,5\npiotr.kowalski@asystent.example.pl;KR-AOU-007;1:30\n";
    const imported = await upload(cookie.coordinator, "2026-12", csv, "text/csv; charset=utf-8");
    expect(imported.status, imported.text).toBe(200);
    expect(imported.json).toEqual({ programmeId: PROGRAMME, month: "2026-12", imported: 3 });
    const orders = await api.call(cookie.coordinator, "GET", `/api/programmes/${PROGRAMME}/orders?month=2026-12`);
    expect(orders.json.orders.map((o: { beneficiaryCode: string; orderedMinutes: number; issuedBy: string }) => [o.beneficiaryCode, o.orderedMinutes, o.issuedBy])).toEqual([
      ["KR-AOU-001", 360, "p-krakow-coordinator"],
      ["KR-AOU-002", 390, "p-krakow-coordinator"],
      ["KR-AOU-007", 90, "p-krakow-coordinator"],
    ]);
  });

  it("imports an XLSX body (sent base64-encoded as binary)", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Zlecenia");
    sheet.addRow(["E-mail asystenta", "Kod uczestnika", "Godziny"]);
    sheet.addRow(["maria.wisniewska@asystent.example.pl", "KR-AOU-013", 4]);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const imported = await upload(cookie.coordinator, "2027-01", bytes, XLSX);
    expect(imported.status, imported.text).toBe(200);
    expect(imported.json.imported).toBe(1);
  });

  it("refuses a malformed file as a whole with every row's error and writes nothing", async () => {
    const csv = [
      "e-mail asystenta;kod uczestnika;godziny",
      "tomasz.wojcik@asystent.example.pl;KR-AOU-019;6",
      "nikt@example.pl;KR-AOU-020;6",
      "tomasz.wojcik@asystent.example.pl;KR-AOU-021;abc",
      "anna.nowak@asystent.example.pl;KR-AOU-007;2",
    ].join("\n");
    const refused = await upload(cookie.coordinator, MONTH, csv, "text/csv");
    expect(refused.status, refused.text).toBe(400);
    expect(refused.json.error.code).toBe("ORDERS_IMPORT_FAILED");
    expect(refused.json.error.details.rows.map((r: { row: number }) => r.row)).toEqual([3, 4, 5]);
    expect(refused.json.error.message).toMatch(/wiersz 3: .*nikt@example\.pl/);
    expect(refused.json.error.message).toMatch(/wiersz 5: .*więcej niż 6 uczestników/);
    const english = await stack.request(`/api/programmes/${PROGRAMME}/orders/import?month=${MONTH}&lang=en`, { method: "POST", headers: { cookie: cookie.coordinator, "content-type": "text/csv" }, body: csv });
    expect((await english.json()).error.message).toContain("row 4: \"abc\" is not a valid number of hours");
    // Row 2 was valid, yet nothing of the file was written.
    const orders = await api.call(cookie.coordinator, "GET", `/api/programmes/${PROGRAMME}/orders?month=${MONTH}`);
    expect(orders.json.orders).toHaveLength(24);
    expect(orders.json.orders.find((o: { beneficiaryCode: string; assistantId: string }) => o.beneficiaryCode === "KR-AOU-007" && o.assistantId === "p-anna-nowak")).toBeUndefined();
  });

  it("asks for a CSV or XLSX body and the month, and lets only the programme's coordinator import", async () => {
    const csv = "e-mail asystenta;kod uczestnika;godziny\nanna.nowak@asystent.example.pl;KR-AOU-001;6\n";
    const json = await upload(cookie.coordinator, "2027-02", JSON.stringify({ csv }), "application/json");
    expect([json.status, json.json.error.code]).toEqual([400, "FILE_TYPE_EXPECTED"]);
    const noMonth = await stack.request(`/api/programmes/${PROGRAMME}/orders/import`, { method: "POST", headers: { cookie: cookie.coordinator, "content-type": "text/csv" }, body: csv });
    expect(noMonth.status).toBe(400);
    for (const who of ["anna", "approver", "finance", "admin"] as const) expect((await upload(cookie[who], "2027-02", csv, "text/csv")).status, who).toBe(403);
    expect((await api.call(cookie.coordinator, "GET", `/api/programmes/${PROGRAMME}/orders?month=2027-02`)).json.orders).toEqual([]);
  });
});

describe("the overview for audits", () => {
  it("shows minutes ordered, logged (any status) and approved per beneficiary and month", async () => {
    // A draft of 1 h next to the two approved reports of the batch test (3.5 h and 1 h).
    const draft = await api.call(cookie.anna, "POST", "/api/reports", { programmeId: PROGRAMME, month: MONTH, beneficiaryCode: "KR-AOU-003" });
    expect((await api.call(cookie.anna, "POST", `/api/reports/${draft.json.report.id}/visits`, api.visit("2026-11-06", "08:00", "09:00"))).status).toBe(201);

    const overview = await api.call(cookie.coordinator, "GET", `/api/programmes/${PROGRAMME}/overview?from=${MONTH}&to=2026-12`);
    expect(overview.status, overview.text).toBe(200);
    const row = (month: string, code: string) => overview.json.rows.find((r: { month: string; beneficiaryCode: string }) => r.month === month && r.beneficiaryCode === code);
    expect(row(MONTH, "KR-AOU-001")).toEqual({ month: MONTH, beneficiaryCode: "KR-AOU-001", orderedMinutes: 360, loggedMinutes: 210, approvedMinutes: 210 });
    expect(row(MONTH, "KR-AOU-002")).toMatchObject({ orderedMinutes: 360, loggedMinutes: 60, approvedMinutes: 60 });
    expect(row(MONTH, "KR-AOU-003")).toMatchObject({ orderedMinutes: 360, loggedMinutes: 60, approvedMinutes: 0 });
    expect(row(MONTH, "KR-AOU-024")).toMatchObject({ orderedMinutes: 360, loggedMinutes: 0, approvedMinutes: 0 });
    expect(row("2026-12", "KR-AOU-002")).toMatchObject({ orderedMinutes: 390, loggedMinutes: 0 });
    expect(overview.json.totals).toEqual([
      { month: MONTH, orderedMinutes: 24 * 360, loggedMinutes: 330, approvedMinutes: 270 },
      { month: "2026-12", orderedMinutes: 840, loggedMinutes: 0, approvedMinutes: 0 },
    ]);
    expect((await api.call(cookie.admin, "GET", `/api/programmes/${PROGRAMME}/overview?from=${MONTH}&to=${MONTH}`)).status).toBe(200);
  });

  it("refuses more than 12 months, a reversed range and other roles", async () => {
    const tooLong = await api.call(cookie.coordinator, "GET", `/api/programmes/${PROGRAMME}/overview?from=2025-11&to=2026-11&lang=en`);
    expect([tooLong.status, tooLong.json.error.code]).toEqual([400, "VALIDATION_FAILED"]);
    expect(tooLong.json.error.message).toContain("at most 12 months");
    expect((await api.call(cookie.coordinator, "GET", `/api/programmes/${PROGRAMME}/overview?from=2026-12&to=2026-11`)).status).toBe(400);
    for (const who of ["anna", "approver", "finance"] as const) {
      expect((await api.call(cookie[who], "GET", `/api/programmes/${PROGRAMME}/overview?from=${MONTH}&to=${MONTH}`)).status, who).toBe(403);
    }
  });
});
