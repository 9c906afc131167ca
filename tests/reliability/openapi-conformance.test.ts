import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { createGeneratorSync } from "json-schema-faker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import { apiClient, approvalLinkPattern } from "../integration/api-helpers.js";
import { startSuiteStack, type SuiteStack } from "../support/reliability/harness.js";

/**
 * Issue 18: the OpenAPI document as a client the project did not write reads it. What
 * schemathesis's default checks check (schemathesis itself cannot be installed here), driven by
 * the document the running stack serves: for every operation, requests generated from its
 * schemas (json-schema-faker) and broken on purpose, as an approver, a coordinator, the
 * programme's administrator and anonymous; every answer checked for
 *  - not_a_server_error: no 5xx;
 *  - status_code_conformance: the status is documented for the operation;
 *  - content_type_conformance: the Content-Type is one documented for that status;
 *  - response_schema_conformance: a JSON body validates against the documented schema (ajv);
 *  - negative_data_rejection: a request that breaks the document is never answered 2xx;
 *  - unsupported_method: a method the path does not document answers 405 with Allow.
 * KARTA_CONFORMANCE_FULL=1 generates five times as many requests per operation.
 */
const startAt = new Date(warsawInstant("2026-11-20", "10:00"));
const full = Boolean(process.env.KARTA_CONFORMANCE_FULL);
const positivePerOperation = full ? 25 : 5;
const roles = ["approver", "coordinator", "admin", "anonymous"];

type Schema = Record<string, any>;
type Operation = { method: string; path: string; op: Schema };
type Case = { operation: Operation; role: string; negative?: string; path: string; query: URLSearchParams; headers: Record<string, string>; body?: string };

let stack: SuiteStack;
let doc: Schema;
const cookies: Record<string, string | undefined> = { anonymous: undefined };
const known: Record<string, string[]> = {
  programmeId: ["krakow-aou", "wroclaw-ao"],
  personId: ["p-anna-nowak", "p-krakow-coordinator"],
  month: ["2026-11", "2026-10"],
  from: ["2026-09"],
  to: ["2026-11"],
  code: ["KR-AOU-001"],
  beneficiaryCode: ["KR-AOU-005"],
  assistantId: ["p-anna-nowak"],
  role: [],
};
const figures = { calls: 0, negative: 0, failures: 0, byCheck: new Map<string, number>(), byStatus: new Map<number, number>() };
const failures: string[] = [];

beforeAll(async () => {
  stack = await startSuiteStack({ startAt });
  const api = apiClient(stack);
  cookies.approver = await api.signIn("zatwierdzajacy@mops-krakow.example.pl");
  cookies.coordinator = await api.signIn("koordynator@mops-krakow.example.pl");
  // beyond schemathesis's run: the programme's administrator passes the role checks of most writes, so their bodies are checked
  cookies.admin = await api.signIn("admin@mops-krakow.example.pl");
  // A report and its approval, so that generated requests also reach the answers of real ids.
  const anna = await api.signIn("anna.nowak@asystent.example.pl");
  const reportId = await api.draftSigned(anna, "krakow-aou", "2026-11", "KR-AOU-002", [api.visit("2026-11-02", "16:00", "17:00")], startAt.toISOString());
  expect((await api.call(anna, "POST", `/api/reports/${reportId}/submit`)).status).toBe(200);
  const [mail] = await api.waitForMail("zatwierdzajacy@mops-krakow.example.pl", /sprawozdanie KR-AOU-002 /);
  const link = new URL(api.linkIn(mail, approvalLinkPattern));
  known.reportId = [reportId];
  known.approvalId = [link.pathname.split("/").pop()!];
  known.sig = [link.searchParams.get("sig")!];
  known.visitId = [(await api.call(anna, "GET", `/api/reports/${reportId}`)).json.report.visits[0].id];
  const served = await stack.request("/api/openapi.json");
  expect(served.status).toBe(200);
  doc = await served.json();
}, 180_000);
afterAll(async () => {
  stack?.logs.release();
  await stack?.dispose();
});

/** The schema with every local $ref replaced by what it points to. */
function deref(schema: unknown, seen: string[] = []): any {
  if (Array.isArray(schema)) return schema.map((s) => deref(s, seen));
  if (!schema || typeof schema !== "object") return schema;
  const ref = (schema as Schema).$ref;
  if (typeof ref === "string") {
    if (seen.includes(ref)) return {};
    const target = ref.replace(/^#\//, "").split("/").reduce((node: any, key) => node?.[key], doc);
    return deref(target, [...seen, ref]);
  }
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, deref(v, seen)]));
}

const generator = createGeneratorSync({ seed: 18, optionalsProbability: 0.5, maxDefaultItems: 3 });
const generate = (schema: Schema): unknown => generator.generate(schema as never);

let seed = 0;
const pick = <T>(values: T[]): T => values[seed++ % values.length];
/** A value of a parameter: a known id of the seeded stack half of the time, else one generated from its schema. */
const valueOf = (name: string, schema: Schema) => (known[name]?.length && seed++ % 2 === 0 ? pick(known[name]) : String(generate(schema)));

function operations(): Operation[] {
  return Object.entries(doc.paths as Record<string, Schema>).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op: deref(op) })));
}

function bodySchema(op: Schema): { type: string; schema: Schema } | undefined {
  const content = op.requestBody?.content as Record<string, { schema: Schema }> | undefined;
  if (!content) return undefined;
  const [type, { schema }] = Object.entries(content)[0];
  return { type, schema };
}

function encodeBody(type: string, value: unknown): string {
  if (type === "application/x-www-form-urlencoded") return new URLSearchParams(Object.entries((value ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)])).toString();
  if (type === "application/json") return JSON.stringify(value);
  return String(value ?? "");
}

/** A request that follows the document: every required parameter, optional ones now and then, a generated body. */
function positive(operation: Operation, role: string): Case {
  const query = new URLSearchParams();
  const headers: Record<string, string> = cookies[role] ? { cookie: cookies[role]! } : {};
  let path = operation.path;
  for (const p of operation.op.parameters ?? []) {
    if (!p.required && seed++ % 2) continue;
    const value = p.name === "If-Match" ? String(seed % 3) : valueOf(p.name, p.schema);
    if (p.in === "path") path = path.replace(`{${p.name}}`, encodeURIComponent(value));
    else if (p.in === "query") query.set(p.name, value);
    else headers[p.name.toLowerCase()] = value;
  }
  const body = bodySchema(operation.op);
  if (!body) return { operation, role, path, query, headers };
  let value = generate(body.schema);
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const key of Object.keys(value)) if (known[key]?.length && seed++ % 2) (value as Record<string, unknown>)[key] = pick(known[key]);
  }
  if (body.schema.contentEncoding === "binary") value = "kod uczestnika;inicjały\nKR-AOU-099;A.B.";
  return { operation, role, path, query, headers: { ...headers, "content-type": body.type }, body: encodeBody(body.type, value) };
}

const wrongValue = (schema: Schema): unknown => {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  return type === "string" ? 12345 : type === "array" ? "not an array" : type === "object" ? ["not", "an", "object"] : "not a number or boolean";
};

/** Requests that break the document, each one way: what a conforming API must refuse (never 2xx). */
function negatives(operation: Operation, role: string): Case[] {
  const out: Case[] = [];
  const base = () => positive(operation, role);
  const params: Schema[] = operation.op.parameters ?? [];
  for (const p of params.filter((p) => p.in === "path")) {
    const c = base();
    c.path = operation.path.replace(/\{[^}]+\}/g, (m) => (m === `{${p.name}}` ? "x".repeat(p.schema.maxLength + 1) : encodeURIComponent(valueOf(m.slice(1, -1), {}) || "x1")));
    out.push({ ...c, negative: `path ${p.name} over maxLength` });
  }
  for (const p of params.filter((p) => p.in === "query" && p.schema.pattern)) {
    const c = base();
    c.query.set(p.name, "!!" + "9".repeat(12));
    out.push({ ...c, negative: `query ${p.name} not matching its pattern` });
  }
  for (const p of params.filter((p) => p.in === "query" && p.required)) {
    const c = base();
    c.query.delete(p.name);
    out.push({ ...c, negative: `query ${p.name} missing` });
  }
  const body = bodySchema(operation.op);
  if (body?.type === "application/json" && body.schema.type === "object") {
    const valid = () => JSON.parse(base().body ?? "{}");
    out.push({ ...base(), body: JSON.stringify(["an", "array"]), negative: "body of the wrong type" });
    for (const name of body.schema.required ?? []) {
      const without = valid();
      delete without[name];
      out.push({ ...base(), body: JSON.stringify(without), negative: `body without required ${name}` });
    }
    for (const [name, schema] of Object.entries(body.schema.properties ?? {}) as [string, Schema][]) {
      if (!schema.type) continue;
      out.push({ ...base(), body: JSON.stringify({ ...valid(), [name]: wrongValue(schema) }), negative: `body ${name} of the wrong type` });
      if (schema.type === "string" && typeof schema.maxLength === "number") out.push({ ...base(), body: JSON.stringify({ ...valid(), [name]: "ż".repeat(schema.maxLength + 1) }), negative: `body ${name} over maxLength` });
    }
  }
  if (body?.type === "application/x-www-form-urlencoded") out.push({ ...base(), headers: { ...base().headers, "content-type": "text/plain" }, negative: "form sent as text/plain" });
  return out;
}

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
const validators = new Map<Schema, ReturnType<typeof ajv.compile>>();
const validatorOf = (schema: Schema) => validators.get(schema) ?? validators.set(schema, ajv.compile(schema)).get(schema)!;

function fail(check: string, c: Case, res: Response, detail = "") {
  figures.failures++;
  figures.byCheck.set(check, (figures.byCheck.get(check) ?? 0) + 1);
  if (failures.length < 60) failures.push(`${check}: ${c.role} ${c.operation.method} ${c.path.slice(0, 90)}${c.negative ? ` [${c.negative}]` : ""} → ${res.status} ${detail}`.slice(0, 400));
}

async function run(c: Case) {
  const url = `${c.path}${c.query.size ? `?${c.query}` : ""}`;
  const res = await stack.request(url, { method: c.operation.method, headers: c.headers, body: c.body });
  const text = await res.text();
  figures.calls++;
  figures.byStatus.set(res.status, (figures.byStatus.get(res.status) ?? 0) + 1);
  if (c.negative) figures.negative++;
  if (res.status >= 500) return fail("not_a_server_error", c, res, text.slice(0, 200));
  const documented = c.operation.op.responses[String(res.status)] ?? c.operation.op.responses.default;
  if (!documented) return fail("status_code_conformance", c, res, `documented: ${Object.keys(c.operation.op.responses)}; ${text.slice(0, 160)}`);
  if (c.negative && res.status < 300) fail("negative_data_rejection", c, res, text.slice(0, 160));
  const content = documented.content as Record<string, { schema?: Schema }> | undefined;
  if (!content || c.operation.method === "HEAD") return;
  const type = (res.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (!(type in content)) return fail("content_type_conformance", c, res, `got "${type}", documented ${Object.keys(content)}`);
  const schema = content[type].schema;
  if (type === "application/json" && schema) {
    const validate = validatorOf(schema);
    if (!validate(JSON.parse(text))) fail("response_schema_conformance", c, res, ajv.errorsText(validate.errors).slice(0, 240));
  }
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

describe("the served OpenAPI document, checked as schemathesis checks it", () => {
  it("has no failure of the checks over generated and broken requests as an approver, a coordinator, an administrator and anonymous", { timeout: 240_000 }, async () => {
    const started = Date.now();
    const ops = operations();
    const cases: Case[] = [];
    // Signing out last: it ends the session the other cases use.
    const ordered = [...ops.filter((o) => o.path !== "/api/auth/logout"), ...ops.filter((o) => o.path === "/api/auth/logout")];
    const last: Case[] = [];
    for (const role of roles) {
      for (const operation of ordered) {
        const mine = [...Array.from({ length: positivePerOperation }, () => positive(operation, role)), ...negatives(operation, role)];
        (operation.path === "/api/auth/logout" ? last : cases).push(...mine);
      }
    }
    await pool(cases, 6, run);
    for (const c of last) await run(c);

    // unsupported_method: a method the path does not document → 405 naming the documented ones
    let methodCalls = 0;
    for (const [path, documented] of Object.entries(doc.paths as Record<string, Schema>)) {
      const allowed = Object.keys(documented).map((m) => m.toUpperCase());
      const method = ["DELETE", "PATCH", "PUT", "POST", "GET"].find((m) => !allowed.includes(m))!;
      const concrete = path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(known[name]?.[0] ?? "x1"));
      const res = await stack.request(concrete, { method });
      figures.calls++;
      methodCalls++;
      const allow = (res.headers.get("allow") ?? "").split(/,\s*/).filter(Boolean);
      if (res.status !== 405 || !allowed.every((m) => allow.includes(m))) {
        figures.failures++;
        figures.byCheck.set("unsupported_method", (figures.byCheck.get("unsupported_method") ?? 0) + 1);
        failures.push(`unsupported_method: ${method} ${path} → ${res.status} Allow: ${allow.join(", ")} (documented ${allowed.join(", ")})`);
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `openapi-conformance: ${figures.calls} calls (${ops.length} operations × ${roles.length} roles, ${figures.negative} negative, ${methodCalls} unsupported-method) in ${seconds} s (statuses ${[...figures.byStatus].sort(([a], [b]) => a - b).map(([k, v]) => `${k}×${v}`).join(" ")}), ${figures.failures} failures${figures.failures ? ` (${[...figures.byCheck].map(([k, v]) => `${k} ${v}`).join(", ")})` : ""}\n`,
    );
    expect(failures).toEqual([]);
    expect(figures.calls).toBeGreaterThan(ops.length * roles.length * positivePerOperation);
  });
});
