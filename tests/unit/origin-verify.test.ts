import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { matchesAny, ORIGIN_VERIFY_HEADER } from "../../functions/core/origin-verify.js";
import { cameThroughCloudFront, REREAD_AFTER_MS } from "../../functions/adapters/origin-verify.js";
import { SESSION_COOKIE, tokenHash } from "../../functions/core/auth.js";
import { createPerson } from "../../functions/adapters/people.js";
import { createSession } from "../../functions/adapters/sessions.js";
import { startTestTable } from "../support/table.js";
import { stageConfig } from "../../stacks/config.js";

/**
 * Issue 18: the API answers only through CloudFront. CloudFront adds the origin-verify secret in
 * a header (stacks/Web.ts); the one HTTP wrapper (functions/api/lib/http.ts) refuses a request
 * without it before the route runs, for JSON routes and pages alike.
 */
const APP = "https://karta.mops-testowy.pl";
const VALUE = "Zq8rN3xVt0aLw5KbP2mYc7HsJ4dFg9Ue1iOoRlTnQkWvXyAzBC6ED";

let table: Awaited<ReturnType<typeof startTestTable>>;
beforeAll(async () => {
  table = await startTestTable();
  process.env.APP_URL = APP;
});
afterAll(async () => table?.stop());
afterEach(() => {
  delete process.env.ORIGIN_VERIFY_VALUE;
  delete process.env.ORIGIN_VERIFY_SECRET_ARN;
  vi.useRealTimers();
});

const event = (route: string, headers: Record<string, string> = {}, query = "") => {
  const [method, rawPath] = route.split(" ");
  return {
    routeKey: route,
    rawPath,
    rawQueryString: query,
    queryStringParameters: query ? Object.fromEntries(new URLSearchParams(query)) : undefined,
    headers,
    requestContext: { http: { method }, requestId: randomUUID() },
  };
};

describe("comparing the header with the secret", () => {
  it.each([
    [VALUE, [VALUE], true],
    [VALUE, ["old-value-before-rotation", VALUE], true],
    [`${VALUE}x`, [VALUE], false],
    [VALUE.slice(0, -1), [VALUE], false],
    [VALUE.toLowerCase(), [VALUE], false],
    ["", [VALUE], false],
    [undefined, [VALUE], false],
    // an empty expected value (a secret without AWSPREVIOUS) never lets an empty header through
    ["", [""], false],
    [VALUE, [], false],
  ])("%s against %j → %s", (given, expected, result) => {
    expect(matchesAny(given, expected)).toBe(result);
  });
});

describe("the HTTP wrapper with the origin-verify value set", () => {
  it("refuses the health route without the header with 403 DIRECT_API_ACCESS in Polish, then English, naming the app's address", async () => {
    process.env.ORIGIN_VERIFY_VALUE = VALUE;
    const { handler } = await import("../../functions/api/health.js");

    const pl = await handler(event("GET /api/health"));
    expect(pl.statusCode).toBe(403);
    const body = JSON.parse(pl.body!);
    expect(body.error.code).toBe("DIRECT_API_ACCESS");
    expect(body.error.message).toContain(`Użyj adresu aplikacji ${APP}`);
    const en = JSON.parse((await handler(event("GET /api/health", { "accept-language": "en-GB" }))).body!);
    expect(en.error.message).toContain(`Use the app's address ${APP}`);

    expect((await handler(event("GET /api/health", { [ORIGIN_VERIFY_HEADER]: "guess" }))).statusCode).toBe(403);
    expect((await handler(event("GET /api/health", { [ORIGIN_VERIFY_HEADER.toUpperCase()]: VALUE }))).statusCode).toBe(200);
  });

  it("refuses a signed-in person's request before the route reads the session; with the header the same request answers", async () => {
    const person = { id: `p-ov-${randomUUID().slice(0, 8)}`, email: "olga.weryfikowana@asystent.example.pl", name: "Olga Weryfikowana", roles: [] };
    await createPerson(person);
    const token = randomUUID();
    const now = new Date();
    await createSession(tokenHash(token), person.id, now, new Date(now.getTime() + 3_600_000).toISOString());
    const { handler } = await import("../../functions/api/me.js");
    const cookie = `${SESSION_COOKIE}=${token}`;

    process.env.ORIGIN_VERIFY_VALUE = VALUE;
    const direct = await handler(event("GET /api/me", { cookie }));
    expect(direct.statusCode).toBe(403);
    expect(direct.body).not.toContain(person.email);
    expect((await handler(event("GET /api/me", { cookie, [ORIGIN_VERIFY_HEADER]: VALUE }))).statusCode).toBe(200);

    // without the variable (trial stages, the local stack by default) nothing is checked
    delete process.env.ORIGIN_VERIFY_VALUE;
    expect((await handler(event("GET /api/me", { cookie }))).statusCode).toBe(200);
  });

  it("answers a page (an approval link's address) with a 403 page, and the catch-all with JSON", async () => {
    process.env.ORIGIN_VERIFY_VALUE = VALUE;
    const { handler } = await import("../../functions/api/not-routed.js");
    const page = await handler({ ...event("GET /approve/x/y"), routeKey: "ANY /approve/{proxy+}" });
    expect(page.statusCode).toBe(403);
    expect(page.headers?.["content-type"]).toMatch(/text\/html/);
    expect(page.body).toContain(`Użyj adresu aplikacji ${APP}`);
    const json = await handler({ ...event("GET /api/nowhere"), routeKey: "ANY /api/{proxy+}" });
    expect(json.statusCode).toBe(403);
    expect(JSON.parse(json.body!).error.code).toBe("DIRECT_API_ACCESS");
    // with the header the catch-all does its own work (404)
    expect((await handler({ ...event("GET /api/nowhere", { [ORIGIN_VERIFY_HEADER]: VALUE }), routeKey: "ANY /api/{proxy+}" })).statusCode).toBe(404);
  });
});

/**
 * Secrets Manager's GetSecretValue (its JSON protocol) on 127.0.0.1, so the real SDK client of
 * the adapter runs: the versions it holds by stage, and every call it was asked.
 */
describe("reading the secret from Secrets Manager", () => {
  let server: Server;
  const versions = new Map<string, Record<string, string>>();
  const calls: { SecretId: string; VersionStage: string }[] = [];

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      let raw = "";
      for await (const chunk of req) raw += chunk;
      const asked = JSON.parse(raw) as { SecretId: string; VersionStage: string };
      calls.push(asked);
      const value = versions.get(asked.SecretId)?.[asked.VersionStage];
      res.setHeader("content-type", "application/x-amz-json-1.1");
      if (req.headers["x-amz-target"] !== "secretsmanager.GetSecretValue" || value === undefined) {
        res.writeHead(400).end(JSON.stringify({ __type: "ResourceNotFoundException", message: "Secrets Manager can't find the specified secret value for staging label" }));
        return;
      }
      res.writeHead(200).end(JSON.stringify({ ARN: asked.SecretId, Name: "OriginVerify", SecretString: value, VersionId: randomUUID(), VersionStages: [asked.VersionStage] }));
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  const secret = (current: string, previous?: string) => {
    const arn = `arn:aws:secretsmanager:eu-central-1:123456789012:secret:OriginVerify-${randomUUID().slice(0, 6)}`;
    versions.set(arn, { AWSCURRENT: current, ...(previous ? { AWSPREVIOUS: previous } : {}) });
    process.env.ORIGIN_VERIFY_SECRET_ARN = arn;
    return arn;
  };
  const callsFor = (arn: string) => calls.filter((c) => c.SecretId === arn).map((c) => c.VersionStage);

  it("reads AWSCURRENT and AWSPREVIOUS once per container (a never-rotated secret has no AWSPREVIOUS)", async () => {
    const arn = secret("first-value-0123456789abcdefghijklmnopqrstuvwxyzABCDEF");
    for (let i = 0; i < 5; i++) expect(await cameThroughCloudFront("first-value-0123456789abcdefghijklmnopqrstuvwxyzABCDEF")).toBe(true);
    expect(await cameThroughCloudFront(undefined)).toBe(false);
    expect(callsFor(arn).sort()).toEqual(["AWSCURRENT", "AWSPREVIOUS"]);
  });

  it("lets both values through while a rotation reaches CloudFront, and reads a value it has not seen at most once a minute", async () => {
    // Date only, frozen near real time (the SDK retries a call when its clock is minutes off the server's)
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date());
    const arn = secret("old-value-before-the-rotation-0123456789abcdefghijkl");
    expect(await cameThroughCloudFront("old-value-before-the-rotation-0123456789abcdefghijkl")).toBe(true);

    // the operator puts a new version: it becomes AWSCURRENT, the old one AWSPREVIOUS
    versions.set(arn, { AWSCURRENT: "new-value-after-the-rotation-0123456789abcdefghijklm", AWSPREVIOUS: "old-value-before-the-rotation-0123456789abcdefghijkl" });
    expect(await cameThroughCloudFront("old-value-before-the-rotation-0123456789abcdefghijkl")).toBe(true);
    // a flood of wrong values in the first minute asks Secrets Manager nothing more
    for (let i = 0; i < 20; i++) expect(await cameThroughCloudFront(`guess-${i}`)).toBe(false);
    expect(callsFor(arn)).toHaveLength(2);

    // the deploy reaches CloudFront minutes later: the new value makes this warm container read again, once
    vi.setSystemTime(Date.now() + REREAD_AFTER_MS + 1);
    expect(await cameThroughCloudFront("new-value-after-the-rotation-0123456789abcdefghijklm")).toBe(true);
    expect(await cameThroughCloudFront("old-value-before-the-rotation-0123456789abcdefghijkl")).toBe(true);
    for (let i = 0; i < 20; i++) expect(await cameThroughCloudFront(`guess-${i}`)).toBe(false);
    expect(callsFor(arn)).toHaveLength(4);
  });

  it("answers 500 (not 403, not a pass) when the secret cannot be read, and tries again on the next request", async () => {
    const arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:Missing-abcdef";
    process.env.ORIGIN_VERIFY_SECRET_ARN = arn;
    const { handler } = await import("../../functions/api/health.js");
    expect((await handler(event("GET /api/health", { [ORIGIN_VERIFY_HEADER]: VALUE }))).statusCode).toBe(500);
    versions.set(arn, { AWSCURRENT: VALUE });
    expect((await handler(event("GET /api/health", { [ORIGIN_VERIFY_HEADER]: VALUE }))).statusCode).toBe(200);
  });
});

describe("the rotation's version setting (KARTA_ORIGIN_VERIFY_VERSION)", () => {
  afterEach(() => void delete process.env.KARTA_ORIGIN_VERIFY_VERSION);

  it("is optional, takes a version id and refuses anything else, naming the runbook", () => {
    expect(stageConfig("dev").originVerifyVersion).toBeUndefined();
    process.env.KARTA_ORIGIN_VERIFY_VERSION = "5f0c1a8e-9b7d-4c2e-a3f6-0d4b8e2c7a91";
    expect(stageConfig("dev").originVerifyVersion).toBe("5f0c1a8e-9b7d-4c2e-a3f6-0d4b8e2c7a91");
    for (const bad of ["AWSCURRENT", "5f0c1a8e 9b7d", "x".repeat(65)]) {
      process.env.KARTA_ORIGIN_VERIFY_VERSION = bad;
      expect(() => stageConfig("dev"), bad).toThrow(/KARTA_ORIGIN_VERIFY_VERSION.*Rotating the origin-verify secret/);
    }
  });
});
