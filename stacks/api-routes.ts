/**
 * Every HTTP route and the handler file that serves it (functions/api/<file>.ts). The Api stack
 * builds one function per route from this table; the local stack reads the routes back from
 * the synthesised template.
 */
export const apiRoutes: Record<string, string> = {
  "GET /api/health": "health",
};
