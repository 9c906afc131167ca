import { readStoredFile } from "../../functions/adapters/object-store.js";
import type { TestStack } from "./local-stack.js";

type BuildResult = { cursor?: string; batchId?: string; filesStored?: boolean; plan?: { key: string; pages: number }; keepWatching?: boolean };

/** Invokes one of the workflow's task functions as the local engine does. */
export function invokeStep<T = Record<string, unknown>>(stack: TestStack, handler: string, event: unknown): Promise<T> {
  const fn = stack.app.functions.find((f) => f.handler === `functions/workflow/${handler}.handler`);
  if (!fn) throw new Error(`no workflow function ${handler}`);
  return stack.lambda.invoke(fn.arn, event) as Promise<T>;
}

/**
 * The monthly cycle's payment branch, step by step as its states run it (for tests of those
 * steps without a whole month): "Plan the month" (the cycle record), "Build the payment batch" until it hands on no cursor, each page
 * of the plan (the Distributed Map's items) through "Write one page of the payment files",
 * "Assemble the payment files", and, unless `send` is false, "E-mail the batch to finance".
 */
export async function payBatch(stack: TestStack, programmeId: string, month: string, options: { send?: boolean } = {}): Promise<BuildResult & { claims: number }> {
  // the machine plans the month before anything else (idempotent: the cycle record is written once)
  await invokeStep(stack, "plan-month", { programmeId, month });
  let batch: BuildResult | undefined;
  let claims = 0;
  do {
    batch = await invokeStep<BuildResult>(stack, "build-batch", { programmeId, month, ...(batch ? { batch } : {}) });
    claims++;
  } while (batch.cursor);
  if (!batch.batchId) return { ...batch, claims };
  if (!batch.filesStored) {
    const plan = JSON.parse((await readStoredFile(batch.plan!.key)).toString("utf8")) as unknown[];
    for (const page of plan) await invokeStep(stack, "write-batch-page", { page });
    await invokeStep(stack, "assemble-batch", { programmeId, month, batch });
  }
  if (options.send !== false) await invokeStep(stack, "send-batch", { programmeId, month, batch });
  return { ...batch, claims };
}
