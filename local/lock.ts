import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Runs `fn` while holding a lock directory (atomic mkdir), so builds that share output folders
 * (SST's .sst/artifacts, web/dist) run one at a time across processes. A lock left by a dead
 * process, or older than ten minutes, is taken over.
 */
export async function withLock<T>(lock: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(lock), { recursive: true });
  const staleMs = 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      try {
        const holder = Number(readFileSync(join(lock, "pid"), "utf8"));
        if (Date.now() - statSync(lock).mtimeMs > staleMs || (holder && !isAlive(holder))) rmSync(lock, { recursive: true, force: true });
      } catch {
        // released meanwhile, or the holder has not written its pid yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
