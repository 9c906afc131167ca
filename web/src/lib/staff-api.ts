// Calls of approvers, coordinators and finance (docs/api.md). Loaded with the staff pages only.
import { apiUrl, get, post, put, q, request } from "./api";
import type { ReportBody } from "./assistant-api";
import type { Batch, Cycle, CycleCounts, Report, ServiceOrder } from "./types";

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

export type AuditEntry = { id: string; at: string; actorId: string; type: string; version: number; via?: string; details?: Record<string, unknown> };

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

/** POST /api/programmes/{id}/orders/copy — last month's orders into this month. */
export function copyOrders(programmeId: string, fromMonth: string, toMonth: string) {
  return post<{ copied: number }>(`/api/programmes/${enc(programmeId)}/orders/copy`, { fromMonth, toMonth });
}

/** POST /api/programmes/{id}/orders/import — the spreadsheet (CSV or XLSX) as base64, all or nothing. */
export function importOrders(programmeId: string, month: string, file: { name: string; contentBase64: string }) {
  return post<{ imported: number }>(`/api/programmes/${enc(programmeId)}/orders/import`, { month, ...file });
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

/** GET /api/batches?programmeId=&month= — payment batches. */
export async function loadBatches(programmeId: string, month?: string): Promise<Batch[]> {
  return (await get<{ batches: Batch[] }>(`/api/batches${q({ programmeId, month })}`)).batches;
}

/** Where a batch file downloads from (the browser follows it with the session cookie). */
export const batchFileUrl = (batchId: string, name: string) => apiUrl(`/api/batches/${enc(batchId)}/files/${enc(name)}`);

export const patch = <T>(path: string, body: unknown) => request<T>("PATCH", path, body);
