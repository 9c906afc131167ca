import { isMonth } from "../../functions/core/calendar.js";
import { cycleName } from "../../functions/core/cycle.js";
import { displayZloty } from "../../functions/core/exports/format.js";
import { runningStack } from "./local-client.js";

const usage = "Usage: karta cycle status <programme> <YYYY-MM> | karta cycle start <programme> <YYYY-MM>";

/** `karta cycle status|start <programme> <YYYY-MM>`: the month's cycle on the running local stack, through the same adapters as AWS. */
export async function main(args: string[]): Promise<number> {
  const [action, programmeId, month] = args;
  if (!["status", "start"].includes(action) || !programmeId || !month || args.length !== 3) {
    console.error(usage);
    return 2;
  }
  if (!isMonth(month)) {
    console.error(`karta cycle: "${month}" is not a month, use YYYY-MM / podaj miesiąc jako RRRR-MM`);
    return 2;
  }
  const info = runningStack();
  if (!info) return 2;
  Object.assign(process.env, {
    AWS_REGION: process.env.AWS_REGION ?? "eu-central-1",
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? "local",
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? "local",
    TABLE_NAME: info.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: info.dynamoEndpoint,
    AWS_ENDPOINT_URL_SFN: info.sfnEndpoint,
    CYCLE_STATE_MACHINE_ARN: info.stateMachines.MonthlyCycle,
  });
  const { findProgramme } = await import("../../functions/adapters/programmes.js");
  const { describeNamedExecution, startNamedExecution } = await import("../../functions/adapters/sfn.js");
  const { cycleStatus } = await import("../../functions/adapters/cycles.js");

  if (!(await findProgramme(programmeId))) {
    console.error(`karta cycle: unknown programme "${programmeId}" / nieznany program`);
    return 2;
  }
  const name = cycleName(programmeId, month);
  if (action === "start") {
    const started = await startNamedExecution("CYCLE_STATE_MACHINE_ARN", name, { programmeId, month });
    console.log(started.alreadyStarted ? `${name}: already started / już uruchomiony` : `${name}: started / uruchomiony`);
    return 0;
  }
  const [execution, status] = await Promise.all([describeNamedExecution("CYCLE_STATE_MACHINE_ARN", name), cycleStatus(programmeId, month)]);
  const { cycle, counts, batches } = status;
  const warsaw = (iso?: string) => (iso ? new Date(iso).toLocaleString("pl-PL", { timeZone: "Europe/Warsaw" }) : "—");
  console.log(`${name}`);
  console.log(`  execution  ${execution?.status ?? "not started / nie uruchomiony"}`);
  console.log(`  cycle      ${cycle?.status ?? "not planned / nie zaplanowany"}`);
  if (cycle) {
    console.log(`  deadline   ${cycle.plan.deadlineDate} (intake closes ${warsaw(cycle.plan.deadline)})`);
    console.log(`  reminders  ${cycle.plan.reminders.map((r) => warsaw(r.at)).join(", ")}`);
    console.log(`  cut-off    ${warsaw(cycle.plan.cutoffAt)}`);
  }
  console.log(
    `  reports    expected ${counts.expected}, submitted ${counts.submitted}, approved ${counts.approved}, returned ${counts.returned}, missing ${counts.missing} (overdue ${counts.overdue})`,
  );
  if (!batches.length) console.log("  batches    none / brak");
  for (const b of batches) {
    const t = b.totals;
    console.log(`  batch      ${b.batchId} ${b.kind} ${b.status}${t ? `: ${t.reports} reports, ${(t.minutes / 60).toFixed(2)} h, ${displayZloty(t.grosze)}` : ""}${b.sentAt ? `, sent ${warsaw(b.sentAt)}` : ""}`);
  }
  return 0;
}
