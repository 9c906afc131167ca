import { resolve } from "node:path";
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
 * copied to fonts/ at the bundle's root, where pdf.ts looks when no fonts/ is beside it.
 */
export const pdfFonts: FunctionProps["copyFiles"] = [{ from: "functions/core/exports/fonts", to: "fonts" }];
