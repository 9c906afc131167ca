import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";
import type { FunctionProps } from "sst/constructs";

/**
 * How SST's esbuild bundles every function (default function props in sst.config.ts).
 *
 * - The AWS SDK v3 is not bundled: the nodejs22.x runtime provides `@aws-sdk/*` (with the
 *   `@smithy/*` packages they are built on), so each function uses the runtime's SDK version
 *   rather than the one pinned in package.json (docs/deploy.md, "Bundles and the AWS SDK").
 *   The imports stay in the bundle by name (`import{PutCommand as x}from"@aws-sdk/lib-dynamodb"`),
 *   which is what the least-privilege stack test reads.
 * - nodemailer (MIME of every e-mail) carries a 76 KB table of file types, only consulted when an
 *   attachment has no content type; Karta always gives one, so a stub with Karta's types stands
 *   in for it (stacks/bundle-stubs/nodemailer-mime-types.cjs, compared with the table in tests).
 * - fontkit (used by pdfkit and by the PDF exports) decodes WOFF2 fonts with brotli, whose
 *   dictionary is 450 KB of JavaScript. Karta only loads TrueType fonts (subset DejaVu Sans), so that
 *   decoder is replaced by one that fails loudly if a WOFF2 font is ever given.
 * - iconv-lite (the Elixir-O payment file in windows-1250) carries the tables of the Chinese,
 *   Japanese and Korean double-byte encodings, 410 KB; Karta encodes only single-byte code pages,
 *   so those encodings are left out (an unknown encoding fails loudly in iconv-lite itself).
 * - The X-Ray SDK (Powertools' tracer) needs semver (30 KB) only to check the version of the AWS
 *   SDK v2 it would patch; Karta traces SDK v3 clients (captureAWSv3Client), so a stub that fails
 *   loudly stands in for it. Its one @smithy import (service-error-classification, 2 KB, loaded at
 *   cold start) is bundled rather than left to the runtime's SDK, whose copy it would otherwise need.
 */
export const nodejsBundling: NonNullable<FunctionProps["nodejs"]> = {
  format: "esm",
  minify: true,
  sourcemap: false,
  esbuild: {
    external: ["@aws-sdk/*", "@smithy/*"],
    plugins: [
      {
        // nodemailer's table of every MIME type (76 KB) → the types Karta sends (see the stub).
        name: "karta-mime-types",
        setup(build) {
          build.onResolve({ filter: /^\.\/mime-types(\.js)?$/ }, (args) =>
            /nodemailer[\\/]lib[\\/]mime-funcs$/.test(args.resolveDir) ? { path: resolve("stacks/bundle-stubs/nodemailer-mime-types.cjs") } : undefined,
          );
        },
      },
      {
        name: "karta-no-double-byte-encodings",
        setup(build) {
          build.onResolve({ filter: /^\.\/dbcs-(codec|data)(\.js)?$/ }, (args) =>
            /iconv-lite[\\/]encodings$/.test(args.resolveDir) ? { path: args.path, namespace: "karta-no-double-byte-encodings" } : undefined,
          );
          build.onLoad({ filter: /.*/, namespace: "karta-no-double-byte-encodings" }, () => ({ contents: "module.exports = {};", loader: "js" }));
        },
      },
      {
        name: "karta-no-sdk-v2-tracing",
        setup(build) {
          build.onResolve({ filter: /^@smithy\/service-error-classification$/ }, (args) =>
            /aws-xray-sdk-core[\\/]/.test(args.resolveDir) ? { path: createRequire(join(args.resolveDir, "index.js")).resolve(args.path) } : undefined,
          );
          build.onResolve({ filter: /^semver$/ }, (args) =>
            /aws-xray-sdk-core[\\/]dist[\\/]lib[\\/]patchers$/.test(args.resolveDir) ? { path: "semver", namespace: "karta-no-sdk-v2-tracing" } : undefined,
          );
          build.onLoad({ filter: /.*/, namespace: "karta-no-sdk-v2-tracing" }, () => ({
            contents: 'export function gte() { throw new Error("AWS SDK v2 clients are not traced: semver is left out of the bundle (stacks/bundling.ts)"); }',
            loader: "js",
          }));
        },
      },
      {
        name: "karta-no-woff2",
        setup(build) {
          build.onResolve({ filter: /^brotli\/decompress(\.js)?$/ }, (args) => ({ path: args.path, namespace: "karta-no-woff2" }));
          build.onLoad({ filter: /.*/, namespace: "karta-no-woff2" }, () => ({
            contents: 'export default function decompress() { throw new Error("WOFF2 fonts are not supported: brotli is left out of the bundle (stacks/bundling.ts)"); }',
            loader: "js",
          }));
        },
      },
    ],
  },
};

/**
 * The PDF exports read subset DejaVu Sans fonts (Polish letters, Cyrillic…) from
 * functions/core/exports/fonts/ at run time (scripts/subset-fonts.sh makes them); esbuild bundles
 * code, not font files, so functions that draw PDFs get the folder, with the fonts' LICENSE,
 * copied to fonts/ at the bundle's root, where pdf.ts looks when no fonts/ is beside it. The fonts
 * go brotli-compressed (`.ttf.br`, 290 → 150 KB; Node decompresses them, nothing in the bundle),
 * which keeps that bundle under 1 MB with Powertools in it.
 */
export const pdfFonts: FunctionProps["copyFiles"] = [{ from: compressedFonts("functions/core/exports/fonts", ".sst/karta-fonts"), to: "fonts" }];

/** The folder's fonts brotli-compressed (the same bytes for the same font: a stable asset hash), other files as they are. */
function compressedFonts(from: string, to: string): string {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const bytes = readFileSync(join(from, name));
    if (!name.endsWith(".ttf")) writeFileSync(join(to, name), bytes);
    else writeFileSync(join(to, `${name}.br`), brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }));
  }
  return to;
}
