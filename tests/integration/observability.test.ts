import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import type { FunctionLogLine } from "../../local/lambda.js";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { apiClient } from "./api-helpers.js";

/**
 * Issue 18: what the functions write on the local stack is their log as in CloudWatch Logs
 * (local/lambda.ts keeps it per invocation): Powertools JSON lines with the invocation's request
 * id, and EMF lines of the real Metrics class.
 */
const startAt = new Date(warsawInstant("2026-11-20", "10:00"));

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
const stackLog: string[] = [];

beforeAll(async () => {
  stack = await startTestStack({ startAt, log: (line) => stackLog.push(line) });
  api = apiClient(stack);
});
afterAll(async () => stack?.dispose());

type Line = FunctionLogLine & { json: Record<string, any> };
/** The JSON lines the functions wrote while `act` ran. */
async function linesDuring(act: () => Promise<unknown>): Promise<Line[]> {
  const from = stack.lambda.logs.length;
  await act();
  return stack.lambda.logs.slice(from).flatMap((l) => {
    try {
      return [{ ...l, json: JSON.parse(l.line) }];
    } catch {
      return [];
    }
  });
}

const emf = (lines: Line[], metric: string) =>
  lines.filter((l) => l.json._aws?.CloudWatchMetrics?.some((m: any) => m.Metrics.some((d: any) => d.Name === metric)));

describe("logs on the local stack", () => {
  it("give each API call's log line the request id of its own invocation, also when calls run at once", async () => {
    const maria = await api.signIn("maria.wisniewska@asystent.example.pl");
    const piotr = await api.signIn("piotr.kowalski@asystent.example.pl");
    const ids = {
      [maria]: (await api.call(maria, "GET", "/api/me")).json.person.id,
      [piotr]: (await api.call(piotr, "GET", "/api/me")).json.person.id,
    };

    const lines = await linesDuring(() => Promise.all(Array.from({ length: 12 }, (_, i) => api.call(i % 2 ? piotr : maria, "GET", "/api/me"))));

    const answered = lines.filter((l) => l.json.message === "answered" && l.json.route === "GET /api/me");
    expect(answered).toHaveLength(12);
    for (const line of answered) {
      expect(line.json.function_request_id).toBe(line.requestId);
      expect(line.json.service).toBe("karta");
      expect(line.json.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(new Set(answered.map((l) => l.requestId)).size).toBe(12);
    // each invocation carries its own caller's person id, not the one of a call running beside it
    const byPerson = answered.map((l) => l.json.person_id).sort();
    expect(byPerson).toEqual([...Array(6).fill(ids[maria]), ...Array(6).fill(ids[piotr])].sort());
    for (const line of lines) expect(line.line).not.toMatch(/@/);
  });

  it("count a refusal in the Refusals metric by its code, in EMF of the invocation that refused", async () => {
    let status = 0;
    const lines = await linesDuring(async () => {
      status = (await api.call(undefined, "POST", "/api/reports/r-none/submit")).status;
    });

    expect(status).toBe(401);
    const refused = lines.find((l) => l.json.message === "refused")!;
    expect(refused.json).toMatchObject({ code: "UNAUTHENTICATED", status: 401, route: "POST /api/reports/{reportId}/submit", function_request_id: refused.requestId });
    const [metric] = emf(lines, "Refusals");
    expect(metric.requestId).toBe(refused.requestId);
    expect(metric.json).toMatchObject({ Refusals: 1, code: "UNAUTHENTICATED", service: "karta" });
    expect(metric.json._aws.CloudWatchMetrics).toEqual([{ Namespace: "Karta", Dimensions: [["service", "code"]], Metrics: [{ Name: "Refusals", Unit: "Count" }] }]);
  });

  it("count the e-mails SES accepted", async () => {
    const lines = await linesDuring(() => api.signIn("anna.nowak@asystent.example.pl"));

    const sent = emf(lines, "EmailsSent");
    expect(sent.reduce((n, l) => n + [l.json.EmailsSent].flat().reduce((a: number, b: number) => a + b, 0), 0)).toBeGreaterThanOrEqual(1);
    expect(sent[0].json._aws.CloudWatchMetrics[0].Namespace).toBe("Karta");
  });

  it("count a submitted report once (not its retry) and the approver's decision by outcome", async () => {
    const anna = await api.signIn("anna.nowak@asystent.example.pl");
    const reportId = await api.draftSigned(anna, "krakow-aou", "2026-11", "KR-AOU-001", [api.visit("2026-11-03", "16:00", "17:00")], startAt.toISOString());

    const submitted = await linesDuring(() => api.call(anna, "POST", `/api/reports/${reportId}/submit`));
    const retried = await linesDuring(() => api.call(anna, "POST", `/api/reports/${reportId}/submit`));

    expect(emf(submitted, "ReportsSubmitted").map((l) => l.json.ReportsSubmitted)).toEqual([1]);
    expect(emf(retried, "ReportsSubmitted")).toEqual([]);

    await api.waitForMail("zatwierdzajacy@mops-krakow.example.pl", /./);
    const approver = await api.signIn("zatwierdzajacy@mops-krakow.example.pl");
    const pending = (await api.call(approver, "GET", "/api/approvals")).json.pending as { approvalId: string; report: { id: string } }[];
    const { approvalId } = pending.find((p) => p.report.id === reportId)!;
    const decided = await linesDuring(() => api.call(approver, "POST", `/api/approvals/${approvalId}/decision`, { outcome: "approve" }));

    const [decision] = emf(decided, "Decisions");
    expect(decision.json).toMatchObject({ Decisions: 1, decision: "approve", service: "karta" });
    expect(decision.json._aws.CloudWatchMetrics[0].Dimensions).toEqual([["service", "decision"]]);
  });

  it("keep the functions' INFO and EMF lines out of the stack's own log", async () => {
    const lines = await linesDuring(() => api.call(undefined, "GET", "/api/me"));

    expect(lines.some((l) => l.json.level === "INFO")).toBe(true);
    expect(lines.some((l) => l.json._aws)).toBe(true);
    expect(stackLog.filter((l) => /"level":"INFO"|"_aws"/.test(l))).toEqual([]);
  });
});
