import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "..");

/** Runs a local-stack phase in its own Node process (progress bars pass through on stderr). */
export async function inChild<T>(phase: "intake" | "month" | "batch", options: Record<string, unknown>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "karta-bench-child-"));
  const out = join(dir, "result.json");
  try {
    const code = await new Promise<string>((done, fail) => {
      const child = spawn(process.execPath, ["--import", "tsx", join(root, "bench/phases/child.ts"), phase, JSON.stringify(options), out], {
        cwd: root,
        stdio: ["ignore", "ignore", "inherit"],
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
      });
      child.once("error", fail);
      child.once("exit", (exitCode, signal) => done(signal ? `signal ${signal}` : `code ${exitCode}`));
    });
    let result: { ok: true; value: T } | { ok: false; reason: string };
    try {
      result = JSON.parse(readFileSync(out, "utf8"));
    } catch {
      throw new Error(`the ${phase} process exited (${code}) without a result`);
    }
    if (!result.ok) throw new Error(result.reason);
    return result.value;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
