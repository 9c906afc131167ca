import { printProblem } from "../../functions/core/set-aside.js";
import type { SetAsidePolicy } from "../../functions/adapters/batches.js";

/** The batch step's real print check, failing the test if a report would be set aside (tests that expect none). */
export const noSetAside: SetAsidePolicy = {
  printProblem,
  setAside: async (stored) => {
    throw new Error(`unexpected set-aside of ${stored.report.id}`);
  },
};
