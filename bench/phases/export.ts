import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { mb, round } from "../stats.js";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "..", "..");

export interface ExportStep {
  mode: string;
  lines: number;
  seconds: number;
  cpuSeconds: number;
  baselineRssBytes: number;
  sampledPeakRssBytes: number;
  maxRssBytes: number;
  files: { name: string; bytes: number; seconds: number }[];
}

export interface ExportResult {
  lines: number;
  /** CSV + XLSX through functions/core/exports, one process. */
  karta: { seconds: number; peakRssMb: number; baselineRssMb: number; files: ExportStep["files"] };
  /** The CSV alone through functions/core/exports. */
  kartaCsv: { seconds: number; peakRssMb: number };
  /** The same rows with csv-stringify alone. */
  rawCsv: { seconds: number; peakRssMb: number };
  /** Karta CSV + XLSX time ÷ raw csv-stringify time. */
  ratio: number;
  /** Karta CSV time ÷ raw csv-stringify time. */
  csvRatio: number;
}

async function child(mode: string, lines: number, dir: string): Promise<ExportStep> {
  const { stdout } = await run(process.execPath, ["--import", "tsx", join(root, "bench/phases/export-child.ts"), mode, String(lines), dir], {
    cwd: root,
    maxBuffer: 1 << 20,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  });
  return JSON.parse(stdout) as ExportStep;
}

/** Each step in its own process (peak memory per step), raw baseline first and last to even out warm disks. */
export async function measureExport(lines: number, onStep?: (label: string) => void): Promise<ExportResult> {
  const dir = await mkdtemp(join(tmpdir(), "karta-bench-export-"));
  try {
    onStep?.("raw csv-stringify");
    const raw1 = await child("raw-csv", lines, dir);
    onStep?.("Karta CSV");
    const csv = await child("karta-csv", lines, dir);
    onStep?.("Karta CSV + XLSX");
    const karta = await child("karta", lines, dir);
    onStep?.("raw csv-stringify again");
    const raw2 = await child("raw-csv", lines, dir);
    const rawSeconds = Math.min(raw1.seconds, raw2.seconds);
    const peak = (s: ExportStep) => mb(Math.max(s.maxRssBytes, s.sampledPeakRssBytes));
    return {
      lines,
      karta: { seconds: round(karta.seconds, 2), peakRssMb: peak(karta), baselineRssMb: mb(karta.baselineRssBytes), files: karta.files },
      kartaCsv: { seconds: round(csv.seconds, 2), peakRssMb: peak(csv) },
      rawCsv: { seconds: round(rawSeconds, 2), peakRssMb: Math.max(peak(raw1), peak(raw2)) },
      ratio: round(karta.seconds / rawSeconds, 1),
      csvRatio: round(csv.seconds / rawSeconds, 1),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
