// "Now" for defaults (today's date, this month) and the future-visit check: the device clock
// aligned with the server's (or the local stack's virtual clock), so that a month can be walked
// through in minutes. The last offset is kept on the device: a reload without a connection keeps it.
const OFFSET_KEY = "karta.clockOffset";
let offsetMs = readOffset();
const listeners = new Set<() => void>();

function readOffset(): number {
  try {
    const kept = Number(localStorage.getItem(OFFSET_KEY) ?? "0");
    return Number.isFinite(kept) ? kept : 0;
  } catch {
    return 0;
  }
}

export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

/** Aligns "now" with an instant the server reported. */
export function syncClock(serverNow: string): void {
  const next = Date.parse(serverNow) - Date.now();
  if (Number.isNaN(next)) return;
  const changed = Math.abs(next - offsetMs) > 1000;
  offsetMs = next;
  try {
    localStorage.setItem(OFFSET_KEY, String(next));
  } catch {
    // private mode: the offset lasts as long as the page
  }
  if (changed) for (const l of listeners) l();
}

export function onClockChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}
