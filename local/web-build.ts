import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { withLock } from "./lock.js";

const sources = ["index.html", "vite.config.ts", "src", "public"];

function hashWeb(webDir: string): string {
  const hash = createHash("sha256");
  const walk = (path: string) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) walk(join(path, entry));
    } else {
      hash.update(relative(webDir, path));
      hash.update(readFileSync(path));
    }
  };
  for (const source of sources) walk(join(webDir, source));
  return hash.digest("hex").slice(0, 16);
}

/**
 * Builds the web app into web/dist when its sources changed since the last build (the local
 * stack serves it; in AWS the StaticSite builds it on deploy).
 */
export async function ensureWebBuilt(webDir: string, log: (line: string) => void): Promise<void> {
  if (!existsSync(join(webDir, "index.html"))) return;
  await withLock(join(webDir, "..", ".sst", "web-build.lock"), () => build(webDir, log));
}

async function build(webDir: string, log: (line: string) => void): Promise<void> {
  const stamp = join(webDir, "dist", ".karta-source-hash");
  const hash = hashWeb(webDir);
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash) return;
  log("web: building the app (vite)…");
  const vite = await import("vite");
  await vite.build({ root: webDir, logLevel: "warn", configFile: join(webDir, "vite.config.ts") });
  writeFileSync(stamp, hash);
}
