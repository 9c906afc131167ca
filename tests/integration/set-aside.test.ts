import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseCsv } from "csv-parse/sync";
import { startTestStack, type InboxEmail, type TestStack } from "../support/local-stack.js";
import { signaturePng, unzip } from "../fixtures/exports/batch.js";

/**
 * Issue 13: one approved report whose signature image cannot be printed (a corrupt PNG written
 * straight into the table, as intake no longer accepts one) used to stop the whole programme's
 * payment at the cut-off. Now the batch step sets it aside: the rest is paid on time, finance is
 * told, the coordinator and operators are alerted, the assistant gets it back to correct, and
 * the re-approved version goes out in the next (supplementary) batch.
 */
const PROGRAMME = "krakow-aou";
const MONTH = "2026-11";
const ASSISTANT = { id: "p-anna-nowak", email: "anna.nowak@asystent.example.pl" };
const FINANCE = "ksiegowosc.krakow@mops.example.pl";
const COORDINATOR = "koordynator@mops-krakow.example.pl";
const OPERATORS = "operatorzy@karta.example.gov.pl";
const GOOD = `data:image/png;base64,${signaturePng(2).toString("base64")}`;
const CORRUPT = `data:image/png;base64,${Buffer.from("not a png").toString("base64")}`;
const code = (b: number) => `KR-AOU-${String(1 + b).padStart(3, "0")}`;

let stack: TestStack;
let core: typeof import("../../functions/core/report.js");
let reports: typeof import("../../functions/adapters/reports.js");
let programmes: typeof import("../../functions/adapters/programmes.js");
let orders: typeof import("../../functions/adapters/service-orders.js");
let dynamo: typeof import("../../functions/adapters/dynamo.js");
let keys: typeof import("../../functions/adapters/keys.js");

beforeAll(async () => {
  stack = await startTestStack({ startAt: new Date("2026-10-31T23:10:00.000Z") });
  await stack.sfn.idle();
  core = await import("../../functions/core/report.js");
  reports = await import("../../functions/adapters/reports.js");
  programmes = await import("../../functions/adapters/programmes.js");
  orders = await import("../../functions/adapters/service-orders.js");
  dynamo = await import("../../functions/adapters/dynamo.js");
  keys = await import("../../functions/adapters/keys.js");
});
afterAll(async () => {
  await stack?.dispose();
});

const now = () => stack.clock.now().toISOString();
async function moveTo(instant: string) {
  stack.clock.set(new Date(instant));
  await stack.sfn.idle();
}
const idOf = (b: number) => core.reportId(PROGRAMME, MONTH, ASSISTANT.id, code(b));

/** Anna's report for beneficiary b: six one-hour visits (kept on a returned report), both signatures, submitted. */
async function submitSigned(b: number) {
  const programme = await programmes.getProgramme(PROGRAMME);
  const id = idOf(b);
  const stored = (await reports.findReport(id)) ?? (await reports.createReport(core.newReport({ programmeId: PROGRAMME, month: MONTH, assistantId: ASSISTANT.id, beneficiaryCode: code(b) })));
  const others = core.visitsOfOtherReports((await reports.reportsByAssistantMonth(ASSISTANT.id, MONTH)).map((r) => r.report), id);
  let draft = core.editable(stored.report);
  for (let day = draft.visits.length; day < 6; day++) {
    const date = `2026-11-${String(2 + day).padStart(2, "0")}`;
    const start = Date.parse(`${date}T${String(7 + 2 * b).padStart(2, "0")}:00:00.000Z`);
    const visit = { id: `v${day}`, date, start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString(), scopeIds: ["t05-job-activation"], mode: "in_person" as const };
    draft = core.addVisit(draft, visit, { programme, otherVisits: others, now: "2030-01-01T00:00:00.000Z" });
  }
  for (const [role, signer] of [["beneficiary", "K.L."], ["assistant", "Anna Nowak"]] as const) {
    draft = core.addSignature(draft, { role, signer, signedAt: now(), evidence: "drawn", imageDataUrl: GOOD, contentHash: core.contentHash(draft) }, programme);
  }
  const order = await orders.findServiceOrder(PROGRAMME, MONTH, ASSISTANT.id, code(b));
  return reports.saveSubmission(core.submit(draft, { programme, otherVisits: others, order }, now()), stored.rev);
}

async function approve(b: number) {
  const { report, rev } = await reports.getReport(idOf(b));
  await reports.saveReport(core.approve(report, { by: "p-krakow-approver", version: report.version, contentHash: core.contentHash(report) }, now()), rev);
}

/** What a broken intake or a damaged item would leave: the assistant's signature image is not a PNG, in the current record and the stored version. */
async function corruptSignature(b: number) {
  const { report } = await reports.getReport(idOf(b));
  for (const key of [keys.keys.reportCurrent(report.id), keys.keys.reportVersion(report.id, report.version)]) {
    const item = (await dynamo.getItem(key))!;
    const signatures = (item.signatures as { role: string; imageDataUrl?: string }[]).map((s) => (s.role === "assistant" ? { ...s, imageDataUrl: CORRUPT } : s));
    await dynamo.putItem({ ...item, signatures });
  }
}

const toFinance = (emails: InboxEmail[]) => emails.filter((e) => e.destination.to.includes(FINANCE));
const csvOf = (email: InboxEmail) => {
  const csv = Buffer.from(email.attachments.find((a) => a.filename?.endsWith(".csv"))!.content, "base64");
  return parseCsv(csv, { delimiter: ";", bom: true, relax_column_count: true }) as string[][];
};
const zipOf = (email: InboxEmail) => unzip(Buffer.from(email.attachments.find((a) => a.filename?.endsWith(".zip"))!.content, "base64"));
describe("an approved report the payment files cannot print", () => {
  let mainBatch = "";

  it("is set aside at the payment step while the rest of the programme is paid on time", async () => {
    await moveTo("2026-11-27T10:00:00.000Z");
    for (const b of [0, 1, 2]) await submitSigned(b);
    await moveTo("2026-12-04T09:00:00.000Z");
    for (const b of [0, 1, 2]) await approve(b);
    await corruptSignature(1);

    await moveTo("2026-12-07T06:00:00.000Z"); // Monday 07:00 Warsaw: the daily check builds and sends the batch
    const [sent, ...more] = toFinance(await stack.inbox());
    expect(more).toHaveLength(0);
    mainBatch = /(krakow-aou-2026-11-p\d\d)/.exec(sent.subject)![1];
    expect(sent.body.text).toMatch(/Liczba sprawozdań: 2\b/);
    expect(sent.body.text).toContain("1\u00a0152,00\u00a0zł"); // 2 × 6 h × 96,00 zł
    // finance is told which report is held back and why it is not in the totals
    expect(sent.body.text).toMatch(/Wstrzymano 1 sprawozdanie/);
    expect(sent.body.text).toContain(`Anna Nowak, uczestnik ${code(1)} (${idOf(1)}, wersja 1)`);
    expect(sent.body.html).toContain(code(1));
    const lines = csvOf(sent).slice(1).map((r) => r.join(";")).join("\n");
    // the payment file names reports by beneficiary code and number, not by internal id
    expect(lines).toContain(code(0));
    expect(lines).toContain(code(2));
    expect(lines).not.toContain(code(1));
    const cards = [...zipOf(sent).keys()].filter((n) => n.startsWith("sprawozdania/"));
    expect(cards).toHaveLength(2);

    const cycle = stack.sfn.listExecutions({ stateMachineArn: stack.app.stateMachines.find((m) => m.logicalId.startsWith("MonthlyCycle"))!.arn });
    expect(cycle.executions.find((e) => e.name === `cycle-${PROGRAMME}-${MONTH}`)?.status).toBe("RUNNING");
  });

  it("alerts the coordinator and the operators once, and returns the report to the assistant with the reason", async () => {
    const inbox = await stack.inbox();
    const alerts = inbox.filter((e) => e.subject.includes("wstrzymane w płatnościach"));
    expect(alerts).toHaveLength(1);
    expect(alerts[0].destination.to.sort()).toEqual([COORDINATOR, OPERATORS].sort());
    expect(alerts[0].body.text).toContain(idOf(1));
    expect(alerts[0].body.text).toContain("Obraz podpisu asystenta jest uszkodzony");
    expect(alerts[0].body.text).toContain("cannot be printed");

    const returned = inbox.filter((e) => e.destination.to[0] === ASSISTANT.email && e.subject.includes("zwrócone do poprawy"));
    expect(returned).toHaveLength(1);
    expect(returned[0].subject).toContain(code(1));
    expect(returned[0].body.text).toContain("Obraz podpisu asystenta jest uszkodzony");

    const { report } = await reports.getReport(idOf(1));
    expect(report.status).toBe("returned");
    expect(report.returnReason).toMatch(/^Obraz podpisu asystenta .* \/ The assistant's signature image/);
    const events = await (await import("../../functions/adapters/audit-events.js")).auditEventsOfReport(idOf(1));
    expect(events.filter((e) => e.type === "report.set_aside")).toEqual([expect.objectContaining({ version: 1, actorId: "karta-system" })]);

    // the batch records it; the claimed reports stay approved and paid once
    const batch = await (await import("../../functions/adapters/batches.js")).getBatch(mainBatch);
    expect(batch.status).toBe("sent");
    expect(batch.totals).toEqual({ reports: 2, minutes: 720, grosze: 115_200 });
    expect(batch.setAside?.map((s) => [s.reportId, s.version])).toEqual([[idOf(1), 1]]);
  });

  it("does nothing more when the batch step runs again", async () => {
    const before = (await stack.inbox()).length;
    const fn = stack.app.functions.find((f) => f.handler === "functions/workflow/build-batch.handler")!;
    await stack.lambda.invoke(fn.arn, { programmeId: PROGRAMME, month: MONTH });
    expect((await stack.inbox()).length).toBe(before);
  });

  it("pays the corrected, re-approved version in the next batch", async () => {
    await moveTo("2026-12-08T09:00:00.000Z");
    const resubmitted = await submitSigned(1); // reopened as version 2, signed again with a good image
    expect(resubmitted.report.version).toBe(2);
    await approve(1);

    await moveTo("2026-12-09T06:00:00.000Z");
    const batches = toFinance(await stack.inbox());
    expect(batches).toHaveLength(2);
    const supplementary = batches[1];
    expect(supplementary.subject).toContain("uzupełniająca");
    expect(supplementary.subject).not.toContain(mainBatch);
    expect(supplementary.body.text).toMatch(/Liczba sprawozdań: 1\b/);
    expect(supplementary.body.text).toContain("576,00\u00a0zł");
    expect(supplementary.body.text).not.toContain("Wstrzymano");
    const rows = csvOf(supplementary).slice(1).map((r) => r.join(";")).join("\n");
    expect(rows).toContain(code(1));
    expect(rows).not.toContain(code(0));
    expect([...zipOf(supplementary).keys()].filter((n) => n.startsWith("sprawozdania/"))).toHaveLength(1);
  });
});
