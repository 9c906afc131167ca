import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import yazl from "yazl";
import { synthesise, type SynthResult } from "../../local/synth.js";
import { trialSettings } from "../../local/trial-settings.js";

export interface Bundle {
  stack: string;
  logicalId: string;
  /** functions/… handler for Karta's own functions; undefined for CDK/SST deploy-time helpers. */
  handler?: string;
  memoryMb: number;
  assetId: string;
  files: number;
  /** Sum of the bundle's file sizes (what Node loads at a cold start). */
  bytes: number;
  /** The same files zipped (what Lambda downloads). */
  zippedBytes: number;
  /** Whether it looks like an esbuild bundle (a .mjs/.js entry and no JavaScript under node_modules). */
  bundled: boolean;
}

export interface BundlesResult {
  stage: string;
  fromCache: boolean;
  synthSeconds: number;
  functions: Bundle[];
  /** Resources with a fixed monthly price, counted in the deployable templates. */
  fixed: { kmsKeys: number; alarms: number; schedules: number };
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out.sort();
}

function zippedSize(dir: string, files: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const file of files) zip.addBuffer(readFileSync(file), relative(dir, file), { mtime: new Date(0) });
    let bytes = 0;
    zip.outputStream.on("data", (chunk: Buffer) => (bytes += chunk.length));
    zip.outputStream.on("end", () => resolve(bytes));
    zip.outputStream.on("error", reject);
    zip.end();
  });
}

/** Every Lambda function of the deployable stage with the size of its synthesised asset. */
export async function measureBundles(stage = "prod"): Promise<BundlesResult> {
  const started = performance.now();
  const synth: SynthResult = await synthesise({ stage, ...(stage === "prod" ? { settings: trialSettings } : {}) });
  const synthSeconds = (performance.now() - started) / 1000;
  const functions: Bundle[] = [];
  const fixed = { kmsKeys: 0, alarms: 0, schedules: 0 };
  for (const template of Object.values(synth.templates)) {
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type === "AWS::KMS::Key") fixed.kmsKeys++;
      if (resource.Type === "AWS::CloudWatch::Alarm") fixed.alarms++;
      if (resource.Type === "AWS::Scheduler::Schedule") fixed.schedules++;
    }
  }
  for (const [stack, template] of Object.entries(synth.templates)) {
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      if (resource.Type !== "AWS::Lambda::Function") continue;
      const key: unknown = resource.Properties?.Code?.S3Key;
      const assetId = typeof key === "string" ? key.replace(/\.zip$/, "") : "";
      const dir = synth.assets[assetId];
      if (!dir) continue;
      const files = walk(dir);
      const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
      const code = files.filter((f) => /\.(m?js|cjs)$/.test(f));
      functions.push({
        stack,
        logicalId,
        handler: resource.Metadata?.["karta:handler"] as string | undefined,
        memoryMb: resource.Properties?.MemorySize ?? 128,
        assetId,
        files: files.length,
        bytes,
        zippedBytes: await zippedSize(dir, files),
        // Code under node_modules would mean an unbundled dependency (copied assets such as the PDF fonts sit in fonts/).
        bundled: code.length >= 1 && !code.some((f) => f.includes("/node_modules/")),
      });
    }
  }
  functions.sort((a, b) => b.bytes - a.bytes);
  return { stage, fromCache: synth.fromCache, synthSeconds, functions, fixed };
}
