import { monthOf } from "../functions/core/calendar.js";
import { seedDemoData } from "../functions/adapters/seed.js";
import type { LocalLambda } from "./lambda.js";
import type { LocalApp } from "./template.js";

/**
 * First start only: the demo programmes with this month's service orders, and this month's
 * cycle of each scheduled programme started through the same function the schedule invokes.
 */
export async function seedLocal(ctx: { now: Date; lambda: LocalLambda; app: LocalApp; log: (line: string) => void }) {
  const now = ctx.now.toISOString();
  const month = monthOf(now);
  const { written } = await seedDemoData(month, now);
  ctx.log(`seed: demo data for ${month} (${written} items)`);
  const startCycle = ctx.app.functions.find((f) => f.handler === "functions/workflow/start-cycle.handler");
  if (!startCycle) return;
  for (const schedule of ctx.app.schedules) {
    const { programmeId } = JSON.parse(schedule.input) as { programmeId: string };
    await ctx.lambda.invoke(startCycle.arn, { programmeId, month });
  }
}
