/**
 * A progress bar with an estimated time left, on stderr. On a terminal it redraws one line;
 * elsewhere (CI) it prints at most one line per quarter so logs stay short.
 */
export interface Progress {
  tick(done: number): void;
  add(n?: number): void;
  done(note?: string): void;
}

const tty = process.stderr.isTTY === true;

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  if (seconds < 60) return `${seconds.toFixed(0)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return `${m} min ${String(s).padStart(2, "0")} s`;
}

/** Estimated seconds left from the rate so far; undefined before anything is done. */
export function eta(done: number, total: number, elapsedSeconds: number): number | undefined {
  if (done <= 0 || total <= 0) return undefined;
  return (elapsedSeconds / done) * Math.max(0, total - done);
}

export function progress(label: string, total: number, opts: { quiet?: boolean } = {}): Progress {
  const started = performance.now();
  let current = 0;
  let lastDraw = 0;
  let lastQuarter = -1;
  const line = (done: number) => {
    const elapsed = (performance.now() - started) / 1000;
    const ratio = total > 0 ? Math.min(1, done / total) : 1;
    const width = 24;
    const filled = Math.round(ratio * width);
    const left = eta(done, total, elapsed);
    return `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${Math.min(done, total)}/${total} ${(ratio * 100).toFixed(0)}% · ${formatSeconds(elapsed)} elapsed · ETA ${left === undefined ? "?" : formatSeconds(left)}`;
  };
  const draw = (force = false) => {
    if (opts.quiet) return;
    const now = performance.now();
    if (tty) {
      if (!force && now - lastDraw < 200) return;
      lastDraw = now;
      process.stderr.write(`\r\x1b[2K${line(current)}`);
    } else {
      const quarter = total > 0 ? Math.floor((current / total) * 4) : 4;
      if (!force && quarter === lastQuarter) return;
      lastQuarter = quarter;
      process.stderr.write(`${line(current)}\n`);
    }
  };
  return {
    tick(done) {
      current = done;
      draw();
    },
    add(n = 1) {
      current += n;
      draw();
    },
    done(note) {
      current = Math.max(current, total);
      if (opts.quiet) return;
      const elapsed = formatSeconds((performance.now() - started) / 1000);
      process.stderr.write(`${tty ? "\r\x1b[2K" : ""}${label}: done in ${elapsed}${note ? ` · ${note}` : ""}\n`);
    },
  };
}

/** Runs `work` over `items` with at most `concurrency` in flight, ticking the bar. */
export async function pool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>, bar?: Progress): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
      bar?.add();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
