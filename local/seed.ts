import { monthOf } from "../functions/core/calendar.js";
import { createPerson } from "../functions/adapters/people.js";
import { listProgrammes } from "../functions/adapters/programmes.js";
import { seedDemoData } from "../functions/adapters/seed.js";
import type { LocalLambda } from "./lambda.js";
import type { LocalApp } from "./template.js";

/**
 * First start only: the demo programmes with this month's service orders, and this month's
 * cycle of every programme started through the same function the schedule invokes.
 */
export async function seedLocal(ctx: { now: Date; lambda: LocalLambda; app: LocalApp; log: (line: string) => void }) {
  const now = ctx.now.toISOString();
  const month = monthOf(now);
  const { written } = await seedDemoData(month, now);
  ctx.log(`seed: demo data for ${month} (${written} items)`);
  const startCycle = ctx.app.functions.find((f) => f.handler === "functions/workflow/start-cycle.handler");
  if (!startCycle) return;
  // the schedule's own target, for this month, one programme at a time
  for (const { id } of await listProgrammes()) await ctx.lambda.invoke(startCycle.arn, { programmeId: id, month });
}

/**
 * First start with no data (`karta start --empty`): only the centre's administrator, who sets up
 * programmes, people and beneficiaries in the app. The sign-in link goes to the local inbox
 * through the same route a person uses.
 */
export async function seedAdministrator(ctx: { email: string; appUrl: string; log: (line: string) => void }) {
  await createPerson({ id: "p-administrator", email: ctx.email, name: "Administrator", roles: [], centreAdmin: true });
  const response = await fetch(`${ctx.appUrl}/api/auth/link`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: ctx.email }) });
  if (response.status !== 202) throw new Error(`the administrator's sign-in link was not sent (${response.status})`);
  ctx.log(`seed: no demo data; the centre administrator ${ctx.email} has a sign-in link in the inbox`);
}
