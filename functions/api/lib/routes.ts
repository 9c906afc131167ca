/**
 * Every HTTP route and the handler file that serves it (functions/api/<file>.ts). The Api stack
 * (stacks/Api.ts) builds one function per route from this table, the catch-all handler reads it
 * for its Allow header, and the local stack reads the routes back from the synthesised template.
 */
export const apiRoutes: Record<string, string> = {
  "GET /api/health": "health",
  "GET /api/openapi.json": "openapi",

  // Sign-in without passwords (docs/api.md)
  "POST /api/auth/link": "auth-link",
  // GET/HEAD only show the link's page (mail scanners open links); its button's POST signs in
  "GET /api/auth/callback": "auth-callback-page",
  "HEAD /api/auth/callback": "auth-callback-page",
  "POST /api/auth/callback": "auth-callback",
  "POST /api/auth/logout": "auth-logout",
  "GET /api/me": "me",

  // The assistant's orders and reports
  "GET /api/orders": "list-my-orders",
  "GET /api/reports": "list-my-reports",
  "POST /api/reports": "create-report",
  "GET /api/reports/{reportId}": "get-report",
  "PATCH /api/reports/{reportId}": "update-report",
  "POST /api/reports/{reportId}/visits": "add-visit",
  "PUT /api/reports/{reportId}/visits/{visitId}": "update-visit",
  "DELETE /api/reports/{reportId}/visits/{visitId}": "remove-visit",
  "PUT /api/reports/{reportId}/signatures/{role}": "add-signature",
  "POST /api/reports/{reportId}/submit": "submit-report",
  "GET /api/reports/{reportId}/versions": "report-versions",
  "GET /api/reports/{reportId}/audit": "report-audit",

  // Approvers: the pending queue and decisions from the web app
  "GET /api/approvals": "pending-approvals",
  "POST /api/approvals/{approvalId}/decision": "decide-approval",

  // Programmes, people, orders and the month's cycle (admin, coordinator, staff)
  "GET /api/programmes": "list-programmes",
  "POST /api/programmes": "create-programme",
  "GET /api/programmes/{programmeId}": "get-programme",
  "PUT /api/programmes/{programmeId}": "update-programme",
  "GET /api/programmes/{programmeId}/versions": "programme-versions",
  "GET /api/programmes/{programmeId}/people": "list-people",
  "POST /api/programmes/{programmeId}/people": "create-person",
  "GET /api/people": "list-centre-people",
  "POST /api/people": "create-centre-person",
  "PATCH /api/people/{personId}": "update-person",
  "POST /api/people/{personId}/roles": "add-person-role",
  "DELETE /api/people/{personId}/roles/{programmeId}/{role}": "remove-person-role",
  "GET /api/people/{personId}/data-export": "person-data-export",
  "GET /api/people/{personId}/contracts": "list-contracts",
  "PUT /api/people/{personId}/contracts": "put-contract",
  "GET /api/people/{personId}/contracts/versions": "contract-versions",
  "GET /api/programmes/{programmeId}/contracts/ending": "programme-contract-ends",
  "GET /api/programmes/{programmeId}/beneficiaries": "list-beneficiaries",
  "POST /api/programmes/{programmeId}/beneficiaries": "create-beneficiary",
  "PATCH /api/programmes/{programmeId}/beneficiaries/{code}": "update-beneficiary",
  "POST /api/programmes/{programmeId}/beneficiaries/import": "import-beneficiaries",
  "GET /api/programmes/{programmeId}/orders": "list-orders",
  "PUT /api/programmes/{programmeId}/orders": "issue-order",
  "GET /api/programmes/{programmeId}/reports": "programme-reports",
  "GET /api/programmes/{programmeId}/cycles/{month}": "cycle-status",
  "POST /api/programmes/{programmeId}/orders/import": "import-orders",
  "GET /api/programmes/{programmeId}/overview": "programme-overview",

  // Payment batches for finance: the list and a presigned URL of each stored file
  "GET /api/programmes/{programmeId}/batches": "list-batches",
  "GET /api/batches/{batchId}/files/{file}": "batch-file",
  // From gross to the bank: the net estimate per assistant, the transfer file and the payroll export (issue 17)
  "GET /api/batches/{batchId}/payroll": "payment-summary",
  "GET /api/batches/{batchId}/payments/{file}": "payment-file",

  // Approval links from e-mails: GET/HEAD only show, POST decides (DESIGN.md, Approval links)
  "GET /approve/{approvalId}": "approval-link-page",
  "HEAD /approve/{approvalId}": "approval-link-page",
  "POST /approve/{approvalId}": "approval-link-decide",

  // Every other method or path under the two prefixes: 405 with Allow when the path has other
  // methods, else 404 (API Gateway prefers any route above to these greedy ones)
  "ANY /api/{proxy+}": "not-routed",
  "ANY /approve/{proxy+}": "not-routed",
};

const isCatchAll = (route: string) => route.startsWith("ANY ");

const pattern = (path: string) => new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^/}]+\}/g, "[^/]+")}$`);
const routed = Object.keys(apiRoutes)
  .filter((route) => !isCatchAll(route))
  .map((route) => {
    const [method, path] = route.split(" ");
    return { method, path, pattern: pattern(path) };
  });

/** The routes of the table a client can call (not the catch-alls), as "METHOD /path". */
export const documentedRoutes = Object.keys(apiRoutes).filter((route) => !isCatchAll(route));

/** The methods the table routes for a request path (empty: no such path), sorted, as Allow lists them. */
export function allowedMethods(path: string): string[] {
  return [...new Set(routed.filter((r) => r.pattern.test(path)).map((r) => r.method))].sort();
}
