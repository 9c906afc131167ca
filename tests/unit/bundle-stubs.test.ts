import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CONTENT_TYPES } from "../../functions/core/exports/model.js";
import { nodejsBundling } from "../../stacks/bundling.js";

const require = createRequire(import.meta.url);
const real = require("nodemailer/lib/mime-funcs/mime-types.js") as { detectMimeType(f?: string): string; detectExtension(t?: string): string };
const stub = require("../../stacks/bundle-stubs/nodemailer-mime-types.cjs") as typeof real;
const dir = mkdtempSync(join(tmpdir(), "karta-stub-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the nodemailer MIME-type stub of the Lambda bundles", () => {
  it("answers like nodemailer's table for every type Karta sends, and with its defaults otherwise", () => {
    for (const name of ["a.csv", "b.xlsx", "c-pdf.zip", "d.pdf", "e.txt", "f.html", "g.png", "", undefined, "plik.xyz", "noext"]) {
      const expected = name && !["a.csv", "b.xlsx", "c-pdf.zip", "d.pdf", "e.txt", "f.html", "g.png"].includes(name) ? "application/octet-stream" : real.detectMimeType(name);
      expect(stub.detectMimeType(name), String(name)).toBe(expected);
    }
    for (const type of [...Object.values(CONTENT_TYPES).map((t) => t.split(";")[0]), "text/plain", "text/html", "image/png"]) {
      expect(stub.detectExtension(type), type).toBe(real.detectExtension(type));
    }
    expect(stub.detectExtension("text/x-unknown")).toBe("txt");
    expect(stub.detectExtension("application/x-unknown")).toBe("bin");
  });

  it("is what the bundle carries, and a bundled e-mail with attachments still builds", async () => {
    // The esbuild SST bundles with (its own copy), as tests/stacks/production.test.ts does.
    const esbuild = createRequire(join(process.cwd(), "node_modules/sst/runtime/handlers/node.js"))("esbuild") as {
      build(options: object): Promise<{ outputFiles: { text: string }[] }>;
    };
    const result = await esbuild.build({
      entryPoints: ["functions/core/email/mime.ts"],
      bundle: true,
      platform: "node",
      format: "esm",
      write: false,
      external: nodejsBundling.esbuild!.external,
      plugins: nodejsBundling.esbuild!.plugins,
      banner: { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' },
    });
    const code = result.outputFiles[0].text;
    expect(code).not.toContain("vnd.handheld-entertainment"); // a line of nodemailer's table
    const file = join(dir, "mime.mjs");
    writeFileSync(file, code);
    const { buildRawEmail } = (await import(pathToFileURL(file).href)) as typeof import("../../functions/core/email/mime.js");
    const raw = (
      await buildRawEmail({
        from: "karta@example.pl",
        to: ["ksiegowosc@example.pl"],
        subject: "Paczka",
        text: "Treść",
        html: "<p>Treść</p>",
        attachments: [{ filename: "paczka.csv", contentType: CONTENT_TYPES.csv, content: Buffer.from("a;b\n") }],
        date: new Date("2026-12-10T09:00:00Z"),
      })
    ).toString();
    expect(raw).toContain("Content-Type: text/csv; charset=utf-8; name=paczka.csv");
    expect(raw).toContain("Content-Type: text/html");
  });
});

describe("iconv-lite in the Lambda bundles", () => {
  it("encodes windows-1250 as iconv-lite does, without the double-byte encodings' tables", async () => {
    const esbuild = createRequire(join(process.cwd(), "node_modules/sst/runtime/handlers/node.js"))("esbuild") as {
      build(options: object): Promise<{ outputFiles: { text: string }[] }>;
    };
    const result = await esbuild.build({
      stdin: { contents: 'import iconv from "iconv-lite"; export const encode = (text) => iconv.encode(text, "win1250"); export const exists = (name) => iconv.encodingExists(name);', resolveDir: process.cwd() },
      bundle: true,
      platform: "node",
      format: "esm",
      write: false,
      minify: true,
      external: nodejsBundling.esbuild!.external,
      plugins: nodejsBundling.esbuild!.plugins,
      banner: { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' },
    });
    const code = result.outputFiles[0].text;
    expect(code.length).toBeLessThan(120_000); // with the tables it is 520 KB
    const file = join(dir, "iconv.mjs");
    writeFileSync(file, code);
    const bundled = (await import(pathToFileURL(file).href)) as { encode(text: string): Buffer; exists(name: string): boolean };
    const iconv = require("iconv-lite") as { encode(text: string, encoding: string): Buffer };
    const text = "Zażółć gęślą jaźń — ZAŻÓŁĆ GĘŚLĄ JAŹŃ, „Ośrodek” 1 234,56 zł\r\n";
    expect(bundled.encode(text).equals(iconv.encode(text, "win1250"))).toBe(true);
    expect(bundled.exists("cp1250")).toBe(true);
    expect(bundled.exists("shiftjis")).toBe(false);
  });
});
