// Changes an assistant makes without a connection are kept on the device (localStorage) and
// sent when the connection is back, in the order they were made. Visits carry ids made on the
// device and a report's id comes from its keys (the server names it with each order), so sending
// a change twice is harmless (POST of a report answers the existing one; PUT and DELETE by id).
import { ApiError, OfflineError } from "./api";
import type { Visit } from "./types";

export type PendingChange =
  | { key: string; kind: "put-visit"; reportId: string; visit: Visit; isNew: boolean; queuedAt: string; failure?: string }
  | { key: string; kind: "delete-visit"; reportId: string; visitId: string; queuedAt: string; failure?: string }
  | { key: string; kind: "start-report"; reportId: string; programmeId: string; month: string; beneficiaryCode: string; queuedAt: string; failure?: string };

const STORAGE_KEY = "karta.pending";
const CACHE_PREFIX = "karta.cache:";
const listeners = new Set<() => void>();

function read(): PendingChange[] {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "[]") as PendingChange[];
  } catch {
    return [];
  }
}

let persistAsked = false;

function write(changes: PendingChange[]): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(changes));
  // Kept changes are the only copy of a visit: ask the browser not to evict this site's storage
  // under pressure (granted silently to an installed or often used site; harmless if refused).
  if (changes.length && !persistAsked) {
    persistAsked = true;
    void navigator.storage?.persist?.().catch(() => undefined);
  }
  for (const l of listeners) l();
}

export function pendingChanges(reportId?: string): PendingChange[] {
  const all = read();
  return reportId ? all.filter((c) => c.reportId === reportId) : all;
}

export function onPendingChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** Queues a change; a later change of the same visit replaces the earlier one. */
export function queue(change: DistributiveOmit<PendingChange, "key" | "queuedAt">): void {
  const key = keyOf(change);
  const earlier = read().find((c) => c.key === key);
  const rest = read().filter((c) => c.key !== key);
  // A visit created offline and then removed offline never needs to reach the server.
  if (change.kind === "delete-visit" && earlier?.kind === "put-visit" && earlier.isNew) return write(rest);
  // A visit created offline and then edited offline is still new.
  const next = change.kind === "put-visit" && earlier?.kind === "put-visit" && earlier.isNew ? { ...change, isNew: true } : change;
  write([...rest, { ...next, key, queuedAt: new Date().toISOString() } as PendingChange]);
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** One kept change per visit (the last one wins) and one per report start. */
function keyOf(change: DistributiveOmit<PendingChange, "key" | "queuedAt">): string {
  if (change.kind === "start-report") return `${change.reportId}/`;
  return `${change.reportId}/${change.kind === "put-visit" ? change.visit.id : change.visitId}`;
}

/** Whether the report's start is still kept on the device (started without a connection). */
export const startPending = (reportId: string) => read().some((c) => c.key === `${reportId}/`);

export function discard(key: string): void {
  write(read().filter((c) => c.key !== key));
}

/** Visits as the assistant sees them: the server's, with unsent changes applied on top. */
export function withPending(reportId: string, visits: Visit[]): (Visit & { pending?: "put" | "delete"; failure?: string })[] {
  const changes = pendingChanges(reportId);
  const out: (Visit & { pending?: "put" | "delete"; failure?: string })[] = visits.map((v) => ({ ...v }));
  for (const c of changes) {
    if (c.kind === "start-report") continue;
    if (c.kind === "put-visit") {
      const i = out.findIndex((v) => v.id === c.visit.id);
      const entry = { ...c.visit, pending: "put" as const, failure: c.failure };
      if (i >= 0) out[i] = entry;
      else out.push(entry);
    } else {
      const v = out.find((x) => x.id === c.visitId);
      if (v) Object.assign(v, { pending: "delete" as const, failure: c.failure });
    }
  }
  return out.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

let flushing: Promise<void> | undefined;

/**
 * Sends the queued changes in order. Stops at the first missing connection (or an ended session:
 * the change waits for the next sign-in); a change the server refuses (a broken rule) stays on
 * the device with the server's message, for the assistant to fix in place.
 */
export function flush(send: (change: PendingChange) => Promise<unknown>): Promise<void> {
  if (flushing) return flushing;
  const run = (async () => {
    for (const change of read()) {
      if (change.failure) continue;
      try {
        await send(change);
        discard(change.key);
      } catch (error) {
        if (error instanceof OfflineError || isSessionEnded(error)) return;
        const failure = error instanceof ApiError ? error.message : String(error);
        write(read().map((c) => (c.key === change.key ? { ...c, failure } : c)));
      }
    }
  })();
  // Cleared once this run has ended, never before it is stored: a run with nothing to send ends
  // at once, and clearing inside it left the finished run in place, so no later flush sent anything.
  flushing = run.finally(() => {
    flushing = undefined;
  });
  return flushing;
}

/** The session has ended (401): the change is kept as it is and sent after the next sign-in. */
export const isSessionEnded = (error: unknown) => error instanceof ApiError && error.status === 401;

/** A change kept on the device for a visit, if any (so an edit of a visit never sent is still its creation). */
export function pendingChangeOf(reportId: string, visitId: string): PendingChange | undefined {
  return read().find((c) => c.key === `${reportId}/${visitId}`);
}

/** Remembers the last answer of a read so the assistant's pages still show something offline. */
export function cache<T>(key: string, value?: T): T | undefined {
  try {
    if (value !== undefined) {
      localStorage.setItem(CACHE_PREFIX + key, JSON.stringify(value));
      return value;
    }
    const raw = localStorage.getItem(CACHE_PREFIX + key);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return value;
  }
}

/** Forgets the cached reads (on sign-out: a phone may be shared); unsent changes stay until sent. */
export function clearCache(): void {
  for (const key of Object.keys(localStorage)) if (key.startsWith(CACHE_PREFIX)) localStorage.removeItem(key);
}
