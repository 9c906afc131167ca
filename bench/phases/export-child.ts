// Runs one export step in its own process so its peak memory is its own:
// `node --import tsx bench/phases/export-child.ts <karta|karta-csv|raw-csv> <lines> <dir>`; prints JSON.
import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { CSV_COLUMNS, writeBatchCsv, writeBatchXlsx, type BatchHeader, type BatchLine, type ReportRow } from "../../functions/core/exports/index.js";

const [mode, linesArg, dir] = process.argv.slice(2);
const LINES = Number(linesArg);
const RATE = 9600;
const MINUTES = 2160;
const GROSS = 345_600;

const header: BatchHeader = {
  batchId: "B-BENCH",
  programmeId: "bench",
  programmeName: "Pomiar — program krajowy",
  month: "2026-11",
  kind: "main",
  createdAt: "2026-12-10T09:00:00.000Z",
  totals: { reports: LINES, minutes: LINES * MINUTES, grosze: LINES * GROSS },
};

function line(i: number): BatchLine {
  return {
    assistantName: `Asystentka Żółkiewska ${i}`,
    contractNumber: `BEN/${i}/2026`,
    bankAccount: `61109010140000071219${String(i % 1_000_000).padStart(6, "0")}`,
    month: "2026-11",
    minutes: MINUTES,
    grossGrosze: GROSS,
    reportIds: [`rep-2026-11-${i}`],
    rateLines: [{ reportId: `rep-2026-11-${i}`, beneficiaryCode: `BN-${i}`, rateGrosze: RATE, minutes: MINUTES, amountGrosze: GROSS }],
  };
}

function* lines(): Generator<BatchLine> {
  for (let i = 0; i < LINES; i++) yield line(i);
}

function* reports(): Generator<ReportRow> {
  for (let i = 0; i < LINES; i++) {
    yield {
      reportId: `rep-2026-11-${i}`,
      version: 1,
      assistantName: `Asystentka Żółkiewska ${i}`,
      beneficiaryCode: `BN-${i}`,
      month: "2026-11",
      totalMinutes: MINUTES,
      amountGrosze: GROSS,
      rateLines: [{ rateGrosze: RATE, minutes: MINUTES, amountGrosze: GROSS }],
      contentHash: "3f".repeat(32),
      approvedBy: "Ewa Żak",
      approvedAt: "2026-12-04T10:15:00.000Z",
    };
  }
}

/**
 * The same cells as the Karta CSV, formatted by plain code: what csv-stringify alone costs. The
 * columns come from Karta's CSV column list (CSV_COLUMNS), so a column added there is written
 * here too; a heading without a plain value below stops the benchmark rather than being left out.
 */
const RAW_CELLS: Record<string, (l: BatchLine) => string> = {
  Asystent: (l) => l.assistantName,
  "Nr umowy": (l) => l.contractNumber,
  "Nr rachunku bankowego": (l) => {
    const a = l.bankAccount;
    return `${a.slice(0, 2)} ${a.slice(2, 6)} ${a.slice(6, 10)} ${a.slice(10, 14)} ${a.slice(14, 18)} ${a.slice(18, 22)} ${a.slice(22, 26)}`;
  },
  Miesiąc: (l) => l.month,
  "Nr sprawozdania": (l) => l.rateLines[0].reportNumber ?? l.rateLines[0].reportId,
  "Kod uczestnika": (l) => l.rateLines[0].beneficiaryCode,
  "Godziny (GG:MM)": () => "36:00",
  "Godziny (dziesiętnie)": () => "36,00",
  "Stawka (zł)": () => "96,00",
  "Kwota brutto (zł)": () => "3456,00",
  "Liczba sprawozdań": () => "1",
  "Id sprawozdania": (l) => l.rateLines[0].reportId,
  MPK: () => "",
  "Klasyfikacja budżetowa": () => "",
  "Kod projektu": () => "",
};
const rawCells = CSV_COLUMNS.map((heading) => {
  const cell = RAW_CELLS[heading];
  if (!cell) throw new Error(`bench raw-csv: no plain value for the CSV column "${heading}" (add it to RAW_CELLS)`);
  return cell;
});

function* rawRows(): Generator<string[]> {
  yield CSV_COLUMNS;
  for (let i = 0; i < LINES; i++) {
    const l = line(i);
    yield rawCells.map((cell) => cell(l));
  }
}

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
const baselineRss = process.memoryUsage().rss;
const files: { name: string; bytes: number; seconds: number }[] = [];

async function step(name: string, run: (path: string) => Promise<unknown>) {
  const path = join(dir, name);
  const started = performance.now();
  await run(path);
  files.push({ name, bytes: (await stat(path)).size, seconds: (performance.now() - started) / 1000 });
}

const started = performance.now();
if (mode === "karta" || mode === "karta-csv") {
  await step("batch.csv", (p) => writeBatchCsv(header, lines(), createWriteStream(p)));
}
if (mode === "karta") {
  await step("batch.xlsx", (p) => writeBatchXlsx(header, lines(), reports(), createWriteStream(p)));
}
if (mode === "raw-csv") {
  await step("raw.csv", (p) => pipeline(Readable.from(rawRows()), stringify({ delimiter: ";", record_delimiter: "windows", bom: true }), createWriteStream(p)));
}
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
const cpu = process.cpuUsage();
process.stdout.write(
  JSON.stringify({
    mode,
    lines: LINES,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    baselineRssBytes: baselineRss,
    sampledPeakRssBytes: peak,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    files,
  }),
);
