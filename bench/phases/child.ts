// Runs one local-stack phase in a fresh process: the handlers' SDK clients are created once per
// process (as in a Lambda container), so each local stack needs its own process.
// `node --import tsx bench/phases/child.ts <intake|month> '<json options>' <result file>`
import { writeFileSync } from "node:fs";

const [phase, json, out] = process.argv.slice(2);
const options = { ...JSON.parse(json), log: (line: string) => process.stderr.write(`${line}\n`) };
try {
  const result =
    phase === "intake"
      ? await (await import("./intake.js")).measureIntake(options)
      : phase === "month"
        ? await (await import("./month.js")).measureMonth(options)
        : phase === "batch"
          ? await (await import("./batch.js")).measureBatch(options)
          : undefined;
  if (!result) throw new Error(`unknown phase ${phase}`);
  writeFileSync(out, JSON.stringify({ ok: true, value: { ...result, processMaxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) } }));
} catch (error) {
  writeFileSync(out, JSON.stringify({ ok: false, reason: `${(error as Error).name}: ${(error as Error).message}` }));
}
process.exit(0);
