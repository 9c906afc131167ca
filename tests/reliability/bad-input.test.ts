import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateReportInput, ReportPatch, SignInRequest } from "../../functions/core/api-inputs.js";
import { DecisionInput } from "../../functions/core/approval.js";
import { warsawInstant } from "../../functions/core/calendar.js";
import { Signature, Visit } from "../../functions/core/report.js";
import { RoleGrant } from "../../functions/core/api-inputs.js";
import { BeneficiaryChange, NewBeneficiary } from "../../functions/core/beneficiary.js";
import { Person, PersonChange } from "../../functions/core/person.js";
import { Contract } from "../../functions/core/contract.js";
import { batchIdOf, newBatch } from "../../functions/core/batch.js";
import { createBatchIfAbsent, markBatchReady } from "../../functions/adapters/batches.js";
import { Programme, seedProgrammes } from "../../functions/core/programme.js";
import { apiClient, approvalLinkPattern } from "../integration/api-helpers.js";
import { brokenOf, deepJson, hostileSegment, hostileString, hugeString, malformedJson, validOf } from "../support/reliability/arbitraries.js";
import { cookieSecret, leaks, pool, secretsInMails, secretsInTable, snapshotDiff, startSuiteStack, tableSnapshot, type SuiteStack } from "../support/reliability/harness.js";

/**
 * Suite 1 of issue 8: thousands of broken requests against every route, signed in as the role
 * whose body actually gets parsed. Each answer must be a 4xx with a readable error (JSON routes:
 * `{ error: { code, message } }`; link pages: an HTML page), never a 5xx, and the table must be
 * exactly as it was before.
 */
const startAt = new Date(warsawInstant("2026-11-20", "10:00"));
const SEED = 20261120;
const sample = <T>(arb: fc.Arbitrary<T>, n: number, salt: number) => fc.sample(arb, { numRuns: n, seed: SEED + salt });

type Expect = "refused" | "any";
interface Attempt {
  route: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  expect: Expect;
  kind: "json" | "page";
}

let stack: SuiteStack;
let api: ReturnType<typeof apiClient>;
let anna = "";
let approver = "";
let centre = "";
let draftId = "";
let submittedId = "";
let approvalId = "";
let sig = "";
const figures = { inputs: 0, fiveXx: 0, accepted: 0, unreadable: 0, gateway: 0, dataChanges: -1, byRoute: new Map<string, number>() };
const problems: string[] = [];

beforeAll(async () => {
  stack = await startSuiteStack({ startAt });
  api = apiClient(stack);
  anna = await api.signIn("anna.nowak@asystent.example.pl");
  approver = await api.signIn("zatwierdzajacy@mops-krakow.example.pl");
  // the centre's administrator (issue 14): administers every programme, creates programmes
  const { createPerson } = await import("../../functions/adapters/people.js");
  await createPerson({ id: "p-centre-admin", email: "centrum@mops.example.pl", name: "Administrator centrum", centreAdmin: true });
  centre = await api.signIn("centrum@mops.example.pl");
  const at = startAt.toISOString();
  // The draft every edit route aims at: two visits, unsigned (so submit is refused by rule).
  const created = await api.call(anna, "POST", "/api/reports", { programmeId: "krakow-aou", month: "2026-11", beneficiaryCode: "KR-AOU-002" });
  draftId = created.json.report.id;
  expect((await api.call(anna, "POST", `/api/reports/${draftId}/visits`, api.visit("2026-11-03", "16:00", "18:00", { id: "v-keep" }))).status).toBe(201);
  expect((await api.call(anna, "POST", `/api/reports/${draftId}/visits`, api.visit("2026-11-05", "16:00", "17:00", { id: "v-keep2" }))).status).toBe(201);
  // A submitted report with its approval waiting: the decision routes aim at it.
  submittedId = await api.draftSigned(anna, "krakow-aou", "2026-11", "KR-AOU-003", [api.visit("2026-11-04", "16:00", "17:00")], at);
  expect((await api.call(anna, "POST", `/api/reports/${submittedId}/submit`)).status).toBe(200);
  const [mail] = await api.waitForMail("zatwierdzajacy@mops-krakow.example.pl", /KR-AOU-003/);
  const link = api.path(api.linkIn(mail, approvalLinkPattern));
  approvalId = link.match(/approve\/(a[0-9a-f]{24})/)![1];
  sig = decodeURIComponent(link.match(/sig=([^&]+)/)![1]);
  await stack.sfn.idle();
  // The one legitimate opening of the link (its audit note is idempotent within the hour).
  expect((await stack.request(link)).status).toBe(200);
  // An empty ready batch for the payment routes (issue 17).
  const batch = newBatch("krakow-aou", "2026-10", 1, at);
  await createBatchIfAbsent(batch);
  await markBatchReady(batch.batchId, { reports: 0, minutes: 0, grosze: 0 }, [], at);
});

afterAll(async () => {
  const routes = figures.byRoute.size;
  console.log(
    `bad-input: ${figures.inputs} inputs on ${routes} routes, ${figures.fiveXx} 5xx, ${figures.accepted} accepted, ${figures.unreadable} unreadable refusals, ${figures.dataChanges} data changes (gateway 404s: ${figures.gateway})`,
  );
  stack?.logs.release();
  await stack?.dispose();
});

const json = "application/json";
/** Percent-encodes any string, lone surrogates included (as their UTF-8 replacement bytes). */
const enc = (s: string) => [...Buffer.from(s, "utf8")].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`)).join("");
const bodyOf = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value));

/** The same bad JSON text for every route with a body: malformed, deep, 1 MB, wrong content type, not UTF-8. */
function rawBodies(route: string, method: string, path: string, cookie: string): Attempt[] {
  const out: Attempt[] = [];
  const add = (body: string | Buffer | undefined, type: string | undefined) =>
    out.push({ route, method, path, body, headers: { cookie, ...(type ? { "content-type": type } : {}) }, expect: "refused", kind: "json" });
  for (const text of sample(malformedJson, 14, 1)) add(text, json);
  for (const depth of [1_000, 10_000, 100_000]) for (const kind of ["array", "object"] as const) add(deepJson(depth, kind), json);
  add("x".repeat(1024 * 1024), json);
  add(JSON.stringify({ padding: "ż".repeat(400_000) }), json);
  add(JSON.stringify(Array.from({ length: 60_000 }, (_, i) => ({ i }))), json);
  add('{"a":1}', "text/plain");
  add('{"a":1}', "application/x-www-form-urlencoded");
  add('{"a":1}', undefined);
  add(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]), json);
  add(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), "application/octet-stream");
  return out;
}

/** Visits that break a rule of the domain although their shape is right. */
function domainBrokenVisits(forUpdate: boolean): fc.Arbitrary<Record<string, unknown>> {
  const day = fc.integer({ min: 2, max: 28 }).map((d) => `2026-11-${String(d).padStart(2, "0")}`);
  const hour = fc.integer({ min: 9, max: 17 });
  const base = (date: string, from: number, minutes: number, extra: Record<string, unknown> = {}) => {
    const start = warsawInstant(date, `${String(from).padStart(2, "0")}:00`);
    return { id: `bad-${date}-${from}-${minutes}`, date, start, end: new Date(Date.parse(start) + minutes * 60_000).toISOString(), scopeIds: ["t01-contacts"], mode: "in_person", ...extra };
  };
  const cases: fc.Arbitrary<Record<string, unknown>>[] = [
    // end before start, or zero / negative durations
    fc.tuple(day, hour, fc.integer({ min: -100_000, max: 0 })).map(([d, h, m]) => base(d, h, m)),
    // absurd durations: past the 8 h limit, across days, weeks
    fc.tuple(day, hour, fc.integer({ min: 8 * 60 + 1, max: 60 * 24 * 40 })).map(([d, h, m]) => base(d, h, m)),
    // another month (before, after, another year)
    fc.tuple(fc.constantFrom("2026-10-15", "2026-12-01", "2025-11-10", "2027-11-10", "2026-10-31"), hour).map(([d, h]) => base(d, h, 60)),
    // the date field disagrees with the start
    fc.tuple(day, hour).map(([d, h]) => ({ ...base(d, h, 60), date: d === "2026-11-02" ? "2026-11-03" : "2026-11-02" })),
    // start not on a whole minute
    fc.tuple(day, hour, fc.integer({ min: 1, max: 59 })).map(([d, h, s]) => {
      const v = base(d, h, 60);
      return { ...v, start: new Date(Date.parse(v.start as string) + s * 1000).toISOString() };
    }),
    // unknown scope, a mode that needs a justification without one
    fc.tuple(day, hour, fc.string({ minLength: 1, maxLength: 12 })).map(([d, h, s]) => base(d, h, 60, { scopeIds: [`zz-${s}`] })),
    fc.tuple(day, hour).map(([d, h]) => base(d, h, 60, { mode: "remote" })),
    // at night (Kraków allows no night visits)
    fc.tuple(day, fc.constantFrom(0, 1, 2, 3, 4, 5, 23)).map(([d, h]) => base(d, h, 45)),
    // 30 February and other impossible dates
    fc.constantFrom("2026-02-30", "2026-02-29", "2026-11-31", "2026-04-31", "2026-00-10", "2026-11-00").map((d) => ({ ...base("2026-11-10", 10, 60), date: d })),
    // overlapping the visit v-keep2 (5 November 16:00–17:00)
    fc.integer({ min: -50, max: 50 }).map((shift) => ({ ...base("2026-11-05", 16, 60), start: new Date(Date.parse(warsawInstant("2026-11-05", "16:00")) + shift * 60_000).toISOString(), end: new Date(Date.parse(warsawInstant("2026-11-05", "17:00")) + shift * 60_000).toISOString() })),
  ];
  return fc.oneof(...cases).map((v) => (forUpdate ? { ...v, id: undefined } : v));
}

function attempts(): Attempt[] {
  const out: Attempt[] = [];
  const push = (a: Omit<Attempt, "kind"> & { kind?: Attempt["kind"] }) => out.push({ kind: "json", ...a });
  const withBody = (route: string, method: string, path: string, cookie: string, values: unknown[], expectFor: (v: unknown) => Expect = () => "refused") => {
    for (const v of values) push({ route, method, path, body: bodyOf(v), headers: { cookie, "content-type": json }, expect: expectFor(v) });
    out.push(...rawBodies(route, method, path, cookie));
  };
  const r = `/api/reports/${draftId}`;

  // Sign-in: bodies the schema refuses, and the same with junk headers.
  withBody("POST /api/auth/link", "POST", "/api/auth/link", "", sample(brokenOf(SignInRequest), 400, 2));
  for (const token of sample(fc.oneof(hostileSegment, fc.base64String({ maxLength: 200 }), fc.string({ maxLength: 300 })), 300, 3)) {
    push({ route: "GET /api/auth/callback", method: "GET", path: `/api/auth/callback?token=${enc(token)}`, expect: "refused", kind: "page" });
  }
  push({ route: "GET /api/auth/callback", method: "GET", path: "/api/auth/callback", expect: "refused", kind: "page" });
  push({ route: "HEAD /api/auth/callback", method: "HEAD", path: `/api/auth/callback?token=${"x".repeat(43)}`, expect: "refused", kind: "page" });
  const tokenForm = { "content-type": "application/x-www-form-urlencoded" };
  for (const token of sample(fc.oneof(hostileSegment, fc.base64String({ maxLength: 200 }), fc.string({ maxLength: 300 })), 301, 3)) {
    push({ route: "POST /api/auth/callback", method: "POST", path: "/api/auth/callback", body: `token=${enc(token)}`, headers: tokenForm, expect: "refused", kind: "page" });
  }
  for (const body of ["", "token", "token=&token=", "%E0%A4%A", JSON.stringify({ token: "x".repeat(43) }), `token=${"A".repeat(5000)}`]) {
    push({ route: "POST /api/auth/callback", method: "POST", path: "/api/auth/callback", body, headers: tokenForm, expect: "refused", kind: "page" });
  }

  // Junk cookies on every signed-in route: never a 5xx, always 401.
  const junkCookies = sample(
    fc.oneof(
      fc.constantFrom("karta_session=%E0%A4%A", "karta_session=%", "karta_session=", "karta_session", "=x", ";;;", "karta_session=a; karta_session=b", `karta_session=${"A".repeat(5000)}`),
      fc.string({ maxLength: 60 }).map((s) => `karta_session=${enc(s)}`),
      fc.stringMatching(/^[A-Za-z0-9_-]{43}$/).map((s) => `karta_session=${s}`),
    ),
    120,
    4,
  );
  const signedInGets = ["/api/me", "/api/orders", "/api/reports", r, `${r}/versions`, `${r}/audit`, "/api/approvals"];
  junkCookies.forEach((cookie, i) => {
    const path = signedInGets[i % signedInGets.length];
    push({ route: `GET ${path.replace(draftId, "{reportId}")}`, method: "GET", path, headers: { cookie }, expect: "refused" });
  });
  for (const cookie of junkCookies.slice(0, 60)) push({ route: "POST /api/auth/logout", method: "POST", path: "/api/auth/logout", headers: { cookie }, expect: "any" });

  // Queries: months that are not YYYY-MM.
  const badMonths = sample(fc.oneof(hostileString, fc.constantFrom("2026-13", "2026-00", "26-11", "2026-1", "2026-11-01", "listopad", "2026/11", "-2026-11", "9999-99"), fc.string({ maxLength: 20 })).filter((m) => !/^\d{4}-(0[1-9]|1[0-2])$/.test(m) && m !== ""), 450, 5);
  badMonths.forEach((m, i) => {
    const [path, cookie] = [["/api/orders", anna], ["/api/reports", anna], ["/api/approvals", approver]][i % 3] as [string, string];
    push({ route: `GET ${path}`, method: "GET", path: `${path}?month=${enc(m)}`, headers: { cookie }, expect: "refused" });
  });
  // Junk Accept-Language and lang: answered (read-only), never a 5xx.
  for (const lang of sample(fc.oneof(hostileString, fc.string({ maxLength: 40 })), 100, 6)) {
    push({ route: "GET /api/me", method: "GET", path: `/api/me?lang=${enc(lang)}`, headers: { cookie: anna, "accept-language": lang.replace(/[^\x20-\x7e]/g, "") }, expect: "any" });
  }

  // Creating reports.
  withBody("POST /api/reports", "POST", "/api/reports", anna, sample(brokenOf(CreateReportInput), 400, 7));
  for (const code of sample(fc.stringMatching(/^KR-AOU-(0[2-9][0-9]|[1-9][0-9]{2})$/), 40, 8)) {
    // The shape is right but there is no such service order (or it is someone else's): refused, nothing created.
    push({ route: "POST /api/reports", method: "POST", path: "/api/reports", body: bodyOf({ programmeId: "krakow-aou", month: "2026-11", beneficiaryCode: code }), headers: { cookie: anna, "content-type": json }, expect: code <= "KR-AOU-006" ? "any" : "refused" });
  }
  for (const body of [{ programmeId: "wroclaw-ao", month: "2026-11", beneficiaryCode: "WR-AO-001" }, { programmeId: "krakow-aou", month: "2026-02", beneficiaryCode: "KR-AOU-001" }, { programmeId: "nope-nope", month: "2026-11", beneficiaryCode: "KR-AOU-001" }]) {
    push({ route: "POST /api/reports", method: "POST", path: "/api/reports", body: bodyOf(body), headers: { cookie: anna, "content-type": json }, expect: "refused" });
  }

  // Unknown, odd and foreign report ids on every report route.
  const ids = sample(hostileSegment, 300, 9);
  const idRoutes: [string, string, (id: string) => string, unknown?][] = [
    ["GET /api/reports/{reportId}", "GET", (id) => `/api/reports/${id}`],
    ["GET /api/reports/{reportId}/versions", "GET", (id) => `/api/reports/${id}/versions`],
    ["GET /api/reports/{reportId}/audit", "GET", (id) => `/api/reports/${id}/audit`],
    ["PATCH /api/reports/{reportId}", "PATCH", (id) => `/api/reports/${id}`, { overOrderExplanation: "x" }],
    ["POST /api/reports/{reportId}/visits", "POST", (id) => `/api/reports/${id}/visits`, api.visit("2026-11-12", "16:00", "17:00")],
    ["PUT /api/reports/{reportId}/visits/{visitId}", "PUT", (id) => `/api/reports/${id}/visits/v-keep`, api.visit("2026-11-12", "16:00", "17:00")],
    ["DELETE /api/reports/{reportId}/visits/{visitId}", "DELETE", (id) => `/api/reports/${id}/visits/v-keep`],
    ["POST /api/reports/{reportId}/submit", "POST", (id) => `/api/reports/${id}/submit`],
    ["PUT /api/reports/{reportId}/signatures/{role}", "PUT", (id) => `/api/reports/${id}/signatures/assistant`, { signer: "A", signedAt: startAt.toISOString(), evidence: "drawn", imageDataUrl: "data:image/png;base64,AAAA", contentHash: "0".repeat(64) }],
  ];
  ids.forEach((id, i) => {
    const [route, method, path, body] = idRoutes[i % idRoutes.length];
    push({ route, method, path: path(id), body: bodyOf(body), headers: { cookie: anna, ...(body ? { "content-type": json } : {}) }, expect: "refused" });
  });

  // The draft's explanation.
  withBody("PATCH /api/reports/{reportId}", "PATCH", r, anna, sample(brokenOf(ReportPatch), 400, 10));

  // Visits: broken shapes, then right shapes that break a rule.
  const addable = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v) ? { ...(v as object), id: (v as { id?: unknown }).id ?? "server-id" } : v;
  const brokenVisits = sample(brokenOf(Visit).filter((v) => !Visit.safeParse(addable(v)).success), 450, 11);
  withBody("POST /api/reports/{reportId}/visits", "POST", `${r}/visits`, anna, [...brokenVisits, ...sample(domainBrokenVisits(false), 350, 12)]);
  const replaceable = sample(brokenOf(Visit).filter((v) => v !== null && typeof v === "object" && !Array.isArray(v) && !Visit.safeParse({ ...(v as object), id: "v-keep" }).success), 300, 13);
  withBody("PUT /api/reports/{reportId}/visits/{visitId}", "PUT", `${r}/visits/v-keep`, anna, [...replaceable, ...sample(domainBrokenVisits(true), 250, 14)]);
  for (const visitId of sample(hostileSegment.filter((s) => s !== "v-keep" && s !== "v-keep2"), 150, 15)) {
    push({ route: "DELETE /api/reports/{reportId}/visits/{visitId}", method: "DELETE", path: `${r}/visits/${visitId}`, headers: { cookie: anna }, expect: "refused" });
  }

  // Signatures: broken shapes, a role that does not exist, a content hash that is not the report's.
  const asSigned = (v: unknown) => (v !== null && typeof v === "object" && !Array.isArray(v) ? { ...(v as object), role: "assistant" } : v);
  const brokenSignatures = sample(brokenOf(Signature).filter((v) => !Signature.safeParse(asSigned(v)).success), 300, 16);
  withBody("PUT /api/reports/{reportId}/signatures/{role}", "PUT", `${r}/signatures/assistant`, anna, brokenSignatures);
  for (const v of sample(validOf(Signature), 100, 17)) {
    push({ route: "PUT /api/reports/{reportId}/signatures/{role}", method: "PUT", path: `${r}/signatures/beneficiary`, body: bodyOf(v), headers: { cookie: anna, "content-type": json }, expect: "refused" });
  }
  for (const role of sample(hostileSegment.filter((s) => s !== "assistant" && s !== "beneficiary"), 60, 18)) {
    push({ route: "PUT /api/reports/{reportId}/signatures/{role}", method: "PUT", path: `${r}/signatures/${role}`, body: bodyOf({ signer: "A", signedAt: startAt.toISOString(), evidence: "drawn", imageDataUrl: "data:image/png;base64,AAAA", contentHash: "0".repeat(64) }), headers: { cookie: anna, "content-type": json }, expect: "refused" });
  }

  // Submitting an unsigned draft, with junk If-Match.
  for (const ifMatch of sample(fc.oneof(hostileString.map((s) => s.replace(/[^\x20-\x7e]/g, "")), fc.integer().map(String), fc.constant("")), 120, 19)) {
    push({ route: "POST /api/reports/{reportId}/submit", method: "POST", path: `${r}/submit`, headers: { cookie: anna, ...(ifMatch ? { "if-match": ifMatch } : {}) }, expect: "refused" });
  }
  // Edits with a stale or junk If-Match (the content itself is fine): refused, nothing saved.
  for (const ifMatch of sample(fc.oneof(fc.integer({ min: 100, max: 1e6 }).map(String), fc.constantFrom('"0"', "W/\"999\"", "abc")), 60, 20)) {
    push({ route: "PATCH /api/reports/{reportId}", method: "PATCH", path: r, body: bodyOf({ overOrderExplanation: "Zmiana przy nieaktualnej wersji" }), headers: { cookie: anna, "content-type": json, "if-match": ifMatch }, expect: "refused" });
  }

  // Decisions from the web app: broken shapes, a return without a reason, unknown approval ids.
  const approvals = `/api/approvals/${approvalId}/decision`;
  withBody("POST /api/approvals/{approvalId}/decision", "POST", approvals, approver, [...sample(brokenOf(DecisionInput), 350, 21), { outcome: "return" }, { outcome: "return", reason: "   " }, { outcome: "return", reason: "" }]);
  for (const id of sample(hostileSegment, 100, 22)) {
    push({ route: "POST /api/approvals/{approvalId}/decision", method: "POST", path: `/api/approvals/${id}/decision`, body: bodyOf({ outcome: "approve" }), headers: { cookie: approver, "content-type": json }, expect: "refused" });
  }

  // Approval links: junk signatures and ids for GET/HEAD/POST; the right signature with a broken form.
  const badSigs = sample(fc.oneof(hostileSegment, fc.base64String({ minLength: 44, maxLength: 44 }), fc.constant(sig.slice(0, -1)), fc.constant(sig + "A"), fc.constant(sig.toUpperCase())).filter((s) => s !== sig), 240, 23);
  const badIds = sample(fc.oneof(hostileSegment, fc.stringMatching(/^a[0-9a-f]{24}$/)).filter((s) => s !== approvalId && !/^(\.\.|%2e%2e)$/i.test(s)), 120, 24);
  badSigs.forEach((s, i) => {
    const method = ["GET", "HEAD", "POST"][i % 3];
    push({ route: `${method} /approve/{approvalId}`, method, path: `/approve/${approvalId}?sig=${enc(s)}`, ...(method === "POST" ? { body: "outcome=approve", headers: { "content-type": "application/x-www-form-urlencoded" } } : {}), expect: "refused", kind: "page" });
  });
  badIds.forEach((id, i) => {
    const method = ["GET", "HEAD", "POST"][i % 3];
    push({ route: `${method} /approve/{approvalId}`, method, path: `/approve/${id}?sig=${enc(sig)}`, ...(method === "POST" ? { body: "outcome=approve", headers: { "content-type": "application/x-www-form-urlencoded" } } : {}), expect: "refused", kind: "page" });
  });
  const badForms = sample(
    fc.oneof(
      fc.record({ outcome: fc.oneof(hostileString, fc.constantFrom("", "APPROVE", "approved", "yes", "return ", "reject")).filter((o) => o !== "approve" && o !== "return"), reason: fc.option(hostileString, { nil: undefined }) }).map((f) => new URLSearchParams(Object.entries(f).filter(([, v]) => v !== undefined) as [string, string][]).toString()),
      fc.constantFrom("outcome=return", "outcome=return&reason=", "outcome=return&reason=%20%20", "reason=ok", "", "%%%", "outcome=%E0%A4%A", "outcome=approve&outcome=return", "=&=&="),
      hugeString,
    ),
    240,
    25,
  );
  for (const form of badForms) {
    push({ route: "POST /approve/{approvalId}", method: "POST", path: `/approve/${approvalId}?sig=${enc(sig)}`, body: form, headers: { "content-type": "application/x-www-form-urlencoded" }, expect: form === "outcome=approve&outcome=return" ? "any" : "refused", kind: "page" });
  }
  // Administration (issue 14), as the centre's administrator: every programme field broken in
  // turn, broken people, roles and beneficiaries, and right shapes that break a rule.
  const krakow = { ...seedProgrammes[0] } as Record<string, unknown>;
  const wrongValues: unknown[] = [null, "x", -1, 0, 1.5, [], {}, true, "ż".repeat(300)];
  const brokenProgrammes = Object.keys(krakow)
    .flatMap((field) => wrongValues.map((value) => ({ ...krakow, [field]: value })))
    .filter((p) => !Programme.safeParse(p).success);
  const startsLater = { ...krakow, rates: [{ from: "2027-06-01", rateGrosze: 9600 }] };
  const ruleBreaking = [
    { ...krakow, approverIds: ["p-nobody"] },
    { ...krakow, deputyApproverId: "p-krakow-approver" },
    startsLater, // November and December left without a rate (a new programme may start later)
    { ...krakow, rates: [{ from: "2025-09-01", rateGrosze: 1000 }] }, // below the statutory minimum
    { ...krakow, scopeCategories: [] },
    { ...krakow, financeEmails: ["not an address"] },
  ];
  const newProgramme = (p: Record<string, unknown>) => ({ ...p, id: "bad-new-programme" });
  withBody("POST /api/programmes", "POST", "/api/programmes", centre, [...brokenProgrammes.map(newProgramme).filter((p) => !Programme.safeParse(p).success), ...ruleBreaking.filter((p) => p !== startsLater).map(newProgramme)]);
  withBody("PUT /api/programmes/{programmeId}", "PUT", "/api/programmes/krakow-aou", centre, [...brokenProgrammes.filter((p) => p.id === "krakow-aou"), ...ruleBreaking]);
  withBody("POST /api/people", "POST", "/api/people", centre, [...sample(brokenOf(Person), 200, 26), { id: "p-dup", email: "anna.nowak@asystent.example.pl", name: "Anna", roles: [] }, { id: "p-anna-nowak", email: "inna@example.pl", name: "Anna", roles: [] }]);
  withBody("PATCH /api/people/{personId}", "PATCH", "/api/people/p-anna-nowak", centre, [...sample(brokenOf(PersonChange), 200, 27), { email: "piotr.kowalski@asystent.example.pl" }, { bankAccount: "PL00 1234" }]);
  withBody("POST /api/people/{personId}/roles", "POST", "/api/people/p-anna-nowak/roles", centre, [...sample(brokenOf(RoleGrant), 150, 28), { programmeId: "nope-nope", role: "assistant" }]);
  // Contracts: broken shapes, then right shapes that break a rule (a bad account checksum, a
  // foreign IBAN, an overlap with the demo contract, a move to a programme the person is not an
  // assistant in, a stale If-Match), unknown people.
  const declarations = { studentUnder26: false, otherEmploymentAtMinimumWage: false, pit2: true, voluntarySickness: false, ppk: false };
  const contract = { number: "AOU/2099/001", programmeId: "krakow-aou", from: "2028-01-01", to: "2028-12-31", bankAccount: "PL61 1090 1014 0000 0712 1981 2874", declarations };
  const contracts = "/api/people/p-anna-nowak/contracts";
  withBody("PUT /api/people/{personId}/contracts", "PUT", contracts, centre, [
    ...sample(brokenOf(Contract), 300, 35),
    { ...contract, bankAccount: "PL61 1090 1014 0000 0712 1981 2875" },
    { ...contract, bankAccount: "DE89370400440532013000" },
    { ...contract, bankAccount: "61 1090 1014 0000 0712 1981 287" },
    { ...contract, to: "2027-12-31" },
    { ...contract, from: "2027-06-01" }, // overlaps AOU/2025/001 (to 2027-12-31)
    { ...contract, number: "AOU/2025/001", programmeId: "wroclaw-ao" },
    { ...contract, declarations: { ...declarations, studentUnder26: true } },
    { ...contract, declarations: { ...declarations, pesel: "90010112345" } },
  ]);
  push({ route: "PUT /api/people/{personId}/contracts", method: "PUT", path: "/api/people/p-krakow-coordinator/contracts", body: bodyOf(contract), headers: { cookie: centre, "content-type": json }, expect: "refused" });
  for (const ifMatch of ['"0"', '"7"', "W/\"99\"", "abc"]) {
    push({ route: "PUT /api/people/{personId}/contracts", method: "PUT", path: contracts, body: bodyOf(contract), headers: { cookie: centre, "content-type": json, "if-match": ifMatch }, expect: "refused" });
  }
  for (const [i, id] of sample(hostileSegment, 90, 36).entries()) {
    const [route, method, path] = [
      ["PUT /api/people/{personId}/contracts", "PUT", `/api/people/${id}/contracts`],
      ["GET /api/people/{personId}/contracts", "GET", `/api/people/${id}/contracts`],
      ["GET /api/people/{personId}/contracts/versions", "GET", `/api/people/${id}/contracts/versions`],
    ][i % 3]!;
    push({ route, method, path, ...(method === "PUT" ? { body: bodyOf(contract) } : {}), headers: { cookie: centre, ...(method === "PUT" ? { "content-type": json } : {}) }, expect: "refused" });
  }
  for (const id of sample(hostileSegment.filter((p) => p !== "krakow-aou" && p !== "wroclaw-ao"), 30, 37)) {
    push({ route: "GET /api/programmes/{programmeId}/contracts/ending", method: "GET", path: `/api/programmes/${id}/contracts/ending`, headers: { cookie: anna }, expect: "refused" });
  }
  for (const id of sample(hostileSegment, 60, 29)) {
    push({ route: "PATCH /api/people/{personId}", method: "PATCH", path: `/api/people/${id}`, body: bodyOf({ name: "X" }), headers: { cookie: centre, "content-type": json }, expect: "refused" });
  }
  // Taking a role away: hostile people, programmes and roles, and a role the programme still needs — refused, nothing removed.
  for (const [i, seg] of sample(hostileSegment, 90, 41).entries()) {
    const path = [`/api/people/${seg}/roles/krakow-aou/assistant`, `/api/people/p-krakow-finance/roles/${seg}/finance`, `/api/people/p-krakow-finance/roles/krakow-aou/${seg}`][i % 3];
    if (i % 3 === 2 && ["finance", "assistant", "approver", "coordinator", "admin"].includes(seg)) continue;
    push({ route: "DELETE /api/people/{personId}/roles/{programmeId}/{role}", method: "DELETE", path, headers: { cookie: centre }, expect: "refused" });
  }
  for (const [person, role] of [["p-krakow-approver", "approver"], ["p-krakow-deputy", "approver"], ["p-krakow-coordinator", "coordinator"], ["p-anna-nowak", "assistant"], ["p-anna-nowak", "finance"]]) {
    push({ route: "DELETE /api/people/{personId}/roles/{programmeId}/{role}", method: "DELETE", path: `/api/people/${person}/roles/krakow-aou/${role}`, headers: { cookie: centre }, expect: "refused" });
  }
  // Issue 17: the payment routes of a batch — unknown or hostile batch ids, unknown files, days that are not dates: refused, nothing generated or audited.
  const payBatch = batchIdOf("krakow-aou", "2026-10", 1);
  for (const [i, id] of sample(hostileSegment.filter((b) => b !== payBatch), 80, 38).entries()) {
    const path = i % 2 ? `/api/batches/${id}/payroll` : `/api/batches/${id}/payments/payroll.csv`;
    push({ route: i % 2 ? "GET /api/batches/{batchId}/payroll" : "GET /api/batches/{batchId}/payments/{file}", method: "GET", path, headers: { cookie: centre }, expect: "refused" });
  }
  for (const name of sample(hostileSegment.filter((f) => !["transfers.pli", "transfers.csv", "payroll.csv", "payroll.xlsx"].includes(f)), 60, 39)) {
    push({ route: "GET /api/batches/{batchId}/payments/{file}", method: "GET", path: `/api/batches/${payBatch}/payments/${name}`, headers: { cookie: centre }, expect: "refused" });
  }
  const badDays = sample(fc.oneof(hostileString, fc.constantFrom("2026-02-30", "2026-13-01", "10.12.2026", "2026-12-1", "20261210", "-1"), fc.string({ maxLength: 20 })).filter((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) && d !== ""), 60, 40);
  badDays.forEach((day, i) => {
    const [route, path] = i % 2 ? ["GET /api/batches/{batchId}/payroll", `/api/batches/${payBatch}/payroll`] : ["GET /api/batches/{batchId}/payments/{file}", `/api/batches/${payBatch}/payments/payroll.xlsx`];
    push({ route, method: "GET", path: `${path}?day=${enc(day)}`, headers: { cookie: centre }, expect: "refused" });
  });
  // A person's data export (GDPR art. 15) of a malformed or unknown person: refused before anything is read or recorded.
  for (const id of sample(hostileSegment, 60, 34)) {
    push({ route: "GET /api/people/{personId}/data-export", method: "GET", path: `/api/people/${id}/data-export`, headers: { cookie: centre }, expect: "refused" });
  }
  withBody("POST /api/programmes/{programmeId}/beneficiaries", "POST", "/api/programmes/krakow-aou/beneficiaries", centre, [...sample(brokenOf(NewBeneficiary), 200, 30), { code: "KR-AOU-001", initials: "A.K." }, { code: "KR-AOU-900", initials: "A.K.", pesel: "90010112345" }]);
  withBody("PATCH /api/programmes/{programmeId}/beneficiaries/{code}", "PATCH", "/api/programmes/krakow-aou/beneficiaries/KR-AOU-001", centre, sample(brokenOf(BeneficiaryChange), 150, 31));
  for (const code of sample(hostileSegment.filter((c) => !/^kr-aou-0[0-2][0-9]$/i.test(c)), 60, 32)) {
    push({ route: "PATCH /api/programmes/{programmeId}/beneficiaries/{code}", method: "PATCH", path: `/api/programmes/krakow-aou/beneficiaries/${code}`, body: bodyOf({ active: true }), headers: { cookie: centre, "content-type": json }, expect: "refused" });
  }
  const badRegisters = [
    ...sample(fc.oneof(hostileString, fc.string({ maxLength: 200 })), 80, 33),
    "kod uczestnika;inicjały\n",
    "kod;inicjały\nKR-AOU-001;A.K.\n", // already in the programme
    "kod;inicjały\nKR-AOU-901;A.K.\nKR-AOU-901;B.K.\n", // a repeated code
    "kod;inicjały\nKR-AOU-902;Anna Kowalska\n", // a name, not initials
    "kod;imię\nKR-AOU-903;A.K.\n", // no initials column
  ];
  for (const body of badRegisters) {
    push({ route: "POST /api/programmes/{programmeId}/beneficiaries/import", method: "POST", path: "/api/programmes/krakow-aou/beneficiaries/import", body, headers: { cookie: centre, "content-type": "text/csv" }, expect: "refused" });
  }
  push({ route: "POST /api/programmes/{programmeId}/beneficiaries/import", method: "POST", path: "/api/programmes/krakow-aou/beneficiaries/import", body: '{"a":1}', headers: { cookie: centre, "content-type": json }, expect: "refused" });
  return out;
}

describe("bad input on every route", () => {
  it("answers every broken request with a readable 4xx, never a 5xx, and changes no stored data", { timeout: 240_000 }, async () => {
    const before = await tableSnapshot();
    const executionsBefore = JSON.stringify(stack.sfn.stats());
    const all = attempts();
    await pool(all, 8, async (a) => {
      let res: Response;
      try {
        res = await stack.request(a.path, { method: a.method, headers: a.headers, body: a.method === "GET" || a.method === "HEAD" ? undefined : (a.body as BodyInit | undefined) });
      } catch (error) {
        figures.fiveXx++;
        problems.push(`${a.route}: no answer (${(error as Error).message})`);
        return;
      }
      const text = await res.text();
      figures.inputs++;
      figures.byRoute.set(a.route, (figures.byRoute.get(a.route) ?? 0) + 1);
      const show = () => `${a.method} ${a.path.slice(0, 120)} ${String(a.body ?? "").slice(0, 120)} → ${res.status} ${text.slice(0, 200)}`;
      if (res.status >= 500) {
        figures.fiveXx++;
        problems.push(`5xx: ${show()}`);
        return;
      }
      if (res.status < 400) {
        if (a.expect === "refused") {
          figures.accepted++;
          problems.push(`accepted: ${show()}`);
        }
        return;
      }
      if (a.kind === "page") {
        const readable = a.method === "HEAD" || (/text\/html/.test(res.headers.get("content-type") ?? "") && text.length > 100);
        if (!readable) {
          figures.unreadable++;
          problems.push(`unreadable page: ${show()}`);
        }
        return;
      }
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      if (res.status === 404 && body && typeof body.message === "string" && !body.error) {
        // The gateway's own answer for a path no route matches (as API Gateway answers).
        figures.gateway++;
        return;
      }
      if (!(typeof body?.error?.code === "string" && typeof body.error.message === "string" && body.error.message.length >= 10)) {
        figures.unreadable++;
        problems.push(`unreadable: ${show()}`);
      }
    });
    await stack.sfn.idle();
    const diff = snapshotDiff(before, await tableSnapshot());
    figures.dataChanges = diff.count;
    if (diff.count) problems.push(`data changed: +${diff.added.slice(0, 5)} -${diff.removed.slice(0, 5)} ~${diff.changed.slice(0, 5)}`);

    expect(problems.slice(0, 30)).toEqual([]);
    expect(figures.inputs).toBeGreaterThanOrEqual(5_000);
    expect(figures.fiveXx).toBe(0);
    expect(diff.count).toBe(0);
    expect(JSON.stringify(stack.sfn.stats())).toBe(executionsBefore);
  });

  it("wrote no sign-in token, session, approval signature, task token or beneficiary initials to the logs", async () => {
    const secrets = [...(await secretsInTable()), ...secretsInMails(await stack.inbox()), cookieSecret(anna), cookieSecret(approver), { kind: "approval signature", value: sig }];
    expect(secrets.length).toBeGreaterThan(10);
    expect(leaks(stack.logs.lines, secrets)).toEqual([]);
  });
});
