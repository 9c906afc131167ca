import * as z from "zod";
import { CreateReportInput, OrderInput, ReportPatch, RoleGrant, SignInRequest } from "./api-inputs.js";
import { BeneficiaryChange, NewBeneficiary } from "./beneficiary.js";
import { Contract } from "./contract.js";
import { Approval, DecisionInput } from "./approval.js";
import { AuditEvent } from "./audit-event.js";
import { Batch } from "./batch.js";
import { Overview } from "./overview.js";
import { Person, PersonChange } from "./person.js";
import { Programme } from "./programme.js";
import { Report, Signature, Visit } from "./report.js";
import { ServiceOrder } from "./service-order.js";

const schema = (s: z.ZodType, io: "input" | "output") => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonBody = (name: string) => ({ required: true, content: { "application/json": { schema: ref(name) } } });
const answer = (description: string, name?: string) => ({ description, ...(name ? { content: { "application/json": { schema: ref(name) } } } : {}) });
const errors = { default: answer("An error: { error: { code, message } } with status 400/401/403/404/409/410/413/422", "Error") };
const html = (description: string) => ({ description, content: { "text/html": { schema: { type: "string" } } } });
const param = (name: string, where: "path" | "query" | "header" = "path", required = where === "path") => ({ name, in: where, required, schema: { type: "string" } });

type Op = { summary: string; parameters?: unknown[]; requestBody?: unknown; responses: Record<string, unknown> };
const op = (summary: string, responses: Record<string, unknown>, extra: Partial<Op> = {}): Op => ({ summary, ...extra, responses: { ...responses, ...errors } });

/** The OpenAPI 3.1 description of the HTTP API; schemas come from the core zod schemas (JSON Schema 2020-12). */
export function openApiDocument(serverUrl?: string) {
  const reportId = param("reportId");
  const month = param("month", "query");
  const programmeId = param("programmeId");
  const paths: Record<string, Record<string, Op>> = {
    "/api/health": { get: op("Liveness", { 200: answer("Up") }) },
    "/api/auth/link": { post: op("E-mail a single-use sign-in link (always 202)", { 202: answer("Accepted") }, { requestBody: jsonBody("SignInRequest") }) },
    "/api/auth/callback": {
      get: op("Open a sign-in link: a page with the sign-in button (uses nothing, so mail scanners cannot spend the link)", { 200: html("Sign-in button"), 410: html("Used, expired or unknown link; where to ask for a new one") }, { parameters: [param("token", "query", true)] }),
      head: op("Same as GET without a body", { 200: answer("Link usable"), 410: answer("Link unusable") }, { parameters: [param("token", "query", true)] }),
      post: op("Use the sign-in link once (the page's button): sets the session cookie and redirects to the app", { 303: answer("Signed in"), 410: html("Used, expired or unknown link") }, {
        requestBody: { required: true, content: { "application/x-www-form-urlencoded": { schema: { type: "object", required: ["token"], properties: { token: { type: "string" } } } } } },
      }),
    },
    "/api/auth/logout": { post: op("End the session", { 204: answer("Signed out") }) },
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
      put: op("Replace a visit (clears signatures)", { 200: answer("Report", "ReportAnswer") }, { parameters: [reportId, param("visitId")], requestBody: jsonBody("Visit") }),
      delete: op("Remove a visit (clears signatures)", { 200: answer("Report", "ReportAnswer") }, { parameters: [reportId, param("visitId")] }),
    },
    "/api/reports/{reportId}/signatures/{role}": { put: op("Sign the current content hash (role: beneficiary or assistant)", { 200: answer("Report", "ReportAnswer") }, { parameters: [reportId, param("role")], requestBody: jsonBody("Signature") }) },
    "/api/reports/{reportId}/submit": { post: op("Submit: new immutable version and its approval workflow (idempotent)", { 200: answer("Submitted", "ReportAnswer") }, { parameters: [reportId] }) },
    "/api/reports/{reportId}/versions": { get: op("Submitted versions, oldest first", { 200: answer("Versions") }, { parameters: [reportId] }) },
    "/api/reports/{reportId}/audit": { get: op("The report's audit events", { 200: answer("Events", "AuditList") }, { parameters: [reportId] }) },
    "/api/approvals": { get: op("Reports awaiting the signed-in approver", { 200: answer("Pending") }, { parameters: [month] }) },
    "/api/approvals/{approvalId}/decision": { post: op("Approve or return from the web app", { 200: answer("Decided", "ReportAnswer") }, { parameters: [param("approvalId")], requestBody: jsonBody("DecisionInput") }) },
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
    "/api/people/{personId}": { patch: op("Change a person's name, e-mail, contract number, bank account or activity (admin; If-Match: the revision); a deactivated person cannot sign in and gets no e-mail", { 200: answer("Changed") }, { parameters: [param("personId")], requestBody: jsonBody("PersonChange") }) },
    "/api/people/{personId}/contracts": {
      get: op("The person's contracts (ETag: their revision) and, in a programme with none recorded, the legacy contract number that still counts there (the person; admins, coordinators and finance of the contract's programme)", { 200: answer("Contracts", "ContractList") }, { parameters: [param("personId")] }),
      put: op("Record a contract or change it, found by its number: dates, Polish IBAN (mod-97), declarations (admin of the contract's programme; If-Match: the revision); every change kept", { 200: answer("Changed or unchanged", "ContractList"), 201: answer("Added", "ContractList") }, { parameters: [param("personId"), param("If-Match", "header", false)], requestBody: jsonBody("Contract") }),
    },
    "/api/people/{personId}/contracts/versions": { get: op("Every change of the person's contracts: who, when, before and after (the same readers as the contracts)", { 200: answer("Versions") }, { parameters: [param("personId")] }) },
    "/api/people/{personId}/data-export": {
      get: op(
        "Everything Karta holds about the person (GDPR art. 15) as a JSON file: person, roles, contracts, reports with visits and versions (signature images left out), decisions, audit events, sessions (metadata), e-mails sent to them (no contents). The person themself, the centre's administrator or an admin of a programme the person is in; every export is recorded",
        { 200: { description: "The file (attachment, UTF-8)", content: { "application/json": { schema: { type: "object" } } } } },
        { parameters: [param("personId")] },
      ),
    },
    "/api/people/{personId}/roles": { post: op("Give an existing person a role in a programme (admin of that programme)", { 200: answer("Already held"), 201: answer("Added") }, { parameters: [param("personId")], requestBody: jsonBody("RoleGrant") }) },
    "/api/people/{personId}/roles/{programmeId}/{role}": {
      delete: op("Take a role in a programme away (admin of that programme); the person and their history stay. 422 PROGRAMME_CHANGE_REFUSED while the programme names them (approver, deputy, coordinator) or an assistant has orders this month or next; 404 if not held", { 200: answer("Removed") }, { parameters: [param("personId"), programmeId, param("role")] }),
    },
    "/api/programmes/{programmeId}/beneficiaries": {
      get: op("The programme's beneficiaries: code, initials, active (admin, coordinator)", { 200: answer("Beneficiaries") }, { parameters: [programmeId] }),
      post: op("Add a beneficiary: code and initials only (admin, coordinator)", { 201: answer("Created") }, { parameters: [programmeId], requestBody: jsonBody("NewBeneficiary") }),
    },
    "/api/programmes/{programmeId}/beneficiaries/{code}": { patch: op("Change a beneficiary's initials or activity (admin, coordinator)", { 200: answer("Changed") }, { parameters: [programmeId, param("code")], requestBody: jsonBody("BeneficiaryChange") }) },
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
      get: op("The programme's people (admin, coordinator)", { 200: answer("People") }, { parameters: [programmeId, param("role", "query")] }),
      post: op("Add a person with roles in this programme (admin)", { 200: answer("Existing"), 201: answer("Created") }, { parameters: [programmeId], requestBody: jsonBody("Person") }),
    },
    "/api/programmes/{programmeId}/orders": {
      get: op("Every service order of a month (coordinator, admin)", { 200: answer("Orders", "OrderList") }, { parameters: [programmeId, month] }),
      put: op("Issue or re-issue an order (coordinator)", { 200: answer("Order") }, { parameters: [programmeId], requestBody: jsonBody("OrderInput") }),
    },
    "/api/programmes/{programmeId}/reports": { get: op("Every report of a month (staff)", { 200: answer("Reports", "ReportList") }, { parameters: [programmeId, month] }) },
    "/api/programmes/{programmeId}/cycles/{month}": { get: op("The month's cycle: execution, state, counts, batches", { 200: answer("Cycle") }, { parameters: [programmeId, param("month")] }) },
    "/api/programmes/{programmeId}/orders/import": {
      post: op("Import the month's orders from a CSV or XLSX file: every row or none (coordinator)", { 200: answer("Imported", "OrdersImported") }, {
        parameters: [programmeId, param("month", "query", true)],
        requestBody: {
          required: true,
          content: { "text/csv": { schema: { type: "string" } }, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { schema: { type: "string", contentEncoding: "binary" } } },
        },
      }),
    },
    "/api/programmes/{programmeId}/contracts/ending": { get: op("The programme's active assistants whose last contract there ends within 31 days or has ended (coordinator, admin)", { 200: answer("Contract ends") }, { parameters: [programmeId] }) },
    "/api/programmes/{programmeId}/overview": {
      get: op("Minutes ordered, logged and approved per beneficiary and month, at most 12 months (coordinator, admin)", { 200: answer("Overview", "Overview") }, {
        parameters: [programmeId, param("from", "query", true), param("to", "query", true)],
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
        { parameters: [param("batchId"), param("file"), { name: "accept", in: "header", required: false, schema: { type: "string" } }] },
      ),
    },
    "/api/batches/{batchId}/payroll": {
      get: op(
        "The batch from gross to the bank, as an estimate for payroll to confirm (finance, admin): per assistant the gross, each contribution, the PIT advance, the net and the employer's cost from the contract's declarations, with every assistant and field that stops the payroll file or the transfer file. `day` (YYYY-MM-DD, default today in Warsaw) is the day of payment: it decides the rates and the age",
        { 200: answer("Payees, the payroll estimate (null when refused) and the problems of each file") },
        { parameters: [param("batchId"), param("day", "query")] },
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
        { parameters: [param("batchId"), param("file"), param("day", "query")] },
      ),
    },
    "/api/openapi.json": { get: op("This document", { 200: answer("OpenAPI 3.1") }) },
    "/approve/{approvalId}": {
      get: op("Approval page from an e-mail link (changes nothing)", { 200: html("Report and decision form"), 403: html("Tampered link"), 409: html("Superseded version"), 410: html("Expired or already decided") }, { parameters: [param("approvalId"), param("sig", "query", true)] }),
      head: op("Same as GET without a body", { 200: answer("Link usable") }, { parameters: [param("approvalId"), param("sig", "query", true)] }),
      post: op("Decide once (form: outcome=approve|return, reason)", { 200: html("Decision recorded") }, {
        parameters: [param("approvalId"), param("sig", "query", true)],
        requestBody: { required: true, content: { "application/x-www-form-urlencoded": { schema: ref("DecisionInput") } } },
      }),
    },
  };
  const reportAnswer = { type: "object", required: ["report", "rev", "contentHash"], properties: { report: ref("Report"), rev: { type: "integer" }, contentHash: { type: "string" } } };
  return {
    openapi: "3.1.0",
    info: { title: "Karta API", version: "1", description: "Monthly settlement of social-care assistants. Errors: { error: { code, message } }, messages in Polish unless Accept-Language: en." },
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
        AuditEvent: schema(AuditEvent, "output"),
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
