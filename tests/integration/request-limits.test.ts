import { randomBytes } from "node:crypto";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import { MAX_REPORT_BYTES, MAX_SIGNATURE_IMAGE_CHARS, MAX_VISITS_PER_REPORT } from "../../functions/core/report.js";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { apiClient } from "./api-helpers.js";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient, tableName } from "../../functions/adapters/dynamo.js";
import { keys } from "../../functions/adapters/keys.js";

/**
 * Issue 18: limits a tester reached from outside. A report growing past DynamoDB's 400 KB item
 * (visits or signatures), an over-long id in the path, and parallel visit additions without
 * If-Match (an offline queue replaying) must never answer 500 nor lose a change.
 */
const startAt = new Date(warsawInstant("2026-11-20", "10:00"));

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
/** The stack's log (executions, functions' warnings and errors). */
const logLines: string[] = [];

beforeAll(async () => {
  stack = await startTestStack({ startAt, log: (line) => logLines.push(line) });
  api = apiClient(stack);
});
afterAll(async () => stack?.dispose());

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
/** Visit i: 20 minutes, 7 a day from 08:00, 40 minutes apart, days 2–19 of November (the clock stands on the 20th). */
const nthVisit = (i: number, extra: Record<string, unknown> = {}) => {
  const start = 8 * 60 + (i % 7) * 40;
  return api.visit(`2026-11-${String(2 + Math.floor(i / 7)).padStart(2, "0")}`, hhmm(start), hhmm(start + 20), { id: `v${i}`, ...extra });
};

/** A valid PNG data URL of noise (does not compress) just under the signature limit. */
function largestSignature(): string {
  for (let height = 160; ; height -= 2) {
    const png = new PNG({ width: 120, height });
    randomBytes(png.data.length).copy(png.data);
    const url = "data:image/png;base64," + PNG.sync.write(png).toString("base64");
    if (url.length <= MAX_SIGNATURE_IMAGE_CHARS) return url;
  }
}

async function newDraft(cookie: string, beneficiaryCode: string) {
  const created = await api.call(cookie, "POST", "/api/reports", { programmeId: "krakow-aou", month: "2026-11", beneficiaryCode });
  expect(created.status, created.text).toBe(201);
  return created.json.report.id as string;
}

describe("report size: refused before DynamoDB is asked", () => {
  it(`refuses visit ${MAX_VISITS_PER_REPORT + 1} with 422 TOO_MANY_VISITS naming the limit, and writes nothing`, { timeout: 120_000 }, async () => {
    const maria = await api.signIn("maria.wisniewska@asystent.example.pl");
    const reportId = await newDraft(maria, "KR-AOU-013");
    for (let i = 0; i < MAX_VISITS_PER_REPORT; i++) {
      const added = await api.call(maria, "POST", `/api/reports/${reportId}/visits`, nthVisit(i));
      expect(added.status, added.text).toBe(201);
    }
    const before = (await api.call(maria, "GET", `/api/reports/${reportId}`)).json;

    const refused = await api.call(maria, "POST", `/api/reports/${reportId}/visits?lang=en`, nthVisit(MAX_VISITS_PER_REPORT));
    expect(refused.status, refused.text).toBe(422);
    expect(refused.json.error.code).toBe("TOO_MANY_VISITS");
    expect(refused.json.error.message).toContain(String(MAX_VISITS_PER_REPORT));
    const pl = await api.call(maria, "POST", `/api/reports/${reportId}/visits`, nthVisit(MAX_VISITS_PER_REPORT));
    expect(pl.json.error.message).toMatch(/wizyt/);

    const after = (await api.call(maria, "GET", `/api/reports/${reportId}`)).json;
    expect(after.rev).toBe(before.rev);
    expect(after.report.visits).toHaveLength(MAX_VISITS_PER_REPORT);
  });

  it("refuses the second maximum-size signature on a big report, and visits that outgrow the item, with 413 REPORT_TOO_LARGE", { timeout: 120_000 }, async () => {
    const tomasz = await api.signIn("tomasz.wojcik@asystent.example.pl");
    const reportId = await newDraft(tomasz, "KR-AOU-019");
    // 3-byte characters at the longest note and justification: about 4.7 KB a visit
    const big = { note: "€".repeat(500), justification: "€".repeat(1000) };
    let i = 0;
    let last = await api.call(tomasz, "GET", `/api/reports/${reportId}`);
    while (Buffer.byteLength(JSON.stringify(last.json.report)) < 220_000) {
      last = await api.call(tomasz, "POST", `/api/reports/${reportId}/visits`, nthVisit(i++, big));
      expect(last.status, last.text).toBe(201);
    }
    const image = largestSignature();
    const sign = (role: string, hash: string) =>
      api.call(tomasz, "PUT", `/api/reports/${reportId}/signatures/${role}?lang=en`, { signer: "Tomasz Wójcik", signedAt: startAt.toISOString(), evidence: "drawn", imageDataUrl: image, contentHash: hash });
    const first = await sign("beneficiary", last.json.contentHash);
    expect(first.status, first.text).toBe(200);

    const second = await sign("assistant", last.json.contentHash);
    expect(second.status, second.text).toBe(413);
    expect(second.json.error.code).toBe("REPORT_TOO_LARGE");
    expect(second.json.error.message).toContain(String(MAX_REPORT_BYTES));
    expect(second.json.error.details.max).toBe(MAX_REPORT_BYTES);
    const signed = (await api.call(tomasz, "GET", `/api/reports/${reportId}`)).json;
    expect(signed.rev).toBe(first.json.rev);
    expect(signed.report.signatures.map((s: { role: string }) => s.role)).toEqual(["beneficiary"]);

    // more big visits (signatures cleared) until the report itself outgrows the item
    let refused: Awaited<ReturnType<typeof api.call>> | undefined;
    for (; i < MAX_VISITS_PER_REPORT && !refused; i++) {
      const added = await api.call(tomasz, "POST", `/api/reports/${reportId}/visits`, nthVisit(i, big));
      if (added.status !== 201) refused = added;
    }
    expect(refused?.status, refused?.text).toBe(413);
    expect(refused!.json.error.code).toBe("REPORT_TOO_LARGE");
    expect(refused!.json.error.message).toContain(String(MAX_REPORT_BYTES));
    const kept = (await api.call(tomasz, "GET", `/api/reports/${reportId}`)).json;
    expect(kept.report.visits.map((v: { id: string }) => v.id)).not.toContain(`v${i - 1}`);
    expect(kept.report.visits).toHaveLength(i - 1);
  });
});

describe("path parameters: an over-long id is bad input, not a bug", () => {
  const long = "x".repeat(10_000);

  it.each([
    ["GET", `/api/reports/${long}`],
    ["POST", `/api/reports/${long}/submit`],
    ["DELETE", `/api/reports/r0123456789abcdef01234567/visits/${long}`],
    ["GET", `/api/programmes/${long}`],
    ["PATCH", `/api/people/${long}`],
    ["GET", `/api/batches/${long}/files/payments.csv`],
  ])("%s %s… answers 400 PATH_PARAMETER_TOO_LONG naming the parameter", async (method, url) => {
    const anna = await api.signIn("anna.nowak@asystent.example.pl");
    const answer = await api.call(anna, method, `${url}?lang=en`, method === "PATCH" ? {} : undefined);
    expect(answer.status, answer.text.slice(0, 300)).toBe(400);
    expect(answer.json.error.code).toBe("PATH_PARAMETER_TOO_LONG");
    expect(answer.json.error.message).toMatch(/"(reportId|visitId|programmeId|personId|batchId)" has 10000 characters, at most 200/);
  });

  it("answers the approval page with a 400 page, and keeps legitimate ids working", async () => {
    const opened = await api.call(undefined, "GET", `/approve/${long}?sig=x`);
    expect(opened.status).toBe(400);
    expect(opened.headers.get("content-type")).toMatch(/text\/html/);

    const anna = await api.signIn("anna.nowak@asystent.example.pl");
    const reportId = await newDraft(anna, "KR-AOU-006");
    expect((await api.call(anna, "GET", `/api/reports/${reportId}`)).status).toBe(200);
    expect((await api.call(anna, "GET", "/api/programmes/krakow-aou")).status).toBe(200);
    const batch = await api.call(anna, "GET", "/api/batches/krakow-aou-2026-11-p01/files/payments.csv");
    expect([403, 404]).toContain(batch.status);
  });
});

describe("changes without If-Match apply to the latest revision", () => {
  it("lands all of 20 parallel visit additions without If-Match (an offline queue replaying)", { timeout: 60_000 }, async () => {
    const anna = await api.signIn("anna.nowak@asystent.example.pl");
    const reportId = await newDraft(anna, "KR-AOU-001");
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => api.call(anna, "POST", `/api/reports/${reportId}/visits`, nthVisit(i))));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    const final = (await api.call(anna, "GET", `/api/reports/${reportId}`)).json;
    expect(final.report.visits.map((v: { id: string }) => v.id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`).sort());
  });

  it("still refuses the same visit id sent again, one at a time or in parallel", { timeout: 60_000 }, async () => {
    const anna = await api.signIn("anna.nowak@asystent.example.pl");
    const reportId = await newDraft(anna, "KR-AOU-002");
    const visit = nthVisit(40);
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.call(anna, "POST", `/api/reports/${reportId}/visits`, visit)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const a of answers.filter((a) => a.status !== 201)) expect([a.status, a.json.error.code]).toEqual([409, "ALREADY_EXISTS"]);
    const again = await api.call(anna, "POST", `/api/reports/${reportId}/visits`, visit);
    expect([again.status, again.json.error.code]).toEqual([409, "ALREADY_EXISTS"]);
    expect((await api.call(anna, "GET", `/api/reports/${reportId}`)).json.report.visits).toHaveLength(1);
  });

  it("keeps 409 VERSION_CONFLICT for a change with a stale If-Match", async () => {
    const anna = await api.signIn("anna.nowak@asystent.example.pl");
    const reportId = await newDraft(anna, "KR-AOU-003");
    const { rev } = (await api.call(anna, "GET", `/api/reports/${reportId}`)).json;
    expect((await api.call(anna, "POST", `/api/reports/${reportId}/visits`, nthVisit(50), { "if-match": `"${rev}"` })).status).toBe(201);
    const stale = await api.call(anna, "POST", `/api/reports/${reportId}/visits`, nthVisit(51), { "if-match": `"${rev}"` });
    expect([stale.status, stale.json.error.code]).toEqual([409, "VERSION_CONFLICT"]);
  });

  it("answers 500 (never 400 'fix these fields') for a stored report that does not parse, logging the cause", async () => {
    const anna = await api.signIn("anna.nowak@asystent.example.pl");
    const reportId = await newDraft(anna, "KR-AOU-004");
    // A fault in the data, not in the request: the stored item's visits are no longer a list.
    await documentClient().send(new UpdateCommand({ TableName: tableName(), Key: keys.reportCurrent(reportId), UpdateExpression: "SET visits = :broken", ExpressionAttributeValues: { ":broken": "broken" } }));
    const answer = await api.call(anna, "GET", `/api/reports/${reportId}`);
    expect([answer.status, answer.json.error.code]).toEqual([500, "INTERNAL"]);
    expect(answer.json.error.message).not.toMatch(/visits|Popraw pola|Fix these fields/);
    expect(logLines.some((line) => line.includes(`stored item REPORT#${reportId}|CURRENT does not parse: visits`)), logLines.slice(-5).join("\n")).toBe(true);
  });
});
