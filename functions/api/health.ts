import { instrumented } from "../adapters/observability.js";

/** GET /api/health — answers once the function can run; the local stack answers only when up. */
export const handler = instrumented(async () => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ ok: true }),
}));
