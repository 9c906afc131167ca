// Re-evaluates the targets of a finished run and writes its RESULTS.md again, with the current
// report code (a wording or target change needs no new run): `npx tsx bench/render.ts [DIR]`
// (default bench/), reading DIR/results.json.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { evaluateTargets, renderMarkdown, type BenchResults } from "./report.js";

const dir = process.argv[2] ?? dirname(fileURLToPath(import.meta.url));
const stored = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as BenchResults;
const { targets: _old, ...partial } = stored;
const results: BenchResults = { ...partial, targets: evaluateTargets(partial) };
writeFileSync(join(dir, "results.json"), JSON.stringify(results, null, 2));
writeFileSync(join(dir, "RESULTS.md"), renderMarkdown(results) + "\n");
process.stderr.write(`${results.targets.map((t) => `${t.status.padEnd(20)} ${t.target}`).join("\n")}\nwrote ${join(dir, "RESULTS.md")}\n`);
