import type { FunctionProps } from "sst/constructs";

/**
 * How SST's esbuild bundles every function (default function props in sst.config.ts).
 *
 * - The AWS SDK v3 is not bundled: the nodejs22.x runtime provides `@aws-sdk/*` (with the
 *   `@smithy/*` packages they are built on), so each function uses the runtime's SDK version
 *   rather than the one pinned in package.json (docs/deploy.md, "Bundles and the AWS SDK").
 *   The imports stay in the bundle by name (`import{PutCommand as x}from"@aws-sdk/lib-dynamodb"`),
 *   which is what the least-privilege stack test reads.
 * - fontkit (used by pdfkit and by the PDF exports) decodes WOFF2 fonts with brotli, whose
 *   dictionary is 450 KB of JavaScript. Karta only loads TrueType fonts (DejaVu Sans), so that
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
 * The PDF exports read DejaVu Sans (Polish letters) from the dejavu-fonts-ttf package at run
 * time; esbuild bundles code, not font files, so functions that draw PDFs get the files copied
 * to the same path inside their bundle.
 */
export const pdfFonts: FunctionProps["copyFiles"] = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((file) => ({
  from: `node_modules/dejavu-fonts-ttf/ttf/${file}`,
  to: `node_modules/dejavu-fonts-ttf/ttf/${file}`,
}));
