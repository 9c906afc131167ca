import { mailEventDecision, SesMailEvent, SnsNotifications } from "../core/mail-event.js";
import { recordOutboxOutcome } from "../adapters/mail-events.js";
import { markMailStatus } from "../adapters/people.js";
import { instrumented, logger } from "../adapters/observability.js";

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * SES's bounces, complaints and rejections (the configuration set's event destination, through
 * the mail-events topic): the e-mail's outbox record says what became of it, and the person
 * holding a bounced, complaining or suppressed address is marked for the coordinator and admin.
 * Safe to run twice (SNS delivers at least once); unknown addresses and other events are skipped.
 * Not a state of a workflow: SNS invokes it (stacks/Email.ts).
 */
export const handler = instrumented(async (event: unknown) => {
  let outboxes = 0;
  let marked = 0;
  let ignored = 0;
  for (const record of SnsNotifications.parse(event).Records) {
    const parsed = SesMailEvent.safeParse(parseJson(record.Sns.Message));
    const decision = parsed.success ? mailEventDecision(parsed.data) : undefined;
    if (!decision) {
      ignored++;
      continue;
    }
    if (decision.outbox && (await recordOutboxOutcome({ ...decision.outbox, messageId: decision.messageId }))) outboxes++;
    for (const mark of decision.marks) if (await markMailStatus(mark.email, mark.status)) marked++;
    // the message id and outcome only: never the address
    logger.info("SES mail event", { messageId: decision.messageId, outcome: decision.outbox?.status ?? decision.marks[0]?.status.state, tagged: Boolean(decision.outbox) });
  }
  return { outboxes, marked, ignored };
});
