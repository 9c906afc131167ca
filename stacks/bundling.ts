import type { FunctionProps } from "sst/constructs";

/**
 * The PDF exports read DejaVu Sans (Polish letters) from the dejavu-fonts-ttf package at run
 * time; esbuild bundles code, not font files, so functions that draw PDFs get the files copied
 * to the same path inside their bundle.
 */
export const pdfFonts: FunctionProps["copyFiles"] = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((file) => ({
  from: `node_modules/dejavu-fonts-ttf/ttf/${file}`,
  to: `node_modules/dejavu-fonts-ttf/ttf/${file}`,
}));
