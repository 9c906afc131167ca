import * as z from "zod";
import { CreateReportInput, OrderInput, ReportPatch, RoleGrant, SignInRequest } from "./api-inputs.js";
import { BeneficiaryChange, BeneficiaryCode, NewBeneficiary } from "./beneficiary.js";
import { Contract } from "./contract.js";
import { Approval, DecisionInput } from "./approval.js";
import { AuditEvent } from "./audit-event.js";
import { Batch } from "./batch.js";
import { Overview } from "./overview.js";
import { Person, PersonChange, PersonId, Role } from "./person.js";
import { Programme, ProgrammeId } from "./programme.js";
import { Report, Signature, SignatureRole, Visit } from "./report.js";
import { IsoDate, Month } from "./calendar.js";
import { MAX_PATH_PARAMETER_CHARS } from "./http-errors.js";
import { ServiceOrder } from "./service-order.js";

/**
 * An e-mail is trimmed and lower-cased before it is checked (core Email): as input its JSON
 * Schema would be the bare string before the check, so the check's format is kept.
 */
const keepEmailFormat = (ctx: { zodSchema: unknown; jsonSchema: Record<string, unknown> }) => {
  const def = (ctx.zodSchema as { _zod?: { def?: { type?: string; out?: { _zod?: { def?: { format?: string } } } } } })._zod?.def;
  if (def?.type === "pipe" && def.out?._zod?.def?.format === "email") ctx.jsonSchema.format = "email";
};

const schema = (s: z.ZodType, io: "input" | "output") => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: "any", override: keepEmailFormat }) as Record<string, unknown>;
  return rest;
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonBody = (name: string) => ({ required: true, content: { "application/json": { schema: ref(name) } } });
const answer = (description: string, name?: string) => ({ description, ...(name ? { content: { "application/json": { schema: ref(name) } } } : {}) });
const html = (description: string) => ({ description, content: { "text/html": { schema: { type: "string" } } } });

/** What each refusal means; an operation lists the ones its handler can give. */
const refusals: Record<number, string> = {
  400: "Invalid input: fields to fix, a repeated query parameter, a path parameter over 200 characters",
  401: "No session (sign in through a link first)",
  403: "Not allowed for the signed-in person's roles",
  404: "Not found",
  409: "Conflict with the current state (a changed revision, a taken e-mail, a locked report)",
  410: "Gone: used or expired",
  413: "Request body over the limit",
  415: "Not a form of the page's type (application/x-www-form-urlencoded)",
  422: "Refused by a rule (the message names it)",
};
const jsonError = (status: number) => answer(`${refusals[status]}: { error: { code, message } } in Polish or English`, "Error");
const pageError = (status: number) => html(`${refusals[status]}: a page saying what to do`);

/**
 * A path parameter's schema from the core schema that ids of its kind are made with (in the
 * form a client sends), bounded by the length every route enforces.
 */
const idSchema = (s?: z.ZodType) => ({ ...(s ? schema(s, "output") : { type: "string", minLength: 1 }), maxLength: MAX_PATH_PARAMETER_CHARS });
const param = (name: string, where: "path" | "query" | "header" = "path", required = where === "path", s?: z.ZodType) => ({
  name,
  in: where,
  required,
  schema: where === "path" ? idSchema(s) : s ? schema(s, "output") : { type: "string" },
});

type Op = { summary: string; security?: unknown[]; parameters?: unknown[]; requestBody?: unknown; responses: Record<string, unknown> };
/**
 * An operation: its answers, and the refusals its handler can give — 400 unless it reads no input; 401 and 403
 * behind the session; 404 with path parameters; 413 with a body; more named in `refused`.
 */
const op = (summary: string, responses: Record<string, unknown>, extra: Partial<Op> & { refused?: number[]; pages?: boolean; bodiless?: boolean; noInput?: boolean } = {}): Op => {
  const { refused = [], pages = false, bodiless = false, noInput = false, ...rest } = extra;
  const open = Array.isArray(rest.security) && rest.security.length === 0;
  const hasPath = (rest.parameters ?? []).some((p) => (p as { in?: string }).in === "path");
  const statuses = new Set([...(noInput ? [] : [400]), ...(open ? [] : [401, 403]), ...(hasPath ? [404] : []), ...(rest.requestBody ? [413] : []), ...refused]);
  const errors = Object.fromEntries([...statuses].filter((s) => !(s in responses)).sort().map((s) => [s, bodiless ? { description: refusals[s] } : pages ? pageError(s) : jsonError(s)]));
  return { summary, ...rest, responses: { ...responses, ...errors } };
};
/**
 * Refusals beyond the ones `op` adds that each handler's rules can give (the statuses of the
 * core errors it may throw: 409 a revision or state conflict, 410 used or expired, 422 a rule).
 */
const ruleRefusals: Record<string, number[]> = {
  "POST /api/reports": [409, 422],
  "PATCH /api/reports/{reportId}": [409, 422],
  "POST /api/reports/{reportId}/visits": [409, 422],
  "PUT /api/reports/{reportId}/visits/{visitId}": [409, 422],
  "DELETE /api/reports/{reportId}/visits/{visitId}": [409, 422],
  "PUT /api/reports/{reportId}/signatures/{role}": [409, 422],
  "POST /api/reports/{reportId}/submit": [409, 422],
  "POST /api/approvals/{approvalId}/decision": [409, 410, 422],
  "POST /api/programmes": [409, 422],
  "PUT /api/programmes/{programmeId}": [409, 422],
  "POST /api/people": [409, 422],
  "POST /api/programmes/{programmeId}/people": [409, 422],
  "PATCH /api/people/{personId}": [409, 422],
  "POST /api/people/{personId}/roles": [409, 422],
  "DELETE /api/people/{personId}/roles/{programmeId}/{role}": [422],
  "PUT /api/people/{personId}/contracts": [409, 422],
  "POST /api/programmes/{programmeId}/beneficiaries": [409, 422],
  "PATCH /api/programmes/{programmeId}/beneficiaries/{code}": [409, 422],
  "POST /api/programmes/{programmeId}/beneficiaries/import": [409, 422],
  "PUT /api/programmes/{programmeId}/orders": [409, 422],
  "POST /api/programmes/{programmeId}/orders/import": [409, 422],
  "GET /api/batches/{batchId}/files/{file}": [409],
  "GET /api/batches/{batchId}/payments/{file}": [422],
};

/** Public: no session needed (OpenAPI: an empty security requirement). */
const open = { security: [] as unknown[] };

/** The OpenAPI 3.1 description of the HTTP API; schemas come from the core zod schemas (JSON Schema 2020-12). */
export function openApiDocument(serverUrl?: string) {
  const reportId = param("reportId", "path", true, Report.shape.id);
  const month = param("month", "query", false, Month);
  const programmeId = param("programmeId", "path", true, ProgrammeId);
  const personId = param("personId", "path", true, PersonId);
  const approvalId = param("approvalId", "path", true, Approval.shape.id);
  const visitId = param("visitId", "path", true, Visit.shape.id);
  const batchId = param("batchId");
  const day = param("day", "query", false, IsoDate);
  const paths: Record<string, Record<string, Op>> = {
    "/api/health": { get: op("Liveness", { 200: answer("Up") }, { ...open, noInput: true }) },
    "/api/auth/link": { post: op("E-mail a single-use sign-in link (always 202)", { 202: answer("Accepted") }, { ...open, requestBody: jsonBody("SignInRequest") }) },
    "/api/auth/callback": {
      get: op("Open a sign-in link: a page with the sign-in button (uses nothing, so mail scanners cannot spend the link)", { 200: html("Sign-in button"), 410: html("Used, expired or unknown link; where to ask for a new one") }, { ...open, pages: true, parameters: [param("token", "query", true)] }),
      head: op("Same as GET without a body", { 200: answer("Link usable"), 410: answer("Link unusable") }, { ...open, bodiless: true, parameters: [param("token", "query", true)] }),
      post: op("Use the sign-in link once (the page's button): sets the session cookie and redirects to the app. Refused from another site (403: Origin, Referer or Sec-Fetch-Site not the app's) and for another body type (415)", { 303: answer("Signed in"), 410: html("Used, expired or unknown link") }, {
        ...open,
        pages: true,
        refused: [403, 415],
        requestBody: { required: true, content: { "application/x-www-form-urlencoded": { schema: { type: "object", required: ["token"], properties: { token: { type: "string" } } } } } },
      }),
    },
    "/api/auth/logout": { post: op("End the session (also without one: the cookie is cleared either way)", { 204: answer("Signed out") }, { ...open, noInput: true }) },
    "/api/me": { get: op("The signed-in person and roles", { 200: answer("Me", "Me") }) },
    "/api/orders": { get: op("The assistant's own service orders of a month", { 200: answer("Orders", "OrderList") }, { parameters: [month] }) },
    "/api/reports": {
      get: op("The assistant's own reports of a month", { 200: answer("Reports", "ReportList") }, { parameters: [month] }),
      post: op("Create (or find) the draft for one of the assistant's orders", { 200: answer("Existing", "ReportAnswer"), 201: answer("Created", "ReportAnswer") }, { requestBody: jsonBody("CreateReportInput") }),
    },
    "/api/reports/{reportId}": {
      get: op("One report (owner or programme staff)", { 200: answer("Report", "ReportAnswer") }, { parameters: [reportId] }),
      patch: op("Set the explanation of hours beyond the order", { 200: answer("Report", "ReportAnswer") }, { parameters: [reportId], requestBody: jsonBody("ReportPatch") }),
    },
    "/api/reports/{reportId}/visits": { post: op("Add a visit (clears signatures)", { 201: answer("Report", "ReportAnswer") }, { parameters: [reportId], requestBody: jsonBody("Visit") }) },
    "/api/reports/{reportId}/visits/{visitId}": {
      put: op("Replace a visit (clears signatures)", { 200: answer("Report", "ReportAnswer") }, { parameters: [reportId, visitId], requestBody: jsonBody("Visit") }),
      delete: op("Remove a visit (clears signatures)", { 200: answer("Report", "ReportAnswer") }, { parameters: [reportId, visitId] }),
    },
    "/api/reports/{reportId}/signatures/{role}": { put: op("Sign the current content hash (role: beneficiary or assistant)", { 200: answer("Report", "ReportAnswer") }, { parameters: [reportId, param("role", "path", true, SignatureRole)], requestBody: jsonBody("Signature") }) },
    "/api/reports/{reportId}/submit": { post: op("Submit: new immutable version and its approval workflow (idempotent)", { 200: answer("Submitted", "ReportAnswer") }, { parameters: [reportId] }) },
    "/api/reports/{reportId}/versions": { get: op("Submitted versions, oldest first", { 200: answer("Versions") }, { parameters: [reportId] }) },
    "/api/reports/{reportId}/audit": { get: op("The report's audit events", { 200: answer("Events", "AuditList") }, { parameters: [reportId] }) },
    "/api/approvals": { get: op("Reports awaiting the signed-in approver", { 200: answer("Pending") }, { parameters: [month] }) },
    "/api/approvals/{approvalId}/decision": { post: op("Approve or return from the web app", { 200: answer("Decided", "ReportAnswer") }, { parameters: [approvalId], requestBody: jsonBody("DecisionInput") }) },
    "/api/programmes": {
      get: op("Programmes the signed-in person has a role in (every one for the centre's administrator)", { 200: answer("Programmes") }),
      post: op("Create a programme; the approvers, deputy and coordinators it names get their roles (centre administrator)", { 201: answer("Created", "ProgrammeAnswer") }, { requestBody: jsonBody("ProgrammeInput") }),
    },
    "/api/programmes/{programmeId}": {
      get: op("A programme's configuration (members)", { 200: answer("Programme") }, { parameters: [programmeId] }),
      put: op("Replace the programme's settings (admin; If-Match: its revision); versioned, refused when it would break a running month", { 200: answer("Changed", "ProgrammeAnswer") }, { parameters: [programmeId, param("If-Match", "header", false)], requestBody: jsonBody("ProgrammeInput") }),
    },
    "/api/programmes/{programmeId}/versions": { get: op("Every change of the programme's settings: who, when, before and after (admin)", { 200: answer("Versions") }, { parameters: [programmeId] }) },
    "/api/people": {
      get: op("Everyone in the centre, with roles or none yet, active or not, by name (the centre administrator)", { 200: answer("People") }),
      post: op("Add a person: one e-mail is one person (409 EMAIL_TAKEN names who holds it); roles only in programmes the caller administers, none for the centre administrator", { 200: answer("Existing"), 201: answer("Created") }, { requestBody: jsonBody("Person") }),
    },
    "/api/people/{personId}": { patch: op("Change a person's name, e-mail, contract number, bank account or activity (admin; If-Match: the revision); a deactivated person cannot sign in and gets no e-mail", { 200: answer("Changed") }, { parameters: [personId], requestBody: jsonBody("PersonChange") }) },
    "/api/people/{personId}/contracts": {
      get: op("The person's contracts (ETag: their revision) and, in a programme with none recorded, the legacy contract number that still counts there (the person; admins, coordinators and finance of the contract's programme)", { 200: answer("Contracts", "ContractList") }, { parameters: [personId] }),
      put: op("Record a contract or change it, found by its number: dates, Polish IBAN (mod-97), declarations (admin of the contract's programme; If-Match: the revision); every change kept", { 200: answer("Changed or unchanged", "ContractList"), 201: answer("Added", "ContractList") }, { parameters: [personId, param("If-Match", "header", false)], requestBody: jsonBody("Contract") }),
    },
    "/api/people/{personId}/contracts/versions": { get: op("Every change of the person's contracts: who, when, before and after (the same readers as the contracts)", { 200: answer("Versions") }, { parameters: [personId] }) },
    "/api/people/{personId}/data-export": {
      get: op(
        "Everything Karta holds about the person (GDPR art. 15) as a JSON file: person, roles, contracts, reports with visits and versions (signature images left out), decisions, audit events, sessions (metadata), e-mails sent to them (no contents). The person themself, the centre's administrator or an admin of a programme the person is in; every export is recorded",
        { 200: { description: "The file (attachment, UTF-8)", content: { "application/json": { schema: { type: "object" } } } } },
        { parameters: [personId] },
      ),
    },
    "/api/people/{personId}/roles": { post: op("Give an existing person a role in a programme (admin of that programme)", { 200: answer("Already held"), 201: answer("Added") }, { parameters: [personId], requestBody: jsonBody("RoleGrant") }) },
    "/api/people/{personId}/roles/{programmeId}/{role}": {
      delete: op("Take a role in a programme away (admin of that programme); the person and their history stay. 422 PROGRAMME_CHANGE_REFUSED while the programme names them (approver, deputy, coordinator) or an assistant has orders this month or next; 404 if not held", { 200: answer("Removed") }, { parameters: [personId, programmeId, param("role", "path", true, Role)] }),
    },
    "/api/programmes/{programmeId}/beneficiaries": {
      get: op("The programme's beneficiaries: code, initials, active (admin, coordinator)", { 200: answer("Beneficiaries") }, { parameters: [programmeId] }),
      post: op("Add a beneficiary: code and initials only (admin, coordinator)", { 201: answer("Created") }, { parameters: [programmeId], requestBody: jsonBody("NewBeneficiary") }),
    },
    "/api/programmes/{programmeId}/beneficiaries/{code}": { patch: op("Change a beneficiary's initials or activity (admin, coordinator)", { 200: answer("Changed") }, { parameters: [programmeId, param("code", "path", true, BeneficiaryCode)], requestBody: jsonBody("BeneficiaryChange") }) },
    "/api/programmes/{programmeId}/beneficiaries/import": {
      post: op("Import beneficiaries from a CSV or XLSX file (\"kod uczestnika\", \"inicjały\"): every row or none (admin, coordinator)", { 200: answer("Imported") }, {
        parameters: [programmeId],
        requestBody: {
          required: true,
          content: { "text/csv": { schema: { type: "string" } }, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { schema: { type: "string", contentEncoding: "binary" } } },
        },
      }),
    },
    "/api/programmes/{programmeId}/people": {
      get: op("The programme's people (admin, coordinator)", { 200: answer("People") }, { parameters: [programmeId, param("role", "query", false, Role)] }),
      post: op("Add a person with roles in this programme (admin)", { 200: answer("Existing"), 201: answer("Created") }, { parameters: [programmeId], requestBody: jsonBody("Person") }),
    },
    "/api/programmes/{programmeId}/orders": {
      get: op("Every service order of a month (coordinator, admin)", { 200: answer("Orders", "OrderList") }, { parameters: [programmeId, month] }),
      put: op("Issue or re-issue an order (coordinator)", { 200: answer("Order") }, { parameters: [programmeId], requestBody: jsonBody("OrderInput") }),
    },
    "/api/programmes/{programmeId}/reports": { get: op("Every report of a month (staff)", { 200: answer("Reports", "ReportList") }, { parameters: [programmeId, month] }) },
    "/api/programmes/{programmeId}/cycles/{month}": { get: op("The month's cycle: execution, state, counts, batches", { 200: answer("Cycle") }, { parameters: [programmeId, param("month", "path", true, Month)] }) },
    "/api/programmes/{programmeId}/orders/import": {
      post: op("Import the month's orders from a CSV or XLSX file: every row or none (coordinator)", { 200: answer("Imported", "OrdersImported") }, {
        parameters: [programmeId, param("month", "query", true, Month)],
        requestBody: {
          required: true,
          content: { "text/csv": { schema: { type: "string" } }, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { schema: { type: "string", contentEncoding: "binary" } } },
        },
      }),
    },
    "/api/programmes/{programmeId}/contracts/ending": { get: op("The programme's active assistants whose last contract there ends within 31 days or has ended (coordinator, admin)", { 200: answer("Contract ends") }, { parameters: [programmeId] }) },
    "/api/programmes/{programmeId}/overview": {
      get: op("Minutes ordered, logged and approved per beneficiary and month, at most 12 months (coordinator, admin)", { 200: answer("Overview", "Overview") }, {
        parameters: [programmeId, param("from", "query", true, Month), param("to", "query", true, Month)],
      }),
    },
    "/api/programmes/{programmeId}/batches": {
      get: op("Payment batches of a month, or of the last six months without ?month= (finance, coordinator, admin)", { 200: answer("Batches", "BatchList") }, { parameters: [programmeId, month] }),
    },
    "/api/batches/{batchId}/files/{file}": {
      get: op(
        "A short-lived (300 s) presigned S3 URL of a stored batch file (file: csv, xlsx, zip or its recorded name), after the session and role check (finance, admin); each hand-out is an audit event. No size limit; 409 BATCH_FILE_NOT_STORED for a batch not e-mailed yet or e-mailed before files were stored",
        {
          200: answer("With Accept: application/json: the URL, when it expires, and the file's name, bytes and SHA-256", "BatchFileUrl"),
          303: {
            description: "Otherwise (a browser's download link): a redirect to the presigned URL, which answers the file as an attachment; x-karta-sha256 carries the recorded SHA-256",
            headers: { location: { schema: { type: "string", format: "uri" } }, "x-karta-sha256": { schema: { type: "string" } } },
          },
        },
        { parameters: [batchId, param("file"), { name: "accept", in: "header", required: false, schema: { type: "string" } }] },
      ),
    },
    "/api/batches/{batchId}/payroll": {
      get: op(
        "The batch from gross to the bank, as an estimate for payroll to confirm (finance, admin): per assistant the gross, each contribution, the PIT advance, the net and the employer's cost from the contract's declarations, with every assistant and field that stops the payroll file or the transfer file. `day` (YYYY-MM-DD, default today in Warsaw) is the day of payment: it decides the rates and the age",
        { 200: answer("Payees, the payroll estimate (null when refused) and the problems of each file") },
        { parameters: [batchId, day] },
      ),
    },
    "/api/batches/{batchId}/payments/{file}": {
      get: op(
        "A payment file written on request from the batch's lines and contracts (finance, admin), audited with its SHA-256: transfers.pli (Elixir-O, Windows-1250, one transfer per assistant of the net or gross per programme setting), transfers.csv, payroll.csv, payroll.xlsx. 422 PAYMENT_FILE_REFUSED lists every assistant lacking a valid account or declarations (nothing written); 422 PAYMENTS_NOT_CONFIGURED without the centre's account",
        {
          200: {
            description: "The file as an attachment; x-karta-sha256 carries its SHA-256",
            headers: { "content-disposition": { schema: { type: "string" } }, "x-karta-sha256": { schema: { type: "string" } } },
            content: { "text/plain": { schema: { type: "string" } }, "text/csv": { schema: { type: "string" } }, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { schema: { type: "string", contentEncoding: "binary" } } },
          },
        },
        { parameters: [batchId, param("file"), day] },
      ),
    },
    "/api/openapi.json": { get: op("This document", { 200: { description: "OpenAPI 3.1", content: { "application/json": { schema: { type: "object" } } } } }, { ...open, noInput: true }) },
    // The signed link is the authority (no session needed); every answer is a page.
    "/approve/{approvalId}": {
      get: op("Approval page from an e-mail link (changes nothing)", { 200: html("Report and decision form"), 403: html("Tampered or unknown link"), 409: html("Superseded version"), 410: html("Expired or already decided") }, { ...open, pages: true, parameters: [approvalId, param("sig", "query", true)] }),
      head: op("Same as GET without a body", { 200: answer("Link usable"), 403: answer("Tampered or unknown link"), 409: answer("Superseded version"), 410: answer("Expired or already decided") }, { ...open, bodiless: true, parameters: [approvalId, param("sig", "query", true)] }),
      post: op("Decide once (form: outcome=approve|return, reason). Refused from another site (403: Origin, Referer or Sec-Fetch-Site not the app's; a post with none of them is taken, the signature being the authority) and for another body type than a form (415)", { 200: html("Decision recorded"), 403: html("Tampered link, another site's form, or not the programme's approver"), 409: html("Superseded version"), 410: html("Expired or already decided") }, {
        ...open,
        pages: true,
        refused: [415, 422],
        parameters: [approvalId, param("sig", "query", true)],
        requestBody: { required: true, content: { "application/x-www-form-urlencoded": { schema: ref("DecisionInput") } } },
      }),
    },
  };
  for (const [route, statuses] of Object.entries(ruleRefusals)) {
    const [method, path] = route.split(" ");
    const responses = paths[path][method.toLowerCase()].responses;
    for (const status of statuses) responses[status] ??= jsonError(status);
  }
  const reportAnswer = { type: "object", required: ["report", "rev", "contentHash"], properties: { report: ref("Report"), rev: { type: "integer" }, contentHash: { type: "string" } } };
  return {
    openapi: "3.1.0",
    info: {
      title: "Karta API",
      version: "1",
      description:
        "Monthly settlement of social-care assistants. Errors: { error: { code, message } }, messages in Polish unless Accept-Language: en. A method a path does not list answers 405 METHOD_NOT_ALLOWED with Allow; a path no route has 404 NOT_FOUND (pages under /approve/). A query parameter given twice is 400 REPEATED_PARAMETER.",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    components: {
      securitySchemes: { session: { type: "apiKey", in: "cookie", name: "karta_session" } },
      schemas: {
        Report: schema(Report, "output"),
        Visit: schema(Visit, "input"),
        Signature: schema(Signature, "input"),
        ServiceOrder: schema(ServiceOrder, "output"),
        Person: schema(Person, "output"),
        PersonChange: schema(PersonChange, "input"),
        RoleGrant: schema(RoleGrant, "input"),
        Contract: schema(Contract, "input"),
        ContractList: {
          type: "object",
          properties: {
            personId: { type: "string" },
            rev: { type: "integer" },
            contracts: { type: "array", items: schema(Contract, "output") },
            legacy: { type: "array", items: { type: "object", properties: { number: { type: "string" }, programmeId: { type: "string" }, bankAccount: { type: "string" } } } },
          },
        },
        ProgrammeInput: schema(Programme, "input"),
        ProgrammeAnswer: { type: "object", properties: { programme: schema(Programme, "output"), rev: { type: "integer" } } },
        NewBeneficiary: schema(NewBeneficiary, "input"),
        BeneficiaryChange: schema(BeneficiaryChange, "input"),
        // as GET …/audit answers it: with the actor's name, and `automatic` for the workflow's steps
        AuditEvent: schema(AuditEvent.extend({ actorName: z.string().optional(), automatic: z.literal(true).optional() }), "output"),
        Approval: schema(Approval.omit({ links: true }), "output"),
        DecisionInput: schema(DecisionInput, "input"),
        SignInRequest: schema(SignInRequest, "input"),
        CreateReportInput: schema(CreateReportInput, "input"),
        ReportPatch: schema(ReportPatch, "input"),
        OrderInput: schema(OrderInput, "input"),
        Batch: schema(Batch, "output"),
        Overview: schema(Overview, "output"),
        BatchFileUrl: {
          type: "object",
          required: ["url", "expiresAt", "name", "bytes", "sha256"],
          properties: { url: { type: "string", format: "uri" }, expiresAt: { type: "string", format: "date-time" }, name: { type: "string" }, bytes: { type: "integer" }, sha256: { type: "string" } },
        },
        BatchList: { type: "object", properties: { programmeId: { type: "string" }, months: { type: "array", items: { type: "string" } }, batches: { type: "array", items: ref("Batch") } } },
        OrdersImported: { type: "object", properties: { programmeId: { type: "string" }, month: { type: "string" }, imported: { type: "integer" } } },
        ReportAnswer: reportAnswer,
        ReportList: { type: "object", properties: { month: { type: "string" }, reports: { type: "array", items: ref("ReportAnswer") } } },
        OrderList: { type: "object", properties: { month: { type: "string" }, orders: { type: "array", items: ref("ServiceOrder") } } },
        AuditList: { type: "object", properties: { events: { type: "array", items: ref("AuditEvent") } } },
        Me: {
          type: "object",
          properties: {
            person: ref("Person"),
            now: { type: "string", format: "date-time", description: "The server's time (the app aligns its clock with it)" },
            stillDue: {
              type: "object",
              description: "The previous month while its reports are still due in one of the person's programmes",
              properties: { month: { type: "string", pattern: "^\\d{4}-\\d{2}$" }, deadlineDate: { type: "string", format: "date" } },
            },
          },
        },
        Error: {
          type: "object",
          required: ["error"],
          properties: { error: { type: "object", required: ["code", "message"], properties: { code: { type: "string" }, message: { type: "string" }, details: {} } } },
        },
      },
    },
    security: [{ session: [] }],
    paths,
  };
}
