import * as z from "zod";
import { isMonth, monthOf } from "../core/calendar.js";
import { startNamedExecution } from "../adapters/sfn.js";

const StartCycleInput = z.union([
  z.object({ programmeId: z.string().min(1), month: z.string().refine(isMonth, "YYYY-MM") }),
  z.object({ programmeId: z.string().min(1), scheduledTime: z.iso.datetime() }),
]);

/** Schedule target: starts cycle-<programme>-<YYYY-MM> for the Warsaw month of the scheduled time. */
export const handler = async (event: unknown) => {
  const input = StartCycleInput.parse(event);
  const month = "month" in input ? input.month : monthOf(input.scheduledTime);
  const name = `cycle-${input.programmeId}-${month}`;
  const started = await startNamedExecution("CYCLE_STATE_MACHINE_ARN", name, { programmeId: input.programmeId, month });
  return { name, ...started };
};
