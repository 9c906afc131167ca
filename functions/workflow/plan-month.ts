import { CycleInput, planCycle } from "../core/cycle.js";
import { clock } from "../adapters/clock.js";
import { createCycleIfAbsent } from "../adapters/cycles.js";
import { getProgramme } from "../adapters/programmes.js";
import { instrumented } from "../adapters/observability.js";

/** "Plan the month": writes the cycle record once and returns its small plan (instants only). */
export const handler = instrumented(async (event: unknown) => {
  const { programmeId, month } = CycleInput.parse(event);
  const programme = await getProgramme(programmeId);
  const cycle = await createCycleIfAbsent(planCycle(programme, month, clock.now().toISOString()));
  return cycle.plan;
});
