import type { TaskDecision } from "../core/approval.js";
import { sendTaskSuccess } from "./sfn.js";

const staleToken = new Set(["TaskTimedOut", "TaskDoesNotExist", "InvalidToken"]);

/**
 * Completes a waiting "Ask the approver" with the decision. A token that is no longer waiting
 * (timed out into a reminder, or already completed) is not an error: the decision is recorded
 * on the approval, and the next ask completes itself from it. Returns whether it completed.
 */
export async function completeAsk(taskToken: string | undefined, decision: TaskDecision): Promise<boolean> {
  if (!taskToken) return false;
  try {
    await sendTaskSuccess(taskToken, decision);
    return true;
  } catch (error) {
    if (staleToken.has((error as Error).name)) return false;
    throw error;
  }
}
