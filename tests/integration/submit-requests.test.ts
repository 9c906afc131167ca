import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentClient, getItem, putItem } from "../../functions/adapters/dynamo.js";
import { keys } from "../../functions/adapters/keys.js";
import { auditEventsOfReport } from "../../functions/adapters/audit-events.js";
import { getProgramme } from "../../functions/adapters/programmes.js";
import { createReport, getReport, putReportVersion, reportVersions, saveReport, saveSubmission } from "../../functions/adapters/reports.js";
import { warsawInstant } from "../../functions/core/calendar.js";
import { AlreadyExistsError, VersionConflictError } from "../../functions/core/errors.js";
import { newReport, submit } from "../../functions/core/report.js";
import { auditEvent } from "../../functions/api/lib/reports.js";
import { currentInvocation } from "../../local/lambda.js";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { apiClient } from "./api-helpers.js";

// Friday 20 November 2026, 10:00 in Warsaw: November's demo orders exist, the deadline is 3 December.
const startAt = new Date(warsawInstant("2026-11-20", "10:00"));
const SUBMIT = "functions/api/submit-report.handler";

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
/** Every DynamoDB request the handlers send, with the invocation it was sent from (local/lambda.ts). */
const sent: { handler?: string; requestId?: string; operation: string }[] = [];

beforeAll(async () => {
  stack = await startTestStack({ startAt });
  api = apiClient(stack);
  // The handlers run in this process and share the adapters' document client: count on it.
  documentClient().middlewareStack.add(
    (next, context) => async (args) => {
      const at = currentInvocation();
      sent.push({ handler: at?.handler, requestId: at?.requestId, operation: String(context.commandName).replace(/Command$/, "") });
      return next(args);
    },
    { step: "initialize", name: "testRequestCounter" },
  );
});
afterAll(async () => stack?.dispose());

/** The DynamoDB requests of each submit invocation made while `run` ran, by operation. */
async function submitRequests(run: () => Promise<void>) {
  const from = sent.length;
  await run();
  const byInvocation = new Map<string, Record<string, number>>();
  for (const r of sent.slice(from).filter((r) => r.handler === SUBMIT)) {
    const ops = byInvocation.get(r.requestId!) ?? {};
    ops[r.operation] = (ops[r.operation] ?? 0) + 1;
    byInvocation.set(r.requestId!, ops);
  }
  return [...byInvocation.values()];
}
const total = (ops: Record<string, number>) => Object.values(ops).reduce((s, n) => s + n, 0);

const approvalExecutions = (reportId: string) =>
  stack.sfn.listExecutions({ stateMachineArn: process.env.APPROVAL_STATE_MACHINE_ARN! }).executions.filter((e) => e.name.startsWith(`report-${reportId}-`));

describe("POST /api/reports/{id}/submit: DynamoDB requests", () => {
  it("submits a draft with 4 requests, and a retry makes no second version, audit event or execution", async () => {
    const anna = await api.signIn("anna.nowak@asystent.example.pl");
    const visits = [api.visit("2026-11-03", "16:00", "18:00"), api.visit("2026-11-05", "15:30", "17:00")];
    const reportId = await api.draftSigned(anna, "krakow-aou", "2026-11", "KR-AOU-001", visits, startAt.toISOString());

    let first: Awaited<ReturnType<typeof api.call>> | undefined;
    const [submitOps] = await submitRequests(async () => {
      first = await api.call(anna, "POST", `/api/reports/${reportId}/submit`);
    });
    expect(first!.status, first!.text).toBe(200);
    expect(first!.json.report).toMatchObject({ status: "submitted", version: 1 });
    // Session + report; person + programme + order with the overlap Query; one transaction.
    expect(submitOps).toEqual({ BatchGetItem: 2, Query: 1, TransactWriteItems: 1 });
    expect(total(submitOps)).toBeLessThanOrEqual(4);

    let retried: Awaited<ReturnType<typeof api.call>> | undefined;
    const [retryOps] = await submitRequests(async () => {
      retried = await api.call(anna, "POST", `/api/reports/${reportId}/submit`);
    });
    expect(retried!.status, retried!.text).toBe(200);
    expect(retried!.json.execution).toBe(first!.json.execution);
    expect(retryOps).toEqual({ BatchGetItem: 2 });

    expect(await reportVersions(reportId)).toHaveLength(1);
    expect((await auditEventsOfReport(reportId)).filter((e) => e.type === "report.submitted")).toHaveLength(1);
    expect(approvalExecutions(reportId).map((e) => e.name)).toEqual([`report-${reportId}-v1`]);
  });

  it("reads the previous month in the same Query for a visit on the first of the month (last month's night visits may reach it)", async () => {
    const anna = await api.signIn("anna.nowak@asystent.example.pl");
    const reportId = await api.draftSigned(anna, "krakow-aou", "2026-11", "KR-AOU-002", [api.visit("2026-11-01", "16:00", "17:00")], startAt.toISOString());
    const [ops] = await submitRequests(async () => {
      const res = await api.call(anna, "POST", `/api/reports/${reportId}/submit`);
      expect(res.status, res.text).toBe(200);
    });
    expect(ops).toEqual({ BatchGetItem: 2, Query: 1, TransactWriteItems: 1 });
  });

  it("refuses a visit on the first of the month that a night visit of last month's report overlaps", async () => {
    // Wrocław allows night visits crossing midnight.
    const kasia = await api.signIn("katarzyna.lewandowska@asystent.example.pl");
    const visit = api.visit("2026-11-01", "00:30", "01:30", { scopeIds: ["everyday"] });
    const reportId = await api.draftSigned(kasia, "wroclaw-ao", "2026-11", "WR-AO-001", [visit], startAt.toISOString());
    // Stored after the draft's own checks: only the submission's overlap check can see it.
    const october = newReport({ programmeId: "wroclaw-ao", month: "2026-10", assistantId: "p-katarzyna-lewandowska", beneficiaryCode: "WR-AO-002" });
    const night = { id: "night", date: "2026-10-31", start: warsawInstant("2026-10-31", "23:00"), end: warsawInstant("2026-11-01", "01:00"), scopeIds: ["everyday"], mode: "in_person" as const };
    await createReport({ ...october, visits: [night] });
    const res = await api.call(kasia, "POST", `/api/reports/${reportId}/submit`);
    expect(res.status, res.text).toBe(409);
    expect(res.json.error.code).toBe("VISIT_OVERLAP");
    expect((await getReport(reportId)).report.status).toBe("draft");
  });

  it("refuses other people's sessions and reports before writing anything", async () => {
    const anna = await api.signIn("anna.nowak@asystent.example.pl");
    const piotr = await api.signIn("piotr.kowalski@asystent.example.pl");
    const reportId = await api.draftSigned(anna, "krakow-aou", "2026-11", "KR-AOU-003", [api.visit("2026-11-10", "16:00", "17:00")], startAt.toISOString());
    const before = await getReport(reportId);
    const [ops] = await submitRequests(async () => {
      expect((await api.call(piotr, "POST", `/api/reports/${reportId}/submit`)).status).toBe(403);
      expect((await api.call("karta_session=forged", "POST", `/api/reports/${reportId}/submit`)).status).toBe(401);
      expect((await api.call(undefined, "POST", `/api/reports/${reportId}/submit`)).status).toBe(401);
    });
    expect(ops.TransactWriteItems ?? 0).toBe(0);
    expect(await getReport(reportId)).toEqual(before);
    expect(await reportVersions(reportId)).toHaveLength(0);
  });
});

describe("the submission transaction", () => {
  it("leaves nothing half-written when the revision is stale or the version already exists", async () => {
    const anna = await api.signIn("anna.nowak@asystent.example.pl");
    const reportId = await api.draftSigned(anna, "krakow-aou", "2026-11", "KR-AOU-004", [api.visit("2026-11-12", "16:00", "17:00")], startAt.toISOString());
    const read = await getReport(reportId);
    const programme = await getProgramme("krakow-aou");
    const submitted = submit(read.report, { programme, otherVisits: [], order: { orderedMinutes: 6000 } }, startAt.toISOString());
    const event = () => auditEvent("report.submitted", submitted, read.report.assistantId, startAt, "session", {});
    const auditCount = async () => (await auditEventsOfReport(reportId)).filter((e) => e.type === "report.submitted").length;

    // Stale revision: somebody saved the report after it was read.
    const moved = await saveReport(read.report, read.rev);
    const stale = event();
    await expect(saveSubmission(submitted, read.rev, stale)).rejects.toBeInstanceOf(VersionConflictError);
    expect(await getReport(reportId)).toEqual(moved);
    expect(await getItem(keys.reportVersion(reportId, 1))).toBeUndefined();
    expect(await getItem(keys.auditEvent(reportId, stale.at, stale.id))).toBeUndefined();

    // The lock holds but the version item's condition fails: the report item is not written either.
    await putReportVersion({ ...submitted, visits: submitted.visits.map((v) => ({ ...v, note: "another content" })) });
    await expect(saveSubmission(submitted, moved.rev, event())).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(await getReport(reportId)).toEqual(moved);
    expect(await auditCount()).toBe(0);
    expect(approvalExecutions(reportId)).toHaveLength(0);
  });
});

describe("a rate edited after signing", () => {
  it("refuses the submission with 409, re-prices the draft and clears its signatures so it is signed again on the right money", async () => {
    const anna = await api.signIn("anna.nowak@asystent.example.pl");
    const reportId = await api.draftSigned(anna, "krakow-aou", "2026-11", "KR-AOU-005", [api.visit("2026-11-16", "16:00", "18:00")], startAt.toISOString());
    expect((await getReport(reportId)).report.pricing).toEqual([{ rateGrosze: 9600, minutes: 120, amountGrosze: 19_200 }]);
    const programme = await getProgramme("krakow-aou");
    const edited = { ...programme, rates: [{ ...programme.rates[0], rateGrosze: 10_000 }] };
    await putItem({ ...keys.programme(programme.id), entity: "Programme", rev: 1, ...edited });
    try {
      const answer = await api.call(anna, "POST", `/api/reports/${reportId}/submit`);
      expect(answer.status, answer.text).toBe(409);
      expect(answer.json.error?.code ?? answer.json.code).toBe("PRICING_CHANGED");
      const { report } = await getReport(reportId);
      expect(report).toMatchObject({ status: "draft", signatures: [], pricing: [{ rateGrosze: 10_000, minutes: 120, amountGrosze: 20_000 }] });
      expect(approvalExecutions(reportId)).toHaveLength(0);
    } finally {
      await putItem({ ...keys.programme(programme.id), entity: "Programme", rev: 1, ...programme });
    }
  });
});

describe("a signature image that is not a PNG", () => {
  it("is refused at intake with 400 SIGNATURE_IMAGE_INVALID and leaves the draft unsigned (issue 13's repro)", async () => {
    const anna = await api.signIn("anna.nowak@asystent.example.pl");
    const created = await api.call(anna, "POST", "/api/reports", { programmeId: "krakow-aou", month: "2026-11", beneficiaryCode: "KR-AOU-006" });
    expect(created.status, created.text).toBe(201);
    const reportId = created.json.report.id as string;
    const added = await api.call(anna, "POST", `/api/reports/${reportId}/visits`, api.visit("2026-11-17", "16:00", "17:00"));
    expect(added.status, added.text).toBe(201);
    const imageDataUrl = "data:image/png;base64," + Buffer.from("not a png").toString("base64");
    const answer = await api.call(anna, "PUT", `/api/reports/${reportId}/signatures/assistant`, { signer: "Anna Nowak", signedAt: startAt.toISOString(), evidence: "drawn", imageDataUrl, contentHash: added.json.contentHash });
    expect(answer.status, answer.text).toBe(400);
    expect(answer.json.error?.code ?? answer.json.code).toBe("SIGNATURE_IMAGE_INVALID");
    expect((await getReport(reportId)).report.signatures).toEqual([]);
  });
});
