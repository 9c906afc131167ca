// "Now" for defaults (today's date, this month): the device clock, or the local stack's virtual
// clock when the local panel is present, so that a month can be walked through in minutes.
let offsetMs = 0;
const listeners = new Set<() => void>();

export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

/** Aligns "now" with an instant the server reported. */
export function syncClock(serverNow: string): void {
  const next = Date.parse(serverNow) - Date.now();
  if (Number.isNaN(next)) return;
  const changed = Math.abs(next - offsetMs) > 1000;
  offsetMs = next;
  if (changed) for (const l of listeners) l();
}

export function onClockChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}
