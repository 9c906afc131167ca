import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import { ORIGIN_VERIFY_HEADER } from "../../functions/core/origin-verify.js";
import { apiGatewayEvent } from "../../local/http.js";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { apiClient } from "./api-helpers.js";

/**
 * Issue 18: the API only through CloudFront. The local stack started with an origin-verify value
 * plays CloudFront (its HTTP server adds the header to what it forwards); a function invoked
 * directly, as the API's own domain would invoke it, is refused and changes nothing.
 */
const VALUE = "Lr7KqP2vXn9wTz4bMa6cYe1dHs8fJg3kNu5iQo0pRlWtVxZyBAmCE";
const ANNA = "anna.nowak@asystent.example.pl";

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  stack = await startTestStack({ startAt: new Date(warsawInstant("2026-11-20", "10:00")), originVerify: VALUE });
  api = apiClient(stack);
  dynamo = new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: "eu-central-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
}, 120_000);
afterAll(() => stack?.dispose());

/** Every item of the table, as JSON lines (sorted): what a refused request must leave as it was. */
async function tableContents(): Promise<string[]> {
  const items: string[] = [];
  let start: Record<string, any> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []).map((item) => JSON.stringify(item)));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort();
}

/** Invokes the function of a route with the event API Gateway would build for a request that did not come through CloudFront. */
function invokeDirectly(route: string, init: { url?: string; headers?: Record<string, string>; body?: string } = {}) {
  const [method, path] = route.split(" ");
  const found = stack.app.routes.find((r) => r.method === method && r.path === path)!;
  const headers = Object.fromEntries(Object.entries(init.headers ?? {}).map(([name, value]) => [name, [value]]));
  const event = apiGatewayEvent(found, { method, url: init.url ?? path, headers, body: Buffer.from(init.body ?? "") });
  return stack.lambda.invoke(found.functionArn, event) as Promise<{ statusCode: number; headers?: Record<string, string>; body?: string }>;
}

describe("the API only through CloudFront, on the local stack", () => {
  it("answers requests through the stack's HTTP server (which adds the header, replacing one the client sent)", async () => {
    expect((await api.call(undefined, "GET", "/api/health")).status).toBe(200);
    expect((await api.call(undefined, "GET", "/api/health", undefined, { [ORIGIN_VERIFY_HEADER]: "a client's guess" })).status).toBe(200);
    const cookie = await api.signIn(ANNA);
    expect((await api.call(cookie, "GET", "/api/me")).json.person.email).toBe(ANNA);
  });

  it("refuses a direct invocation without the header or with a wrong one (403, Polish then English), and nothing is written or sent", async () => {
    const cookie = await api.signIn(ANNA);
    await stack.lambda.drain();
    const before = await tableContents();
    const mailsBefore = (await stack.inbox()).length;

    const link = { headers: { "content-type": "application/json" }, body: JSON.stringify({ email: ANNA }) };
    for (const headers of [{}, { [ORIGIN_VERIFY_HEADER]: "a client's guess" }, { [ORIGIN_VERIFY_HEADER]: VALUE.slice(0, -1) }] as Record<string, string>[]) {
      const asked = await invokeDirectly("POST /api/auth/link", { headers: { ...link.headers, ...headers }, body: link.body });
      expect(asked.statusCode).toBe(403);
      const { error } = JSON.parse(asked.body!);
      expect(error.code).toBe("DIRECT_API_ACCESS");
      expect(error.message).toMatch(new RegExp(`^Do API Karty nie łączy się bezpośrednio\\. Użyj adresu aplikacji ${stack.appUrl.replace(/\./g, "\\.")}`));
    }
    const english = await invokeDirectly("POST /api/auth/link", { headers: { ...link.headers, "accept-language": "en" }, body: link.body });
    expect(JSON.parse(english.body!).error.message).toContain(`Use the app's address ${stack.appUrl}`);

    // a signed-in person's change (sign-out deletes the session) is refused just the same
    expect((await invokeDirectly("POST /api/auth/logout", { headers: { cookie } })).statusCode).toBe(403);
    // an approval link's address answers a page
    const approval = await invokeDirectly("GET /approve/{approvalId}", { url: "/approve/a-1?sig=x" });
    expect([approval.statusCode, approval.headers?.["content-type"]]).toEqual([403, "text/html; charset=utf-8"]);
    expect(approval.body).toContain(`Użyj adresu aplikacji ${stack.appUrl}`);

    await stack.lambda.drain();
    await new Promise((r) => setTimeout(r, 300));
    expect(await tableContents()).toEqual(before);
    expect((await stack.inbox()).length).toBe(mailsBefore);
    // the session survived the refused sign-out
    expect((await api.call(cookie, "GET", "/api/me")).status).toBe(200);
  });

  it("lets a direct invocation with the right header through (what CloudFront sends)", async () => {
    const answer = await invokeDirectly("GET /api/health", { headers: { [ORIGIN_VERIFY_HEADER]: VALUE } });
    expect(answer.statusCode).toBe(200);
  });
});
