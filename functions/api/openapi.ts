import { openApiDocument } from "../core/openapi.js";
import { api, json } from "./lib/http.js";

// Built once per cold start: the schemas do not change while the function runs.
let document: ReturnType<typeof openApiDocument> | undefined;

/** GET /api/openapi.json — the OpenAPI 3.1 document generated from the core zod schemas. */
export const handler = api(async () => json(200, (document ??= openApiDocument())));
