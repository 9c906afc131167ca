/** What a paginated step needs of the Lambda context. */
export type StepContext = { getRemainingTimeInMillis?: () => number } | undefined;

/** Time kept back for the last page and the reply: a page of 50 assistants takes seconds. */
const RESERVE_MS = 60_000;

/**
 * Whether a paginated step may take another page in this invocation. Working through pages
 * until the time runs low, instead of one page per call, keeps the monthly cycle's history
 * small at national scale (each extra call costs several history events and transitions).
 * Without a Lambda context (a direct call) it takes one page per call.
 */
export function timeForAnotherPage(context: StepContext): boolean {
  return (context?.getRemainingTimeInMillis?.() ?? 0) > RESERVE_MS;
}
