/** `npm run synth [-- --stage prod]`: synthesise every stack offline and print where they are. */
import { synthesise } from "./synth.js";

const stageFlag = process.argv.indexOf("--stage");
const stage = stageFlag >= 0 ? process.argv[stageFlag + 1] : "prod";
if (!stage || !/^[a-z][a-z0-9-]*$/.test(stage)) {
  console.error("Usage: npm run synth -- --stage <stage>   (lower-case letters, digits, dashes)");
  process.exit(2);
}
const started = Date.now();
const result = await synthesise({ stage, force: process.argv.includes("--force") });
for (const [name, template] of Object.entries(result.templates)) {
  console.log(`${name}: ${Object.keys(template.Resources).length} resources`);
}
if (result.checked) {
  const count = (level: string) => result.annotations.filter((a) => a.level === level && a.message.startsWith("AwsSolutions-"));
  const suppressed = result.annotations.filter((a) => a.message.includes("was triggered but suppressed")).length;
  for (const finding of [...count("error"), ...count("warning")]) console.error(`${finding.path}: ${finding.message.split("\n")[0]}`);
  console.log(`cdk-nag AwsSolutions: ${count("error").length} errors, ${count("warning").length} warnings, ${suppressed} suppressed with reasons`);
  if (count("error").length) process.exitCode = 1;
}
console.log(`Templates in ${result.outDir} (${((Date.now() - started) / 1000).toFixed(1)} s${result.fromCache ? ", cached" : ""})`);
