import * as z from "zod";
import { SendBatchInput } from "../core/cycle.js";
import { paymentSummaryEmail } from "../core/email/payment-summary-email.js";
import type { Person } from "../core/person.js";
import { clock } from "../adapters/clock.js";
import { batchLinesByAssistant, getBatch } from "../adapters/batches.js";
import { readTogether } from "../adapters/dynamo.js";
import { sendOnce } from "../adapters/email.js";
import { personRead } from "../adapters/people.js";
import { getProgramme } from "../adapters/programmes.js";
import { outboxKeys } from "../adapters/keys.js";
import { appUrl } from "../adapters/config.js";
import { inPool } from "./lib/pool.js";
import { timeForAnotherPage, type StepContext } from "./lib/time-budget.js";
import { instrumented } from "../adapters/observability.js";

const Input = SendBatchInput.extend({ told: z.object({ cursor: z.string().min(1).optional() }).optional() });

/** Lines per page: at most as many e-mails, 8 at a time — seconds even at 40 ms per SES call. */
const PAGE_LINES = 200;
const SES_CONCURRENCY = 8;
const BATCH_GET_MAX = 100;

/**
 * "Tell the assistants what goes to payment": once finance has the batch, each assistant with a
 * line in it gets one e-mail listing their reports in it. Pages of lines while the invocation
 * has time; returns the next page's cursor while there is one.
 */
export const handler = instrumented(async (event: unknown, context?: StepContext) => {
  const input = Input.parse(event);
  const now = clock.now();
  const batch = await getBatch(input.batch.batchId);
  if (batch.status !== "sent") return { sent: 0, skipped: `batch ${batch.status}, not sent to finance` };
  const programme = await getProgramme(batch.programmeId);
  let cursor = input.told?.cursor;
  let sent = 0;
  let unknown = 0;
  do {
    const page = await batchLinesByAssistant(batch.batchId, { after: cursor, limit: PAGE_LINES });
    cursor = page.after;
    const people: (Person | undefined)[] = [];
    for (let i = 0; i < page.assistants.length; i += BATCH_GET_MAX) {
      people.push(...(await readTogether(page.assistants.slice(i, i + BATCH_GET_MAX).map((a) => personRead(a.assistantId)))));
    }
    const results = await inPool(page.assistants, SES_CONCURRENCY, async ({ assistantId, lines }, i) => {
      const person = people[i];
      if (!person) return "unknown";
      const mail = paymentSummaryEmail({
        assistantName: person.name,
        programmeName: programme.name.pl,
        month: batch.month,
        batchId: batch.batchId,
        batchKind: batch.kind,
        lines,
        appUrl: appUrl(),
      });
      return sendOnce({ outboxKey: outboxKeys.paymentSummary(batch.batchId, assistantId), to: [person.email], ...mail, now });
    });
    sent += results.filter((r) => r === "sent").length;
    unknown += results.filter((r) => r === "unknown").length;
  } while (cursor && timeForAnotherPage(context));
  return { sent, ...(unknown ? { unknownAssistants: unknown } : {}), ...(cursor ? { cursor } : {}) };
});
