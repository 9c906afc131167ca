// Changes an assistant makes without a connection are kept on the device (IndexedDB, see
// device-store.ts) and sent when the connection is back, in the order they were made. Visits
// carry ids made on the device and a report's id comes from its keys (the server names it with
// each order), so sending a change twice is harmless (POST of a report answers the existing one;
// PUT and DELETE by id). The pages read a copy in memory, loaded before the app starts
// (`loadPending`) and written through: a change counts as kept once its IndexedDB transaction
// has completed, which is what `queue` waits for. The tabs of the site tell each other of a
// change (BroadcastChannel) and send one at a time (a Web Lock), each reading the store afresh.
import { ApiError, OfflineError } from "./api";
import { openChangeStore, type ChangeStore } from "./device-store";
import type { Visit } from "./types";

type Kept = { key: string; seq: number; queuedAt: string; failure?: string };

export type PendingChange = Kept &
  (
    | { kind: "put-visit"; reportId: string; visit: Visit; isNew: boolean }
    | { kind: "delete-visit"; reportId: string; visitId: string }
    | { kind: "start-report"; reportId: string; programmeId: string; month: string; beneficiaryCode: string }
  );

const CACHE_PREFIX = "karta.cache:";
const listeners = new Set<() => void>();

/** The device could not keep a change (storage full or refused): it is held only while the page stays open. */
export class DeviceStorageError extends Error {
  constructor(cause: unknown) {
    super("device storage", { cause });
    this.name = "DeviceStorageError";
  }
}

let store: ChangeStore<PendingChange> | undefined;
let mirror: PendingChange[] = [];
/** Counts local writes, so a reload that raced one reads again. */
let generation = 0;
const channel = typeof BroadcastChannel === "undefined" ? undefined : new BroadcastChannel("karta.pending");

/** Opens the device's store and reads the kept changes; called once before the app is shown. */
export async function loadPending(): Promise<void> {
  store ??= await openChangeStore<PendingChange>();
  await reload();
  if (channel) channel.onmessage = () => void reload();
}

/** Which store holds the changes (shown in docs and checked by the browser tests). */
export const storeKind = () => store?.kind;

async function reload(): Promise<void> {
  if (!store) return;
  const seen = generation;
  const all = await store.all();
  if (seen !== generation) return reload();
  mirror = all;
  notify();
}

function notify() {
  for (const l of listeners) l();
}

const read = () => mirror;

let persistAsked = false;

/** Updates the copy in memory at once and the device's store in one transaction; resolves once it is kept. */
function commit(puts: PendingChange[], removes: string[]): Promise<void> {
  generation++;
  const gone = new Set([...removes, ...puts.map((c) => c.key)]);
  mirror = [...mirror.filter((c) => !gone.has(c.key)), ...puts].sort((a, b) => a.seq - b.seq);
  notify();
  // Kept changes are the only copy of a visit: ask the browser not to evict this site's storage
  // under pressure (granted silently to an installed or often used site; harmless if refused).
  if (puts.length && !persistAsked) {
    persistAsked = true;
    void navigator.storage?.persist?.().catch(() => undefined);
  }
  if (!store) return Promise.reject(new DeviceStorageError("the store is not open"));
  return store.write(puts, removes).then(
    () => channel?.postMessage("changed"),
    (error) => {
      console.error("karta: a change could not be kept on the device", error);
      throw new DeviceStorageError(error);
    },
  );
}

export function pendingChanges(reportId?: string): PendingChange[] {
  const all = read();
  return reportId ? all.filter((c) => c.reportId === reportId) : all;
}

export function onPendingChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** Keeps a change on the device; a later change of the same visit replaces the earlier one. Resolves once it is kept. */
export function queue(change: DistributiveOmit<PendingChange, "key" | "queuedAt" | "seq">): Promise<void> {
  const key = keyOf(change);
  const earlier = read().find((c) => c.key === key);
  // A visit created offline and then removed offline never needs to reach the server.
  if (change.kind === "delete-visit" && earlier?.kind === "put-visit" && earlier.isNew) return commit([], [key]);
  // A visit created offline and then edited offline is still new.
  const next = change.kind === "put-visit" && earlier?.kind === "put-visit" && earlier.isNew ? { ...change, isNew: true } : change;
  // sent after every change kept before it, also those kept by another tab
  const seq = Math.max(Date.now(), ...read().map((c) => c.seq + 1));
  return commit([{ ...next, key, seq, queuedAt: new Date().toISOString() } as PendingChange], []);
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** One kept change per visit (the last one wins) and one per report start. */
function keyOf(change: DistributiveOmit<PendingChange, "key" | "queuedAt" | "seq">): string {
  if (change.kind === "start-report") return `${change.reportId}/`;
  return `${change.reportId}/${change.kind === "put-visit" ? change.visit.id : change.visitId}`;
}

/** Whether the report's start is still kept on the device (started without a connection). */
export const startPending = (reportId: string) => read().some((c) => c.key === `${reportId}/`);

export function discard(key: string): Promise<void> {
  return commit([], [key]);
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
  const run = oneTabAtATime(async () => {
    await reload(); // another tab may have sent some meanwhile
    for (const change of read()) {
      if (change.failure) continue;
      try {
        await send(change);
        // unless the assistant changed it again while it was being sent
        if (unchanged(change)) await discard(change.key);
      } catch (error) {
        if (error instanceof OfflineError || isSessionEnded(error) || error instanceof DeviceStorageError) return;
        const failure = error instanceof ApiError ? error.message : String(error);
        if (unchanged(change)) await commit([{ ...change, failure }], []).catch(() => undefined);
      }
    }
  });
  // Cleared once this run has ended, never before it is stored: a run with nothing to send ends
  // at once, and clearing inside it left the finished run in place, so no later flush sent anything.
  flushing = run.finally(() => {
    flushing = undefined;
  });
  return flushing;
}

const unchanged = (change: PendingChange) => read().find((c) => c.key === change.key)?.seq === change.seq;

/** Runs `work` while no other tab of the site sends (a Web Lock), or at once where there are none. */
function oneTabAtATime(work: () => Promise<void>): Promise<void> {
  const locks = typeof navigator === "undefined" ? undefined : navigator.locks;
  // the lock is held until `work` settles; its promise is what request answers
  return locks ? (locks.request("karta.flush", work) as unknown as Promise<void>) : work();
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
