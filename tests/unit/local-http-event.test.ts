import { describe, expect, it } from "vitest";
import { apiGatewayEvent, selectRoute } from "../../local/http.js";

/**
 * The local API must hand the handlers the event API Gateway (HTTP API, payload format 2.0)
 * hands them, or a handler tested locally reads a request differently in AWS (issue 18: a
 * repeated sig= was "last wins" locally and "a,b" in AWS).
 */
describe("the local API's event", () => {
  // The documented example of payload format 2.0 (API Gateway developer guide, "Create AWS Lambda
  // proxy integrations for HTTP APIs"), as far as a request determines it.
  it("is the documented payload 2.0 shape for the documented example request", () => {
    const event = apiGatewayEvent(
      { method: "POST", path: "/my/{parameter1}", functionArn: "fn" },
      {
        method: "POST",
        url: "/my/value1?parameter1=value1&parameter1=value2&parameter2=value",
        headers: { cookie: ["cookie1; cookie2"], Header1: ["value1"], header2: ["value1", "value2"], "content-type": ["text/plain"] },
        body: Buffer.from("Hello from Lambda"),
      },
      "id",
    );
    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "POST /my/{parameter1}",
      rawPath: "/my/value1",
      rawQueryString: "parameter1=value1&parameter1=value2&parameter2=value",
      cookies: ["cookie1", "cookie2"],
      headers: { header1: "value1", header2: "value1,value2" },
      queryStringParameters: { parameter1: "value1,value2", parameter2: "value" },
      pathParameters: { parameter1: "value1" },
      requestContext: { http: { method: "POST", path: "/my/value1" }, requestId: "id", routeKey: "POST /my/{parameter1}", stage: "$default" },
      body: "Hello from Lambda",
      isBase64Encoded: false,
    });
    expect(event.headers).not.toHaveProperty("cookie");
  });

  it("joins a repeated sig= with a comma and keeps rawQueryString exactly as sent", () => {
    const event = apiGatewayEvent(
      { method: "GET", path: "/approve/{approvalId}", functionArn: "fn" },
      { method: "GET", url: "/approve/a1?sig=AAA&lang=en&sig=B%2Bb", headers: {}, body: Buffer.alloc(0) },
    );
    expect(event.queryStringParameters).toEqual({ sig: "AAA,B+b", lang: "en" });
    expect(event.rawQueryString).toBe("sig=AAA&lang=en&sig=B%2Bb");
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
  });

  it("has no queryStringParameters, cookies or pathParameters when the request has none, and base64 for binary bodies", () => {
    const event = apiGatewayEvent({ method: "POST", path: "/api/x", functionArn: "fn" }, { method: "post", url: "/api/x", headers: { "content-type": ["application/octet-stream"] }, body: Buffer.from([0, 255]) });
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.cookies).toBeUndefined();
    expect(event.pathParameters).toBeUndefined();
    expect(event).toMatchObject({ body: "AP8=", isBase64Encoded: true, requestContext: { http: { method: "POST" } } });
  });
});

describe("the local API's route selection", () => {
  // The routing example of the developer guide ("Create routes for HTTP APIs", Routing API
  // requests), plus Karta's catch-alls.
  const routes = ["GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}", "GET /api/health", "ANY /api/{proxy+}", "GET /approve/{approvalId}", "HEAD /approve/{approvalId}", "ANY /approve/{proxy+}"].map((key) => {
    const [method, path] = key.split(" ");
    return { method, path, functionArn: key };
  });
  it.each([
    ["GET", "/pets/dog/1", "GET /pets/dog/1"],
    ["GET", "/pets/dog/2", "GET /pets/dog/{id}"],
    ["GET", "/pets/cat/1", "GET /pets/{proxy+}"],
    ["POST", "/pets/dog/1", "ANY /{proxy+}"],
    ["GET", "/api/health", "GET /api/health"],
    ["DELETE", "/api/health", "ANY /api/{proxy+}"],
    // API Gateway sends HEAD to HEAD or ANY routes only, never to a GET route
    ["HEAD", "/api/health", "ANY /api/{proxy+}"],
    ["GET", "/approve/a1", "GET /approve/{approvalId}"],
    ["HEAD", "/approve/a1", "HEAD /approve/{approvalId}"],
    ["POST", "/approve/a1", "ANY /approve/{proxy+}"],
    ["GET", "/approve/a1/b", "ANY /approve/{proxy+}"],
  ])("sends %s %s to %s", (method, path, expected) => {
    expect(selectRoute(routes, method, path)?.functionArn).toBe(expected);
  });
});
