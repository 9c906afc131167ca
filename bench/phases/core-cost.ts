import { priceReport, Report, reportProblems, validateForSubmission } from "../../functions/core/report.js";
import { benchProgramme, signedReport } from "../data.js";
import { median, percentile, round } from "../stats.js";

export interface CoreCostResult {
  visits: number;
  runs: number;
  /** Median CPU time (user + system) of validateForSubmission + priceReport, ms. */
  medianCpuMs: number;
  p99CpuMs: number;
  medianWallMs: number;
  /** The same plus parsing the report through its schema first, as a handler does at the edge. */
  withParseMedianCpuMs: number;
}

const cpuMs = (start: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

/** CPU time of validating and pricing one report with `visits` visits, median over `runs` runs in this process. */
export function measureCoreCost(opts: { visits?: number; runs?: number } = {}): CoreCostResult {
  const visits = opts.visits ?? 60;
  const runs = opts.runs ?? 2000;
  const programme = benchProgramme();
  // One beneficiary, one-hour visits packed from the 1st: 60 visits fit in 5 days of 08:00–20:00.
  const report = signedReport(programme, 1, 0, visits, undefined, 1);
  const context = { programme, otherVisits: [], order: { orderedMinutes: visits * 60 }, now: "2030-01-01T00:00:00.000Z" };
  const problems = reportProblems(report, context);
  if (problems.length) throw new Error(`The bench report is not valid: ${problems.map((p) => p.message).join("; ")}`);
  const raw = JSON.parse(JSON.stringify(report));

  const measure = (fn: () => void) => {
    for (let i = 0; i < Math.min(200, runs); i++) fn(); // warm-up: JIT, caches
    const cpu: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < runs; i++) {
      const c = process.cpuUsage();
      const w = performance.now();
      fn();
      wall.push(performance.now() - w);
      cpu.push(cpuMs(c));
    }
    return { cpu, wall };
  };
  const core = measure(() => {
    validateForSubmission(report, context);
    priceReport(report, programme);
  });
  const withParse = measure(() => {
    const parsed = Report.parse(raw);
    validateForSubmission(parsed, context);
    priceReport(parsed, programme);
  });
  return {
    visits,
    runs,
    medianCpuMs: round(median(core.cpu), 3),
    p99CpuMs: round(percentile(core.cpu, 99), 3),
    medianWallMs: round(median(core.wall), 3),
    withParseMedianCpuMs: round(median(withParse.cpu), 3),
  };
}
