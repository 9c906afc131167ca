import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { OutboxOutcome } from "../core/mail-event.js";
import { documentClient, isConditionFailed, tableName } from "./dynamo.js";
import { keys } from "./keys.js";

/**
 * Records on an outbox record what became of its e-mail after SES accepted it ("bounced",
 * "complained", "suppressed", "rejected" instead of "sent"). `mailOutcome` is what sendOnce
 * reads when it marks the record sent, so an event that arrives before that mark still wins.
 * False when there is no such record (nothing is created for an unknown key).
 */
export async function recordOutboxOutcome(outcome: { outboxKey: string; status: OutboxOutcome; at: string; messageId: string }): Promise<boolean> {
  const key = keys.outbox(outcome.outboxKey);
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: { pk: key.pk, sk: key.sk },
        UpdateExpression: "SET #status = :outcome, mailOutcome = :outcome, mailOutcomeAt = :at, mailOutcomeMessageId = :id",
        ConditionExpression: "attribute_exists(pk)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":outcome": outcome.status, ":at": outcome.at, ":id": outcome.messageId },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}
