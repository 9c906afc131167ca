// The assistant's calls (docs/api.md): the month's orders and reports, one report, visits,
// signatures and submission — reads cached for offline use, visit changes queued when offline.
import { ApiError, del, get, OfflineError, post, put, q, request } from "./api";
import { now } from "./clock";
import { cache, discard, flush, isSessionEnded, pendingChangeOf, queue, withPending, type PendingChange } from "./offline";
import type { Programme, Report, ServiceOrder, SignatureRole, Visit } from "./types";

/** What the API answers for one report: the report, its revision and the content hash to sign. */
export type ReportBody = { report: Report; rev: number; contentHash: string };

/** A service order as GET /api/orders answers it: with the id its report has or will have. */
type OrderWithReport = ServiceOrder & { reportId?: string };

export type MonthRow = {
  /** Absent while no report has been started for the order. */
  reportId?: string;
  /** The id the order's report has or will have (named by the server), to start it offline. */
  plannedReportId?: string;
  programmeId: string;
  beneficiaryCode: string;
  orderedMinutes: number;
  loggedMinutes: number;
  status: Report["status"] | "missing";
  late?: boolean;
  returnReason?: string;
};

export type MonthView = { month: string; rows: MonthRow[]; stale?: boolean };

export type ReportView = ReportBody & {
  orderedMinutes?: number;
  amountGrosze?: number;
  programme: Programme;
  stale?: boolean;
};

async function cachedGet<T>(path: string): Promise<T & { stale?: boolean }> {
  try {
    return cache(path, await get<T>(path)) as T & { stale?: boolean };
  } catch (error) {
    const kept = error instanceof OfflineError ? cache<T>(path) : undefined;
    if (kept) return { ...kept, stale: true };
    throw error;
  }
}

const minutesOf = (visits: Pick<Visit, "start" | "end">[]) =>
  visits.reduce((sum, v) => sum + Math.round((Date.parse(v.end) - Date.parse(v.start)) / 60_000), 0);

/** The visits that count for a report as the assistant sees it: the server's and those waiting on the device, not removed, not refused. */
export function countedVisits(reportId: string, visits: Visit[]): Visit[] {
  return withPending(reportId, visits).filter((v) => v.pending !== "delete" && !v.failure);
}

const reportPath = (reportId: string) => `/api/reports/${encodeURIComponent(reportId)}`;

const enc = encodeURIComponent;

/** GET /api/orders?month= and GET /api/reports?month= — every ordered beneficiary with its report, if started. */
export async function loadMonth(month: string): Promise<MonthView> {
  const [orders, reports] = await Promise.all([
    cachedGet<{ orders: OrderWithReport[] }>(`/api/orders${q({ month })}`),
    cachedGet<{ reports: ReportBody[] }>(`/api/reports${q({ month })}`),
  ]);
  // the programmes' rules kept on the device, for a report started without a connection
  for (const id of new Set(orders.orders.map((o) => o.programmeId))) void loadProgramme(id).catch(() => undefined);
  const key = (programmeId: string, code: string) => `${programmeId}\u0000${code}`;
  const byBeneficiary = new Map(reports.reports.map((body) => [key(body.report.programmeId, body.report.beneficiaryCode), body]));
  /** The newest the device knows of a report: the month's list or the report's own last answer (also one started offline). */
  const newest = (listed: ReportBody | undefined, reportId: string | undefined) => {
    const own = reportId ? cache<ReportBody>(reportPath(reportId)) : undefined;
    return own && (!listed || own.rev > listed.rev) ? own.report : listed?.report;
  };
  const rows: MonthRow[] = orders.orders.map((order) => {
    const report = newest(byBeneficiary.get(key(order.programmeId, order.beneficiaryCode)), order.reportId);
    byBeneficiary.delete(key(order.programmeId, order.beneficiaryCode));
    return {
      reportId: report?.id,
      plannedReportId: order.reportId,
      programmeId: order.programmeId,
      beneficiaryCode: order.beneficiaryCode,
      orderedMinutes: order.orderedMinutes,
      loggedMinutes: report ? minutesOf(countedVisits(report.id, report.visits)) : 0,
      status: report?.status ?? "missing",
      late: report?.late,
      returnReason: report?.returnReason,
    };
  });
  // A report whose order was withdrawn still shows (it may hold visits).
  for (const { report } of byBeneficiary.values()) {
    rows.push({ reportId: report.id, programmeId: report.programmeId, beneficiaryCode: report.beneficiaryCode, orderedMinutes: 0, loggedMinutes: minutesOf(countedVisits(report.id, report.visits)), status: report.status, late: report.late, returnReason: report.returnReason });
  }
  rows.sort((a, b) => a.beneficiaryCode.localeCompare(b.beneficiaryCode));
  return { month, rows, stale: orders.stale || reports.stale };
}

/**
 * POST /api/reports — starts (or finds) the draft for an order. Without a connection the start
 * is kept on the device under the id the server named with the order, and an empty draft is
 * shown until it is sent.
 */
export async function startReport(input: { programmeId: string; month: string; beneficiaryCode: string; reportId?: string }): Promise<ReportBody> {
  const { reportId, ...order } = input;
  try {
    const body = await post<ReportBody>("/api/reports", order);
    return cache(reportPath(body.report.id), body)!;
  } catch (error) {
    if (!reportId || !keepsOnDevice(error)) throw error;
    await queue({ kind: "start-report", reportId, ...order });
    const draft = { id: reportId, ...order, assistantId: "", status: "draft", version: 1, visits: [], signatures: [] } as unknown as Report;
    return cache(reportPath(reportId), { report: draft, rev: 0, contentHash: "" })!;
  }
}

const programmes = new Map<string, Programme>();

/** GET /api/programmes/{id} — scopes, modes, rates and night rules for the visit form. */
export async function loadProgramme(programmeId: string): Promise<Programme> {
  const known = programmes.get(programmeId);
  if (known) return known;
  const body = await cachedGet<any>(`/api/programmes/${enc(programmeId)}`);
  const programme = (body.programme ?? body) as Programme;
  programmes.set(programmeId, programme);
  return programme;
}

/** The gross amount as core's priceReport computes it: minutes × rate ÷ 60, half-up per rate period. */
export function amountOf(visits: Pick<Visit, "date" | "start" | "end">[], programme: Pick<Programme, "rates">): number | undefined {
  const byRate = new Map<number, number>();
  for (const v of visits) {
    const period = programme.rates?.find((r) => r.from <= v.date && (!r.to || v.date <= r.to));
    if (!period) return undefined;
    byRate.set(period.rateGrosze, (byRate.get(period.rateGrosze) ?? 0) + minutesOf([v]));
  }
  let total = 0;
  for (const [rate, minutes] of byRate) {
    const scaled = minutes * rate + 30;
    total += (scaled - (scaled % 60)) / 60;
  }
  return total;
}

/** GET /api/reports/{id}, its programme and its order. */
export async function loadReport(reportId: string): Promise<ReportView> {
  const body = await cachedGet<ReportBody>(`/api/reports/${enc(reportId)}`);
  const { report } = body;
  const [programme, orders] = await Promise.all([
    loadProgramme(report.programmeId),
    cachedGet<{ orders: ServiceOrder[] }>(`/api/orders${q({ month: report.month })}`).catch(() => ({ orders: [] as ServiceOrder[] })),
  ]);
  const order = orders.orders.find((o) => o.programmeId === report.programmeId && o.beneficiaryCode === report.beneficiaryCode);
  return { ...body, programme, orderedMinutes: order?.orderedMinutes, amountGrosze: amountOf(report.visits, programme) };
}

async function sendChange(change: PendingChange): Promise<unknown> {
  if (change.kind === "start-report") return post("/api/reports", { programmeId: change.programmeId, month: change.month, beneficiaryCode: change.beneficiaryCode });
  const base = `/api/reports/${enc(change.reportId)}/visits`;
  if (change.kind === "delete-visit") {
    try {
      return await del(`${base}/${enc(change.visitId)}`);
    } catch (error) {
      // Sent before, the answer lost: already gone.
      if (error instanceof ApiError && error.status === 404 && error.code === "NOT_FOUND") return undefined;
      throw error;
    }
  }
  if (change.isNew) {
    try {
      return await post(base, change.visit);
    } catch (error) {
      // Sent before, the answer lost: the visit exists, so this change is a replacement.
      if (!(error instanceof ApiError && error.code === "ALREADY_EXISTS")) throw error;
    }
  }
  const { id, ...visit } = change.visit;
  return put(`${base}/${enc(id)}`, visit);
}

/** Whether a failed send keeps the change on the device: no connection, no answer, or an ended session (sent after sign-in). */
const keepsOnDevice = (error: unknown) => error instanceof OfflineError || isSessionEnded(error);

/**
 * Saves a visit; without a connection (or with an ended session) it is kept on the device and
 * `{ queued: true }` is answered. A visit still waiting on the device (or refused there) is saved
 * as what it is: an edit of a visit never sent is still its creation, and once sent the kept
 * change is dropped.
 */
export async function saveVisit(reportId: string, visit: Visit, isNew: boolean): Promise<{ queued: boolean }> {
  const earlier = pendingChangeOf(reportId, visit.id);
  const change = { kind: "put-visit", reportId, visit, isNew: isNew || (earlier?.kind === "put-visit" && earlier.isNew) } as const;
  try {
    await sendChange({ ...change, key: "", seq: 0, queuedAt: "" });
    if (earlier) await discard(earlier.key);
    return { queued: false };
  } catch (error) {
    if (!keepsOnDevice(error)) throw error;
    await queue(change);
    return { queued: true };
  }
}

export async function removeVisit(reportId: string, visitId: string): Promise<{ queued: boolean }> {
  const earlier = pendingChangeOf(reportId, visitId);
  if (earlier?.kind === "put-visit" && earlier.isNew) {
    await discard(earlier.key); // never reached the server: nothing to remove there
    return { queued: false };
  }
  try {
    await sendChange({ kind: "delete-visit", reportId, visitId, key: "", seq: 0, queuedAt: "" });
    if (earlier) await discard(earlier.key);
    return { queued: false };
  } catch (error) {
    if (!keepsOnDevice(error)) throw error;
    await queue({ kind: "delete-visit", reportId, visitId });
    return { queued: true };
  }
}

/** Sends what was kept on the device. */
export const sendPending = () => flush(sendChange);

/** PUT /api/reports/{id}/signatures/{role} — a drawn signature, or the photo of a signed paper (`paper_scan`), on the content hash shown. */
export function saveSignature(reportId: string, input: { role: SignatureRole; signer: string; contentHash: string; imageDataUrl: string; evidence: "drawn" | "paper_scan" }) {
  const { role, ...signature } = input;
  return put<ReportBody>(`/api/reports/${enc(reportId)}/signatures/${role}`, { ...signature, signedAt: now().toISOString() });
}

/** PATCH /api/reports/{id} — the explanation of hours beyond the order. */
export function saveOverOrderExplanation(reportId: string, explanation: string) {
  return request<ReportBody>("PATCH", `/api/reports/${enc(reportId)}`, { overOrderExplanation: explanation || null });
}

/** POST /api/reports/{id}/submit. */
export function submitReport(reportId: string) {
  return post<ReportBody>(`/api/reports/${enc(reportId)}/submit`);
}

export const signatureOf = (report: Report, role: SignatureRole) => report.signatures.find((s) => s.role === role);
