import { printProblem } from "../../functions/core/set-aside.js";
import { assembleBatch, type SetAsidePolicy } from "../../functions/adapters/batches.js";
import type { Batch } from "../../functions/core/batch.js";
import type { Programme } from "../../functions/core/programme.js";

/** The batch step's real print check, failing the test if a report would be set aside (tests that expect none). */
export const noSetAside: SetAsidePolicy = {
  printProblem,
  setAside: async (stored) => {
    throw new Error(`unexpected set-aside of ${stored.report.id}`);
  },
};

/** The batch step called until it hands on no cursor, as the workflow's loop calls it: the batch, or undefined. */
export async function assembleAll(programme: Programme, month: string, now: string, policy: SetAsidePolicy = noSetAside, budget?: number): Promise<Batch | undefined> {
  let cursor: string | undefined;
  for (;;) {
    const step = await assembleBatch(programme, month, now, policy, { cursor, budget });
    if (!step.cursor) return step.batch;
    cursor = step.cursor;
  }
}
