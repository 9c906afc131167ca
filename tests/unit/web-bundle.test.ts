import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const webDir = resolve(import.meta.dirname, "../../web");
const LIMIT_BYTES = 150 * 1024;

type Manifest = Record<string, { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[] }>;

describe("the web app's first load", () => {
  let outDir: string;
  let manifest: Manifest;

  beforeAll(async () => {
    // A private build (its own folder), so it never races the local stack's build of web/dist.
    outDir = mkdtempSync(join(tmpdir(), "karta-web-"));
    const { build } = await import("vite");
    await build({ root: webDir, configFile: join(webDir, "vite.config.ts"), logLevel: "warn", build: { outDir, emptyOutDir: true, manifest: true } });
    manifest = JSON.parse(readFileSync(join(outDir, ".vite", "manifest.json"), "utf8"));
  }, 120_000);

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  /** Every chunk the browser loads before the page can run: the entry and its static imports. */
  function firstLoad(): string[] {
    const seen = new Set<string>();
    const visit = (key: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      for (const next of manifest[key].imports ?? []) visit(next);
    };
    visit("index.html");
    return [...seen].map((key) => manifest[key].file);
  }

  const gzipped = (file: string) => gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length;

  it("ships at most 150 KB of gzipped JavaScript on the assistant's page", () => {
    const files = firstLoad();
    const sizes = files.map((file) => [file, gzipped(file)] as const);
    const total = sizes.reduce((sum, [, size]) => sum + size, 0);
    console.log(`web: first load ${(total / 1024).toFixed(1)} KB gzipped JS in ${files.length} files (${sizes.map(([f, s]) => `${f.replace("assets/", "")} ${(s / 1024).toFixed(1)} KB`).join(", ")})`);
    expect(files.every((f) => f.endsWith(".js"))).toBe(true);
    expect(total).toBeLessThanOrEqual(LIMIT_BYTES);
  });

  it("keeps the staff pages, the signature pad and English out of the first load", () => {
    const first = new Set(firstLoad());
    const lazy = Object.values(manifest).filter((chunk) => /(sign|approvals|batches|orders|board|overview|en)-/.test(chunk.file));
    expect(lazy.length).toBeGreaterThanOrEqual(7);
    for (const chunk of lazy) expect(first.has(chunk.file)).toBe(false);
    const signPad = Object.values(manifest).find((c) => c.file.includes("sign-"))!;
    console.log(`web: signature page chunk ${(gzipped(signPad.file) / 1024).toFixed(1)} KB gzipped (loaded when the assistant opens it)`);
  });
});
