// Calls of approvers, coordinators and finance (docs/api.md). Loaded with the staff pages only.
import type { PayEstimate } from "../../../functions/core/payroll";
import { apiUrl, get, post, put, q, request } from "./api";
import type { ReportBody } from "./assistant-api";
import type { Batch, Cycle, CycleCounts, Person, Report, Role, ServiceOrder } from "./types";

const enc = encodeURIComponent;

export type PendingApproval = { approvalId: string; report: Report; assistantName: string; minutes: number; amountGrosze: number };

/** GET /api/approvals — submitted reports awaiting the signed-in approver. */
export async function loadPending(): Promise<PendingApproval[]> {
  return (await get<{ pending: PendingApproval[] }>("/api/approvals")).pending;
}

export const loadReportBody = (reportId: string) => get<ReportBody>(`/api/reports/${enc(reportId)}`);

/** GET /api/reports/{id}/versions — every submitted version, oldest first. */
export async function loadVersions(reportId: string): Promise<{ report: Report; contentHash: string }[]> {
  return (await get<{ versions: { report: Report; contentHash: string }[] }>(`/api/reports/${enc(reportId)}/versions`)).versions;
}

/** `actorName`: the person, by name; `automatic`: a step of the workflow, not a person. */
export type AuditEntry = { id: string; at: string; actorId: string; actorName?: string; automatic?: boolean; type: string; version: number; via?: string; details?: Record<string, unknown> };

/** GET /api/reports/{id}/audit — the report's history. */
export async function loadAudit(reportId: string): Promise<AuditEntry[]> {
  return (await get<{ events: AuditEntry[] }>(`/api/reports/${enc(reportId)}/audit`)).events;
}

/** POST /api/approvals/{approvalId}/decision. */
export function decide(approvalId: string, outcome: "approve" | "return", reason?: string) {
  return post<ReportBody>(`/api/approvals/${enc(approvalId)}/decision`, { outcome, ...(reason ? { reason } : {}) });
}

/** GET /api/programmes/{id}/orders?month= — the programme's service orders of a month. */
export async function loadOrders(programmeId: string, month: string): Promise<ServiceOrder[]> {
  return (await get<{ orders: ServiceOrder[] }>(`/api/programmes/${enc(programmeId)}/orders${q({ month })}`)).orders;
}

/** PUT /api/programmes/{id}/orders — issues (or re-issues) one order. */
export function issueOrder(programmeId: string, order: { month: string; assistantId: string; beneficiaryCode: string; orderedMinutes: number }) {
  return put<ServiceOrder>(`/api/programmes/${enc(programmeId)}/orders`, order);
}

/** Last month's orders issued again for this month (one PUT per order; those already issued are kept). */
export async function copyOrders(programmeId: string, fromMonth: string, toMonth: string): Promise<{ copied: number }> {
  const [previous, current] = await Promise.all([loadOrders(programmeId, fromMonth), loadOrders(programmeId, toMonth)]);
  const existing = new Set(current.map((o) => `${o.assistantId}/${o.beneficiaryCode}`));
  let copied = 0;
  for (const o of previous) {
    if (existing.has(`${o.assistantId}/${o.beneficiaryCode}`)) continue;
    await issueOrder(programmeId, { month: toMonth, assistantId: o.assistantId, beneficiaryCode: o.beneficiaryCode, orderedMinutes: o.orderedMinutes });
    copied += 1;
  }
  return { copied };
}

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** POST /api/programmes/{id}/orders/import?month= — the coordinator's spreadsheet, every row or none. */
export function importOrders(programmeId: string, month: string, file: File) {
  // Browsers type a .csv as text/csv, application/vnd.ms-excel (Windows) or not at all: the name decides.
  const type = /\.xlsx$/i.test(file.name) ? XLSX : "text/csv";
  return post<{ imported: number }>(`/api/programmes/${enc(programmeId)}/orders/import${q({ month })}`, new Blob([file], { type }));
}

/** One row of a refused import (`ORDERS_IMPORT_FAILED` details): the line in the file, header = 1. */
export type ImportRowError = { row: number; pl: string; en: string };

/** GET /api/programmes/{id}/people?role= — the programme's people (coordinator, admin). */
export async function loadPeople(programmeId: string, role?: Role): Promise<Person[]> {
  return (await get<{ people: Person[] }>(`/api/programmes/${enc(programmeId)}/people${q({ role })}`)).people;
}

/** Assistants' names by person id; empty when the list cannot be read, so the pages fall back to ids. */
/** The programme's active assistants, for picking one by name or e-mail. */
export async function loadAssistants(programmeId: string): Promise<{ id: string; name: string; email: string }[]> {
  const people = await loadPeople(programmeId, "assistant").catch(() => []);
  return people.filter((p) => (p as { active?: boolean }).active !== false).map((p) => ({ id: p.id, name: p.name, email: p.email }));
}

/** GET /api/programmes/{id}/beneficiaries — the register (codes and initials), active ones first. */
export async function loadBeneficiaries(programmeId: string): Promise<{ code: string; initials: string; active: boolean }[]> {
  const body = await get<{ beneficiaries: { code: string; initials: string; active?: boolean }[] }>(`/api/programmes/${enc(programmeId)}/beneficiaries`);
  return body.beneficiaries.map((b) => ({ code: b.code, initials: b.initials, active: b.active !== false }));
}

export async function loadAssistantNames(programmeId: string): Promise<Map<string, string>> {
  const people = await loadPeople(programmeId, "assistant").catch(() => []);
  return new Map(people.map((p) => [p.id, p.name]));
}

/** The programme's assistants by person id (name, e-mail, what SES reported about it); empty when the list cannot be read. */
export async function loadAssistantsById(programmeId: string): Promise<Map<string, Person>> {
  const people = await loadPeople(programmeId, "assistant").catch(() => []);
  return new Map(people.map((p) => [p.id, p]));
}

export type CycleView = { cycle?: Cycle; counts?: CycleCounts; reports?: Report[]; batches?: Batch[] } & Record<string, unknown>;

/** GET /api/programmes/{id}/cycles/{month} — the month's state, deadline, counts and batches. */
export function loadCycle(programmeId: string, month: string) {
  return get<CycleView>(`/api/programmes/${enc(programmeId)}/cycles/${enc(month)}`);
}

/** GET /api/programmes/{id}/reports?month= — every report of the programme's month (staff). */
export async function loadProgrammeReports(programmeId: string, month: string): Promise<Report[]> {
  const body = await get<{ reports: (ReportBody | Report)[] }>(`/api/programmes/${enc(programmeId)}/reports${q({ month })}`);
  return body.reports.map((r) => ("report" in r ? r.report : r));
}

/** GET /api/programmes/{id}/batches — the batches of the last six months (main and supplementary). */
export async function loadBatches(programmeId: string): Promise<{ months: string[]; batches: Batch[] }> {
  return get<{ months: string[]; batches: Batch[] }>(`/api/programmes/${enc(programmeId)}/batches`);
}

/** Where a batch file downloads from (the browser follows it with the session cookie). */
export const batchFileUrl = (batchId: string, name: string) => apiUrl(`/api/batches/${enc(batchId)}/files/${enc(name)}`);

/** What stops a payment file: an assistant and the field, in both languages (or the programme's missing setting). */
export type PaymentProblem = { assistantId?: string; assistantName?: string; field?: string; code?: string; pl: string; en: string };
export type PayrollSummary = {
  batchId: string;
  programmeId: string;
  month: string;
  on: string;
  transferAmount: "net" | "gross" | null;
  payees: { assistantId: string; assistantName: string; contractNumber: string; bankAccount: string | null; reports: number; minutes: number; grossGrosze: number }[];
  payroll: { rows: (PayEstimate & { assistantId: string })[]; totals: PayEstimate } | null;
  problems: { payroll: PaymentProblem[]; transfers: PaymentProblem[] };
};

/** GET /api/batches/{id}/payroll?day= — the batch from gross to the bank (finance, admin). */
export const loadPayroll = (batchId: string, day?: string) => get<PayrollSummary>(`/api/batches/${enc(batchId)}/payroll${q({ day })}`);

/** Where a payment file downloads from (written on request; the session cookie goes along). */
export const paymentFileUrl = (batchId: string, name: string, day: string) => apiUrl(`/api/batches/${enc(batchId)}/payments/${enc(name)}${q({ day })}`);

export const patch = <T>(path: string, body: unknown) => request<T>("PATCH", path, body);
