import * as z from "zod";
import { isMonth, monthOf } from "../core/calendar.js";
import { cycleName } from "../core/cycle.js";
import { listProgrammes } from "../adapters/programmes.js";
import { startNamedExecution } from "../adapters/sfn.js";
import { instrumented, logger } from "../adapters/observability.js";

const StartCycleInput = z.union([
  z.object({ programmeId: z.string().min(1).optional(), month: z.string().refine(isMonth, "YYYY-MM") }),
  z.object({ programmeId: z.string().min(1).optional(), scheduledTime: z.iso.datetime() }),
]);

/**
 * Schedule target: starts cycle-<programme>-<YYYY-MM> for the Warsaw month of the scheduled
 * time — of the programme named, or of every programme in the table (the monthly schedule:
 * a programme created in the app has its month started with no deploy). A start already made
 * is harmless (the execution name is taken); one programme's failure does not stop the others,
 * and the invocation then fails so that the schedule's retries and dead-letter queue see it.
 */
export const handler = instrumented(async (event: unknown) => {
  const input = StartCycleInput.parse(event);
  const month = "month" in input ? input.month : monthOf(input.scheduledTime);
  const programmeIds = input.programmeId ? [input.programmeId] : (await listProgrammes()).map((p) => p.id);
  const started: { name: string; executionArn?: string; alreadyStarted: boolean }[] = [];
  const failed: string[] = [];
  for (const programmeId of programmeIds) {
    const name = cycleName(programmeId, month);
    try {
      started.push({ name, ...(await startNamedExecution("CYCLE_STATE_MACHINE_ARN", name, { programmeId, month })) });
    } catch (error) {
      logger.error("cycle did not start", { execution: name, error });
      failed.push(name);
    }
  }
  if (failed.length) throw new Error(`cycles not started: ${failed.join(", ")}`);
  return input.programmeId ? started[0] : { month, started };
});
