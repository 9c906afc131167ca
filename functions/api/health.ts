import { api, json } from "./lib/http.js";

/**
 * GET /api/health — answers once the function can run; the local stack answers only when up.
 * Like every route it answers only through CloudFront: a check of the API's own domain gets 403
 * DIRECT_API_ACCESS, which is how docs/deploy.md (section 4) shows the bypass is closed.
 */
export const handler = api(async () => json(200, { ok: true }));
