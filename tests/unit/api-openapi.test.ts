import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../functions/core/openapi.js";
import { apiRoutes } from "../../stacks/api-routes.js";

describe("the OpenAPI document", () => {
  const doc = openApiDocument();

  it("is OpenAPI 3.1 with the core schemas as JSON Schema", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.schemas.Visit).toMatchObject({ type: "object", required: expect.arrayContaining(["date", "start", "end", "mode"]) });
    expect(doc.components.schemas.Report.properties).toHaveProperty("status");
  });

  it.each(Object.keys(apiRoutes))("documents %s", (route) => {
    const [method, path] = route.split(" ");
    expect(doc.paths[path]?.[method.toLowerCase()], route).toBeDefined();
  });

  it("documents no route that does not exist", () => {
    const routes = new Set(Object.keys(apiRoutes));
    for (const [path, ops] of Object.entries(doc.paths)) for (const method of Object.keys(ops)) expect(routes, `${method} ${path}`).toContain(`${method.toUpperCase()} ${path}`);
  });
});
