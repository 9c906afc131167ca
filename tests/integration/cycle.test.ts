import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parse as parseCsv } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { PDFParse } from "pdf-parse";
import { startTestStack, type InboxEmail, type TestStack } from "../support/local-stack.js";
import { signaturePng, unzip } from "../fixtures/exports/batch.js";

/**
 * A whole month of krakow-aou (4 assistants × 6 beneficiaries × 6 h at 96 zł) on the local
 * stack with the virtual clock: reminders, close of intake, decisions, the main batch, a late
 * report in a supplementary batch, and every step run a second time by hand.
 */
const PROGRAMME = "krakow-aou";
const MONTH = "2026-11";
const EXECUTION = `cycle-${PROGRAMME}-${MONTH}`;
const SIGNATURE = `data:image/png;base64,${signaturePng(2).toString("base64")}`;
const assistants = {
  anna: { id: "p-anna-nowak", email: "anna.nowak@asystent.example.pl", first: 1 },
  piotr: { id: "p-piotr-kowalski", email: "piotr.kowalski@asystent.example.pl", first: 7 },
  maria: { id: "p-maria-wisniewska", email: "maria.wisniewska@asystent.example.pl", first: 13 },
  tomasz: { id: "p-tomasz-wojcik", email: "tomasz.wojcik@asystent.example.pl", first: 19 },
};
type Who = keyof typeof assistants;
const code = (who: Who, b: number) => `KR-AOU-${String(assistants[who].first + b).padStart(3, "0")}`;

let stack: TestStack;
let core: typeof import("../../functions/core/report.js");
let reports: typeof import("../../functions/adapters/reports.js");
let programmes: typeof import("../../functions/adapters/programmes.js");
let orders: typeof import("../../functions/adapters/service-orders.js");
let batches: typeof import("../../functions/adapters/batches.js");
let approvals: typeof import("../../functions/adapters/approvals.js");
let approvalCore: typeof import("../../functions/core/approval.js");

beforeAll(async () => {
  // 00:10 on the 1st, Warsaw: the stack seeds November and starts its cycles.
  stack = await startTestStack({ startAt: new Date("2026-10-31T23:10:00.000Z") });
  await stack.sfn.idle();
  core = await import("../../functions/core/report.js");
  reports = await import("../../functions/adapters/reports.js");
  programmes = await import("../../functions/adapters/programmes.js");
  orders = await import("../../functions/adapters/service-orders.js");
  batches = await import("../../functions/adapters/batches.js");
  approvals = await import("../../functions/adapters/approvals.js");
  approvalCore = await import("../../functions/core/approval.js");
});
afterAll(async () => {
  await stack?.dispose();
});

const now = () => stack.clock.now().toISOString();
async function moveTo(instant: string) {
  stack.clock.set(new Date(instant));
  await stack.sfn.idle();
}

/** A report with 6 one-hour visits (or `visits`), signed by both; submitted unless `draft`. */
async function report(who: Who, b: number, opts: { visits?: number; draft?: boolean } = {}) {
  const programme = await programmes.getProgramme(PROGRAMME);
  const assistantId = assistants[who].id;
  const beneficiaryCode = code(who, b);
  const id = core.reportId(PROGRAMME, MONTH, assistantId, beneficiaryCode);
  const stored = (await reports.findReport(id)) ?? (await reports.createReport(core.newReport({ programmeId: PROGRAMME, month: MONTH, assistantId, beneficiaryCode })));
  const others = core.visitsOfOtherReports((await reports.reportsByAssistantMonth(assistantId, MONTH)).map((r) => r.report), id);
  let draft = core.editable(stored.report);
  for (let i = draft.visits.length; i < (opts.visits ?? 6); i++) {
    // Day i+2 of November, from 8+2b o'clock Warsaw (UTC+1): no two visits of the assistant overlap.
    const start = Date.parse(`2026-11-${String(2 + i).padStart(2, "0")}T${String(7 + 2 * b).padStart(2, "0")}:00:00.000Z`);
    draft = core.addVisit(
      draft,
      { id: `v${i}`, date: `2026-11-${String(2 + i).padStart(2, "0")}`, start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString(), scopeIds: ["t05-job-activation"], mode: "in_person" },
      { programme, otherVisits: others, now: "2030-01-01T00:00:00.000Z" },
    );
  }
  if (opts.draft) return reports.saveReport(draft, stored.rev);
  for (const [role, signer] of [["beneficiary", "Ł.Ż. (uczestnik)"], ["assistant", "Asystent"]] as const) {
    draft = core.addSignature(draft, { role, signer, signedAt: now(), evidence: "drawn", imageDataUrl: SIGNATURE, contentHash: core.contentHash(draft) }, programme);
  }
  const order = await orders.findServiceOrder(PROGRAMME, MONTH, assistantId, beneficiaryCode);
  const saved = await reports.saveSubmission(core.submit(draft, { programme, otherVisits: others, order }, now()), stored.rev);
  // What the submission writes with it (the approver digest lists pending approvals).
  await approvals.createApprovalIfAbsent(approvalCore.newApproval(await reports.getReportVersion(id, saved.report.version), new Date(now())));
  return saved;
}

async function decide(who: Who, b: number, outcome: "approve" | "return") {
  const { report: r, rev } = await reports.getReport(core.reportId(PROGRAMME, MONTH, assistants[who].id, code(who, b)));
  const decision = { by: "p-krakow-approver", version: r.version, contentHash: core.contentHash(r) };
  const decided = outcome === "approve" ? core.approve(r, decision, now()) : core.returnReport(r, { ...decision, reason: "Brak podpisu na jednej wizycie" }, now());
  await reports.saveReport(decided, rev);
  // …and what the decision records on the approval (it leaves the approvers' pending list).
  const { approval } = await approvals.getApproval(approvalCore.approvalId(r.id, r.version));
  await approvals.recordDecision(approval, { outcome: outcome === "approve" ? "approved" : "returned", reason: decided.returnReason, by: decision.by, at: now(), via: "session" });
}

const krakowAssistantEmails = new Set(Object.values(assistants).map((a) => a.email));
const reminderRecipients = (emails: InboxEmail[]) =>
  emails.filter((e) => e.subject.startsWith("Przypomnienie") && krakowAssistantEmails.has(e.destination.to[0])).map((e) => e.destination.to[0]).sort();
const financeEmails = (emails: InboxEmail[]) => emails.filter((e) => e.destination.to.includes("ksiegowosc.krakow@mops.example.pl"));
const krakowEmails = (emails: InboxEmail[]) => emails.filter((e) => e.destination.to.some((t) => krakowAssistantEmails.has(t) || t.endsWith("mops-krakow.example.pl") || t === "ksiegowosc.krakow@mops.example.pl"));
const paymentSummaries = (emails: InboxEmail[]) => emails.filter((e) => e.subject.endsWith("przekazane do wypłaty"));
/** Each recipient of a payment summary naming the batch, with its report count and total as the e-mail states them. */
const summariesOf = (emails: InboxEmail[], batchId: string) =>
  paymentSummaries(emails)
    .filter((e) => e.body.text!.includes(batchId))
    .map((e) => ({ to: e.destination.to.join(","), reports: /\((\d+) sprawozda/.exec(e.body.text!)![1], total: /^Razem\s.*  ([\d\u00a0]+,\d\d\u00a0zł)$/m.exec(e.body.text!)![1] }))
    .sort((a, b) => a.to.localeCompare(b.to));
const attachment = (email: InboxEmail, suffix: string) => Buffer.from(email.attachments.find((a) => a.filename?.endsWith(suffix))!.content, "base64");

function csvRows(email: InboxEmail): string[][] {
  return parseCsv(attachment(email, ".csv"), { delimiter: ";", bom: true, relax_column_count: true }) as string[][];
}
const zloty = (text: string) => Math.round(Number(text.replace(/\s/g, "").replace(",", ".")) * 100);

async function invoke(handler: string, event: unknown) {
  const fn = stack.app.functions.find((f) => f.handler === `functions/workflow/${handler}.handler`)!;
  return stack.lambda.invoke(fn.arn, event);
}

describe("the monthly cycle of krakow-aou", () => {
  let mainBatchId = "";
  let supplementaryBatchId = "";

  it("runs from the 1st", async () => {
    const arn = stack.app.stateMachines.find((m) => m.logicalId.startsWith("MonthlyCycle"))!.arn;
    const { executions } = stack.sfn.listExecutions({ stateMachineArn: arn });
    expect(executions.find((e) => e.name === EXECUTION)?.status).toBe("RUNNING");
  });

  it("reminds exactly the assistants with missing, draft or returned reports at each instant", async () => {
    await moveTo("2026-11-27T10:00:00.000Z");
    for (let b = 0; b < 6; b++) await report("anna", b);
    for (let b = 0; b < 4; b++) await report("piotr", b);
    await report("piotr", 4, { visits: 2, draft: true });
    for (let b = 0; b < 6; b++) await report("tomasz", b);

    await moveTo("2026-11-30T08:00:00.000Z"); // r1: last working day, 09:00 Warsaw
    expect(reminderRecipients(await stack.inbox())).toEqual([assistants.maria.email, assistants.piotr.email]);
    const piotr = (await stack.inbox()).find((e) => e.destination.to[0] === assistants.piotr.email)!;
    expect(piotr.body.text).toContain(code("piotr", 4));
    expect(piotr.body.text).toContain(code("piotr", 5));
    expect(piotr.body.text).not.toContain(code("piotr", 3));
    expect(piotr.body.text).toMatch(/KR-AOU-011\s+06:00\s+02:00\s+wersja robocza/);
    expect(piotr.body.text).toContain(`${stack.appUrl}/`);
    expect(piotr.body.html).toContain("<table");
    const count = (await stack.inbox()).length;
    await invoke("remind-assistants", { programmeId: PROGRAMME, month: MONTH, reminder: { id: "r1-last-working-day", at: "2026-11-30T08:00:00.000Z" } });
    expect((await stack.inbox()).length).toBe(count);

    await moveTo("2026-11-30T12:00:00.000Z");
    await report("piotr", 4);
    await report("piotr", 5);
    for (let b = 0; b < 5; b++) await report("maria", b);
    await decide("tomasz", 5, "return");

    await moveTo("2026-12-02T08:00:00.000Z"); // r2: the working day before the deadline
    expect(reminderRecipients(await stack.inbox())).toEqual([assistants.maria.email, assistants.maria.email, assistants.piotr.email, assistants.tomasz.email]);
    const tomasz = (await stack.inbox()).find((e) => e.destination.to[0] === assistants.tomasz.email)!;
    expect(tomasz.body.text).toContain("zwrócone do poprawy");

    await moveTo("2026-12-02T12:00:00.000Z");
    await report("tomasz", 5); // corrected: version 2

    await moveTo("2026-12-03T07:00:00.000Z"); // r3: the deadline day, 08:00 Warsaw
    expect(reminderRecipients(await stack.inbox())).toEqual([
      assistants.maria.email,
      assistants.maria.email,
      assistants.maria.email,
      assistants.piotr.email,
      assistants.tomasz.email,
    ]);
  });

  it("closes intake at the end of the deadline day and tells the coordinator exactly who is missing", async () => {
    await moveTo("2026-12-03T23:00:00.000Z");
    const summaries = (await stack.inbox()).filter((e) => e.destination.to[0] === "koordynator@mops-krakow.example.pl");
    expect(summaries).toHaveLength(1);
    expect(summaries[0].subject).toContain("brakuje 1");
    expect(summaries[0].body.text).toMatch(/Maria Wiśniewska\s+KR-AOU-018/);
    for (const other of ["Anna Nowak", "Piotr Kowalski", "Tomasz Wójcik"]) expect(summaries[0].body.text).not.toContain(other);
  });

  it("reminds the approver of reports waiting longer than the programme allows", async () => {
    const toApprover = (await stack.inbox()).filter((e) => e.destination.to[0] === "zatwierdzajacy@mops-krakow.example.pl");
    expect(toApprover).toHaveLength(1);
    expect(toApprover[0].subject).toContain("czekają na zatwierdzenie");
    // The day's digest: every waiting report with its own signed link.
    const listed = toApprover[0].body.text!.match(/^\d+\. .*$/gm)!;
    expect(listed.length).toBeGreaterThan(0);
    expect(toApprover[0].body.text!.match(/\/approve\/a[0-9a-f]{24}\?sig=/g)).toHaveLength(listed.length);
  });

  it("e-mails the main batch to finance once every submitted report is decided", async () => {
    await moveTo("2026-12-04T09:00:00.000Z");
    for (const who of ["anna", "piotr", "tomasz"] as const) for (let b = 0; b < 6; b++) await decide(who, b, "approve");
    for (let b = 0; b < 5; b++) await decide("maria", b, "approve");
    expect(financeEmails(await stack.inbox())).toHaveLength(0);

    await moveTo("2026-12-07T06:00:00.000Z"); // Monday 07:00: the daily check
    const [sent] = financeEmails(await stack.inbox());
    expect(sent.subject).toContain(MONTH);
    expect(sent.subject).toContain("Asystent Osoby Usamodzielnianej");
    mainBatchId = /(krakow-aou-2026-11-p\d\d)/.exec(sent.subject)![1];
    expect(sent.attachments.map((a) => a.filename)).toEqual([
      `karta-${mainBatchId}.csv`,
      `karta-${mainBatchId}.xlsx`,
      `karta-${mainBatchId}-pdf.zip`,
    ]);
    expect(sent.body.text).toMatch(/Liczba sprawozdań: 23/);
    expect(sent.body.text).toContain("13\u00a0248,00\u00a0zł");
    expect(sent.body.text?.match(/SHA-256: [0-9a-f]{64}/g)).toHaveLength(3);

    const rows = csvRows(sent);
    expect(rows[0]).toContain("Kwota brutto (zł)");
    const amount = rows[0].indexOf("Kwota brutto (zł)");
    const body = rows.slice(1, -1);
    // one row per report × rate: 23 reports of 6 h at 96,00 zł, four assistants
    expect([...new Set(body.map((r) => r[0]))].sort()).toEqual(["Anna Nowak", "Maria Wiśniewska", "Piotr Kowalski", "Tomasz Wójcik"]);
    expect(body).toHaveLength(23);
    for (const r of body) expect(zloty(r[amount])).toBe(57_600);
    expect(body.reduce((s, r) => s + zloty(r[amount]), 0)).toBe(23 * 57_600);
    expect(rows.at(-1)![0]).toBe("RAZEM");
    expect(zloty(rows.at(-1)![amount])).toBe(1_324_800);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(attachment(sent, ".xlsx") as unknown as ArrayBuffer);
    expect(workbook.worksheets.length).toBeGreaterThanOrEqual(2);

    const pdfs = unzip(attachment(sent, "-pdf.zip"));
    expect([...pdfs.keys()].filter((n) => n.startsWith("rachunki/"))).toHaveLength(4);
    expect([...pdfs.keys()].filter((n) => n.startsWith("sprawozdania/"))).toHaveLength(23);
    const bill = [...pdfs].find(([n]) => n.includes("maria-wisniewska"))![1];
    const parser = new PDFParse({ data: new Uint8Array(bill) });
    const text = (await parser.getText()).text.replace(/\s+/g, " ");
    await parser.destroy();
    expect(text).toContain("Maria Wiśniewska");
    const card = [...pdfs].find(([n]) => n.startsWith("sprawozdania/"))![1];
    const cardParser = new PDFParse({ data: new Uint8Array(card) });
    const cardText = (await cardParser.getText()).text.replace(/\s+/g, " ");
    await cardParser.destroy();
    expect(cardText).toContain("osobiście");
    expect(cardText).toContain("Aktywizacja zawodowa");
  });

  it("tells each assistant in the main batch once what goes to payment, by beneficiary code only", async () => {
    const inbox = await stack.inbox();
    // Everyone with a line in the batch, nobody else (no Wrocław assistant, no staff), one e-mail each.
    expect(paymentSummaries(inbox)).toHaveLength(4);
    expect(summariesOf(inbox, mainBatchId)).toEqual([
      { to: assistants.anna.email, reports: "6", total: "3\u00a0456,00\u00a0zł" },
      { to: assistants.maria.email, reports: "5", total: "2\u00a0880,00\u00a0zł" },
      { to: assistants.piotr.email, reports: "6", total: "3\u00a0456,00\u00a0zł" },
      { to: assistants.tomasz.email, reports: "6", total: "3\u00a0456,00\u00a0zł" },
    ]);
    const maria = paymentSummaries(inbox).find((e) => e.destination.to[0] === assistants.maria.email)!;
    expect(maria.body.text).toContain("główna paczka płatności");
    expect(maria.body.text).toMatch(new RegExp(`${code("maria", 0)}\\s+6:00 h \\(6,00 h\\)\\s+96,00\u00a0zł/h\\s+576,00\u00a0zł`));
    expect(maria.body.text).not.toContain(code("maria", 5)); // not approved yet: not in this batch
    expect(maria.body.text).toContain(`${stack.appUrl}/?month=${MONTH}`);
    const initials = (await (await import("../../functions/adapters/beneficiaries.js")).beneficiariesOfProgramme(PROGRAMME)).flatMap((b) => (b.initials ? [b.initials] : []));
    expect(initials.length).toBeGreaterThan(0);
    for (const mail of paymentSummaries(inbox)) for (const i of initials) expect(`${mail.body.text}${mail.body.html}`).not.toContain(i);
  });

  it("pages a batch's lines by whole assistants, even when a page ends inside one's lines", async () => {
    const seen: [string, number][] = [];
    let after: string | undefined;
    do {
      const page = await batches.batchLinesByAssistant(mainBatchId, { after, limit: 4 });
      seen.push(...page.assistants.map((a): [string, number] => [a.assistantId, a.lines.length]));
      after = page.after;
    } while (after);
    expect(seen.sort()).toEqual([[assistants.anna.id, 6], [assistants.maria.id, 5], [assistants.piotr.id, 6], [assistants.tomasz.id, 6]].sort());
  });

  it("pays a late report, approved after the main batch, in a supplementary batch with only that report", async () => {
    await moveTo("2026-12-08T10:00:00.000Z");
    const late = await report("maria", 5);
    expect(late.report.late).toBe(true);
    await moveTo("2026-12-09T10:00:00.000Z");
    expect(financeEmails(await stack.inbox())).toHaveLength(1);
    await decide("maria", 5, "approve");

    await moveTo("2026-12-10T06:00:00.000Z");
    const finance = financeEmails(await stack.inbox());
    expect(finance).toHaveLength(2);
    const supplementary = finance[1];
    expect(supplementary.subject).toContain("uzupełniająca");
    supplementaryBatchId = /(krakow-aou-2026-11-p\d\d)/.exec(supplementary.subject)![1];
    expect(supplementaryBatchId).not.toBe(mainBatchId);
    const rows = csvRows(supplementary);
    const amount = rows[0].indexOf("Kwota brutto (zł)");
    expect(rows.slice(1, -1).map((r) => [r[0], r[amount]])).toEqual([["Maria Wiśniewska", "576,00"]]);
    expect(rows.slice(1, -1)[0][rows[0].indexOf("Kod uczestnika")]).toBe("KR-AOU-018");

    // Main + supplementary = every approved report: 24 × 6 h × 96 zł = 13 824,00 zł.
    const total = finance.reduce((s, e) => {
      const r = csvRows(e);
      return s + zloty(r.at(-1)![r[0].indexOf("Kwota brutto (zł)")]);
    }, 0);
    expect(total).toBe(1_382_400);

    // Only Maria is in the supplementary batch: one more summary, for that one report.
    expect(paymentSummaries(await stack.inbox())).toHaveLength(5);
    expect(summariesOf(await stack.inbox(), supplementaryBatchId)).toEqual([{ to: assistants.maria.email, reports: "1", total: "576,00\u00a0zł" }]);

    const arn = stack.app.stateMachines.find((m) => m.logicalId.startsWith("MonthlyCycle"))!.arn;
    const execution = stack.sfn.listExecutions({ stateMachineArn: arn }).executions.find((e) => e.name === EXECUTION)!;
    expect(execution.status).toBe("SUCCEEDED");
    const events = stack.sfn.getExecutionHistory({ executionArn: execution.executionArn, maxResults: 1000 }).events;
    console.log(`cycle history: ${events.length} events; krakow e-mails: ${krakowEmails(await stack.inbox()).length}`);
    expect(events.length).toBeLessThan(300);
  });

  it("sends nothing more and adds no batch line when any step runs again", async () => {
    const before = (await stack.inbox()).length;
    const linesBefore = await countLines();
    const input = { programmeId: PROGRAMME, month: MONTH };
    await invoke("plan-month", input);
    for (const id of ["r1-last-working-day", "r2-day-before-deadline", "r3-deadline-day"]) {
      await invoke("remind-assistants", { ...input, reminder: { id, at: "2026-11-30T08:00:00.000Z" } });
    }
    await invoke("close-intake", input);
    await invoke("check-decisions", input);
    expect(await invoke("build-batch", input)).toEqual({ keepWatching: false });
    await invoke("send-batch", { ...input, batch: { batchId: mainBatchId } });
    await invoke("send-batch", { ...input, batch: { batchId: supplementaryBatchId } });
    for (const batchId of [mainBatchId, supplementaryBatchId]) expect(await invoke("notify-assistants", { ...input, batch: { batchId } })).toEqual({ sent: 0 });
    expect((await stack.inbox()).length).toBe(before);
    expect(await countLines()).toEqual(linesBefore);
    expect((await batches.batchesOfCycle(PROGRAMME, MONTH)).map((b) => [b.kind, b.status, b.totals])).toEqual([
      ["main", "sent", { reports: 23, minutes: 23 * 360, grosze: 1_324_800 }],
      ["supplementary", "sent", { reports: 1, minutes: 360, grosze: 57_600 }],
    ]);
  });

  it("shows the cycle's state, deadline, counts and batches with `karta cycle status`", async () => {
    process.env.KARTA_DATA_DIR = stack.dataDir;
    const { main } = await import("../../local/cli/cycle.js");
    const out: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((line) => void out.push(String(line)));
    const error = vi.spyOn(console, "error").mockImplementation((line) => void out.push(String(line)));
    try {
      expect(await main(["status", PROGRAMME, MONTH])).toBe(0);
      const text = out.join("\n");
      expect(text).toContain("execution  SUCCEEDED");
      expect(text).toContain("cycle      settled");
      expect(text).toContain("deadline   2026-12-03");
      expect(text).toContain("expected 24, submitted 0, approved 24, returned 0, missing 0 (overdue 1)");
      expect(text).toContain(`${mainBatchId} main sent: 23 reports`);
      expect(text).toContain(`${supplementaryBatchId} supplementary sent: 1 reports`);
      expect(await main(["start", PROGRAMME, MONTH])).toBe(0);
      expect(out.at(-1)).toContain("already started");
      out.length = 0;
      expect(await main(["status", "gdansk-aou", MONTH])).toBe(2);
      expect(await main(["status", PROGRAMME, "2026-13"])).toBe(2);
      expect(out).toHaveLength(2);
      expect(out[0]).toContain("unknown programme");
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  });
});

async function countLines(): Promise<number[]> {
  const counts: number[] = [];
  for (const b of await batches.batchesOfCycle(PROGRAMME, MONTH)) {
    let n = 0;
    for await (const _ of batches.batchLines(b.batchId)) n++;
    counts.push(n);
  }
  return counts;
}
