import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../functions/core/openapi.js";
import { allowedMethods, apiRoutes, documentedRoutes } from "../../functions/api/lib/routes.js";
import { MAX_PATH_PARAMETER_CHARS } from "../../functions/api/lib/http.js";

describe("the OpenAPI document", () => {
  const doc = openApiDocument();

  it("is OpenAPI 3.1 with the core schemas as JSON Schema", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.schemas.Visit).toMatchObject({ type: "object", required: expect.arrayContaining(["date", "start", "end", "mode"]) });
    expect(doc.components.schemas.Report.properties).toHaveProperty("status");
  });

  it.each(documentedRoutes)("documents %s", (route) => {
    const [method, path] = route.split(" ");
    expect(doc.paths[path]?.[method.toLowerCase()], route).toBeDefined();
  });

  it("documents no route that does not exist", () => {
    const routes = new Set(documentedRoutes);
    for (const [path, ops] of Object.entries(doc.paths)) for (const method of Object.keys(ops)) expect(routes, `${method} ${path}`).toContain(`${method.toUpperCase()} ${path}`);
  });

  const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, o]) => ({ key: `${method.toUpperCase()} ${path}`, path, op: o as any })));

  it("declares the routes that need no session public (security: []) and only those", () => {
    const publicRoutes = ["GET /api/health", "GET /api/openapi.json", "POST /api/auth/link", "GET /api/auth/callback", "HEAD /api/auth/callback", "POST /api/auth/callback", "POST /api/auth/logout", "GET /approve/{approvalId}", "HEAD /approve/{approvalId}", "POST /approve/{approvalId}"];
    expect(operations.filter((o) => Array.isArray(o.op.security) && o.op.security.length === 0).map((o) => o.key).sort()).toEqual(publicRoutes.sort());
    for (const o of operations.filter((o) => !publicRoutes.includes(o.key))) expect(Object.keys(o.op.responses), o.key).toEqual(expect.arrayContaining(["401", "403"]));
  });

  it("documents the approval link's answers as pages, never JSON", () => {
    for (const [method, o] of Object.entries(doc.paths["/approve/{approvalId}"]) as [string, any][]) {
      for (const [status, response] of Object.entries(o.responses) as [string, any][]) {
        expect(Object.keys(response.content ?? {}), `${method} ${status}`).toEqual(method === "head" ? [] : ["text/html"]);
      }
    }
  });

  it("has no catch-all 'default' answer: every status an operation gives is listed", () => {
    for (const o of operations) expect(o.op.responses, o.key).not.toHaveProperty("default");
  });

  it("bounds every path parameter by the length the API enforces and gives month and id parameters their patterns", () => {
    for (const o of operations) {
      for (const p of (o.op.parameters ?? []).filter((p: any) => p.in === "path")) expect(p.schema.maxLength, `${o.key} ${p.name}`).toBe(MAX_PATH_PARAMETER_CHARS);
    }
    const schemaOf = (path: string, method: string, name: string) => (doc.paths as any)[path][method].parameters.find((p: any) => p.name === name).schema;
    expect(new RegExp(schemaOf("/api/reports", "get", "month").pattern).test("2026-13")).toBe(false);
    expect(new RegExp(schemaOf("/api/reports", "get", "month").pattern).test("2026-11")).toBe(true);
    expect(schemaOf("/approve/{approvalId}", "get", "approvalId").pattern).toBe("^a[0-9a-f]{24}$");
    expect(schemaOf("/api/programmes/{programmeId}", "get", "programmeId").pattern).toBeDefined();
    expect(schemaOf("/api/people/{personId}", "patch", "personId").pattern).toBeDefined();
    expect(schemaOf("/api/reports/{reportId}/signatures/{role}", "put", "role").enum).toEqual(["beneficiary", "assistant"]);
    // an e-mail is trimmed and lower-cased before the check; the check's format stays in the document
    expect((doc.components.schemas.SignInRequest as any).properties.email).toMatchObject({ type: "string", format: "email" });
  });

  it("lists in Allow (405) exactly the documented methods of a path", () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      const concrete = path.replace(/\{[^}]+\}/g, "x1");
      expect(allowedMethods(concrete), path).toEqual(expect.arrayContaining(Object.keys(ops).map((m) => m.toUpperCase())));
    }
    expect(allowedMethods("/api/health")).toEqual(["GET"]);
    expect(allowedMethods("/approve/a1")).toEqual(["GET", "HEAD", "POST"]);
    expect(allowedMethods("/api/nothing")).toEqual([]);
    expect(Object.keys(apiRoutes).filter((r) => r.startsWith("ANY "))).toEqual(["ANY /api/{proxy+}", "ANY /approve/{proxy+}"]);
  });
});
