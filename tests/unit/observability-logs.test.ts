import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { SESSION_COOKIE, tokenHash } from "../../functions/core/auth.js";
import { createPerson } from "../../functions/adapters/people.js";
import { createSession } from "../../functions/adapters/sessions.js";
import { startTestTable } from "../support/table.js";

/**
 * Issue 18: the handlers log through Powertools' Logger — the real one, writing JSON lines to
 * stdout as in Lambda — with the invocation's request id and the person id, and no personal data.
 */
let table: Awaited<ReturnType<typeof startTestTable>>;
let written: string[] = [];

beforeAll(async () => {
  table = await startTestTable();
});
afterAll(async () => table?.stop());
afterEach(() => vi.restoreAllMocks());

function captureStdout() {
  written = [];
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      const text = String(chunk);
      if (text.startsWith("{")) {
        written.push(...text.split("\n").filter(Boolean));
        return true;
      }
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
}

const context = (awsRequestId: string) => ({ awsRequestId, functionName: "karta-me", invokedFunctionArn: "arn:aws:lambda:eu-central-1:123456789012:function:karta-me", getRemainingTimeInMillis: () => 10_000 });
const event = (cookie?: string) => ({
  routeKey: "GET /api/me",
  rawPath: "/api/me",
  headers: cookie ? { cookie } : {},
  requestContext: { http: { method: "GET" }, requestId: "apigw-1" },
});

describe("a handler's log line", () => {
  it("carries the request id, the function, the person id and API Gateway's request id, and no e-mail address or name", async () => {
    const person = { id: `p-obs-${randomUUID().slice(0, 8)}`, email: "ewa.obserwowana@asystent.example.pl", name: "Ewa Obserwowana", roles: [] };
    await createPerson(person);
    const token = randomUUID();
    const now = new Date();
    await createSession(tokenHash(token), person.id, now, new Date(now.getTime() + 3_600_000).toISOString());
    const { handler } = await import("../../functions/api/me.js");
    const requestId = randomUUID();

    captureStdout();
    const answer = await handler(event(`${SESSION_COOKIE}=${token}`), context(requestId));

    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain(person.email); // the answer has it; the log must not
    const lines = written.map((l) => JSON.parse(l));
    const answered = lines.find((l) => l.message === "answered");
    expect(answered).toMatchObject({
      level: "INFO",
      service: "karta",
      function_request_id: requestId,
      function_name: "karta-me",
      person_id: person.id,
      correlation_id: "apigw-1",
      route: "GET /api/me",
      status: 200,
    });
    for (const line of written) {
      expect(line).not.toMatch(/@/);
      expect(line).not.toContain(person.name);
    }
  });

  it("does not carry the previous invocation's person id", async () => {
    const { handler } = await import("../../functions/api/me.js");
    const requestId = randomUUID();

    captureStdout();
    const answer = await handler(event(), context(requestId));

    expect(answer.statusCode).toBe(401);
    const refused = written.map((l) => JSON.parse(l)).find((l) => l.message === "refused");
    expect(refused).toMatchObject({ function_request_id: requestId, status: 401, code: "UNAUTHENTICATED" });
    expect(refused).not.toHaveProperty("person_id");
  });

  it("keeps e-mail addresses and account numbers out of an error's message", async () => {
    const { logger } = await import("../../functions/adapters/observability.js");

    captureStdout();
    logger.error("set-aside alert e-mail not sent", { error: new Error("Email address is not verified: jan.kowalski@example.pl, account PL61 1090 1014 0000 0712 1981 2874") });

    expect(written).toHaveLength(1);
    expect(written[0]).not.toContain("jan.kowalski@example.pl");
    expect(written[0]).not.toContain("1981 2874");
    expect(JSON.parse(written[0]).error.message).toBe("Email address is not verified: <e-mail>, account <account>");
  });
});

describe("every handler", () => {
  const root = join(import.meta.dirname, "../../functions");
  const handlers = ["api", "workflow"].flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => ({ file: `${dir}/${f}`, source: readFileSync(join(root, dir, f), "utf8") })),
  );

  it.each(handlers.map((h) => [h.file, h.source]))("%s runs instrumented (request id, metrics flushed, trace subsegment)", (_file, source) => {
    const declaration = /export const handler = ([^\n]*)/.exec(source)?.[1] ?? "";
    // api(…) and page(…) wrap with instrumented (functions/api/lib/http.ts); a dispatcher must hand on the context
    const wrapped = /^(api|page|instrumented)\(/.test(declaration) || /^\(event[^)]*, context\?: LambdaContext\) =>.*\(event, context\)/.test(declaration);
    expect(wrapped, declaration).toBe(true);
  });
});
