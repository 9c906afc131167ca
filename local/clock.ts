import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export class ClockMovedBackwardsError extends Error {
  constructor(now: Date, requested: Date) {
    super(
      `The virtual clock cannot move backwards (now ${now.toISOString()}, requested ${requested.toISOString()}) / ` +
        `Zegar wirtualny nie może się cofać`,
    );
    this.name = "ClockMovedBackwardsError";
  }
}

export class InvalidDurationError extends Error {
  constructor(text: string) {
    super(`Invalid duration "${text}": use e.g. 3d, 6h, 30m, 45s, 500ms or 1d12h / Niepoprawny czas trwania`);
    this.name = "InvalidDurationError";
  }
}

const units = [
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1_000],
  ["ms", 1],
] as const;
const durationPattern = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Milliseconds in a duration written as days, hours, minutes, seconds, milliseconds in that order ("1d12h"). */
export function parseDuration(text: string): number {
  const match = durationPattern.exec(text.trim());
  if (!text.trim() || !match || match.slice(1).every((part) => part === undefined)) {
    throw new InvalidDurationError(text);
  }
  return units.reduce((total, [, ms], i) => total + Number(match[i + 1] ?? 0) * ms, 0);
}

export type ClockListener = (now: Date) => void;

export interface VirtualClockOptions {
  /** JSON file that keeps the virtual instant across restarts. */
  file?: string;
  /** Where a clock without a saved file starts; real now by default. */
  start?: Date;
  /** When true, virtual time also flows with real time from the last set point. */
  realtime?: boolean;
}

interface Waiter {
  at: number;
  resolve: () => void;
}

// setTimeout fires at once for delays above 2^31-1 ms, so long real-time waits are re-armed.
const maxTimerDelay = 2_147_483_647;
const realtimeSaveEveryMs = 1_000;

/**
 * The local stack's notion of "now": it only moves when told to (or with real time when
 * `realtime`), never backwards, and survives restarts through its file.
 */
export class VirtualClock {
  private anchorVirtual: number;
  private anchorReal: number;
  private readonly file?: string;
  private readonly realtime: boolean;
  private readonly listeners = new Set<ClockListener>();
  private waiters: Waiter[] = [];
  private timer?: NodeJS.Timeout;
  private saver?: NodeJS.Timeout;

  constructor(options: VirtualClockOptions = {}) {
    this.file = options.file;
    this.realtime = options.realtime ?? false;
    this.anchorReal = Date.now();
    const saved = this.file ? readSaved(this.file) : undefined;
    this.anchorVirtual = saved ?? (options.start ?? new Date()).getTime();
    if (Number.isNaN(this.anchorVirtual)) throw new Error("VirtualClock start is not a valid date");
    this.save();
    if (this.realtime && this.file) {
      this.saver = setInterval(() => this.save(), realtimeSaveEveryMs);
      this.saver.unref();
    }
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  set(instant: Date): void {
    const target = instant.getTime();
    if (Number.isNaN(target)) throw new Error("VirtualClock.set needs a valid date");
    const current = this.nowMs();
    if (target < current) throw new ClockMovedBackwardsError(new Date(current), instant);
    this.anchorVirtual = target;
    this.anchorReal = Date.now();
    this.save();
    this.release();
    const now = new Date(target);
    for (const listener of [...this.listeners]) listener(now);
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new Error(`VirtualClock.advance needs a non-negative number of milliseconds, got ${ms}`);
    }
    this.set(new Date(this.nowMs() + ms));
  }

  /** Calls the listener after every set/advance; returns the unsubscribe function. */
  onChange(listener: ClockListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  waitUntil(instant: Date, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const at = instant.getTime();
    if (Number.isNaN(at)) return Promise.reject(new Error("VirtualClock.waitUntil needs a valid date"));
    if (at <= this.nowMs()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        at,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        this.arm();
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
      this.waiters.sort((a, b) => a.at - b.at);
      this.arm();
    });
  }

  /** Number of pending waitUntil calls (for diagnostics and the local panel). */
  pendingWaits(): number {
    return this.waiters.length;
  }

  /** Writes the current instant and stops the real-time timers. */
  close(): void {
    this.save();
    if (this.timer) clearTimeout(this.timer);
    if (this.saver) clearInterval(this.saver);
    this.timer = undefined;
    this.saver = undefined;
  }

  private nowMs(): number {
    return this.realtime ? this.anchorVirtual + (Date.now() - this.anchorReal) : this.anchorVirtual;
  }

  private release(): void {
    const now = this.nowMs();
    const due = this.waiters.filter((w) => w.at <= now);
    if (due.length === 0) return this.arm();
    this.waiters = this.waiters.filter((w) => w.at > now);
    for (const waiter of due) waiter.resolve();
    this.arm();
  }

  private arm(): void {
    if (!this.realtime) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.waiters[0];
    if (!next) return;
    this.timer = setTimeout(() => this.release(), Math.min(Math.max(next.at - this.nowMs(), 0), maxTimerDelay));
  }

  private save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ now: new Date(this.nowMs()).toISOString() }) + "\n");
    renameSync(temp, this.file);
  }
}

function readSaved(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const saved = JSON.parse(readFileSync(file, "utf8")) as { now?: string };
  const at = saved.now ? Date.parse(saved.now) : NaN;
  if (Number.isNaN(at)) throw new Error(`Virtual clock file ${file} has no valid "now"`);
  return at;
}
