import { GetAccountCommand, SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { logger, tracedEmailClient } from "./observability.js";
import { buildRawEmail, type RawEmailAttachment } from "../core/email/mime.js";
import { keys } from "./keys.js";
import { createIfAbsent, documentClient, getItem, isConditionFailed, tableName } from "./dynamo.js";
import { DeleteCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { OUTBOX_TAG, outboxTagValue } from "../core/mail-event.js";
import { createPacer, DEFAULT_SEND_RATE } from "./send-pacer.js";

let client: SESv2Client | undefined;
const ses = () => (client ??= tracedEmailClient(new SESv2Client({ region: process.env.AWS_REGION ?? "eu-central-1" })));

/** The account's maximum send rate (SES GetAccount), asked once per container. */
async function accountSendRate(): Promise<number> {
  try {
    return (await ses().send(new GetAccountCommand({}))).SendQuota?.MaxSendRate ?? DEFAULT_SEND_RATE;
  } catch (error) {
    logger.warn(`SES GetAccount failed: sending at ${DEFAULT_SEND_RATE}/s`, { error: String(error) });
    return DEFAULT_SEND_RATE;
  }
}
/** Every send of this container waits its turn: the bulk steps never outrun the account's rate. */
const pace = createPacer({ rate: accountSendRate });

/** "pending" until SES accepted it; then "sent", or what SES reported after (bounced, complained, suppressed, rejected). */
const wasSent = (record: Record<string, unknown> | undefined) => record?.status !== undefined && record.status !== "pending";

export interface OutgoingEmail {
  /** Idempotency key: one e-mail per key, ever (e.g. reminder#<cycle>#<reminder>#<assistant>). */
  outboxKey: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments?: RawEmailAttachment[];
  now: Date;
  /**
   * Who sends it, for a key that more than one sender may use at the same moment (the approver
   * digest): a re-run of the same claimant resumes an unfinished send, another one does not.
   */
  claimant?: string;
}

/** "in-progress": another claimant holds the outbox record and has not marked it sent yet. */
export type SendResult = "sent" | "already-sent" | "in-progress";

/**
 * Sends an e-mail at most once per outbox key: the outbox record is written first (conditional
 * create), then SES is called, then the record is marked sent. A re-run after a crash between
 * the record and the send finds the record "pending" and sends; once "sent", never again.
 */
export async function sendOnce(email: OutgoingEmail): Promise<SendResult> {
  const key = keys.outbox(email.outboxKey);
  try {
    await documentClient().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...key,
          ...keys.outboxIndexes(email.outboxKey, email.now.toISOString(), email.to),
          type: "Outbox",
          outboxKey: email.outboxKey,
          to: email.to,
          subject: email.subject,
          status: "pending",
          createdAt: email.now.toISOString(),
          ...(email.claimant ? { claimant: email.claimant } : {}),
        },
        ConditionExpression: "attribute_not_exists(pk)",
      }),
    );
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
    const existing = await getItem(key);
    if (wasSent(existing)) return "already-sent";
    if (email.claimant && existing?.claimant && existing.claimant !== email.claimant) return "in-progress";
  }
  const messageId = await deliver(email);
  // A record claimed first (claimOutbox) has no index entries yet: the retention clean-up and the data export find it by them.
  const indexes = Object.entries(keys.outboxIndexes(email.outboxKey, email.now.toISOString(), email.to));
  await documentClient().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: key.pk, sk: key.sk },
      // An SES event that came before this mark (a bounce within milliseconds) keeps its outcome.
      UpdateExpression: `SET #status = if_not_exists(mailOutcome, :sent), sentAt = :now, messageId = :id, #to = :to, subject = :subject${indexes.map(([name]) => `, ${name} = if_not_exists(${name}, :${name})`).join("")}`,
      ExpressionAttributeNames: { "#status": "status", "#to": "to" },
      ExpressionAttributeValues: {
        ":sent": "sent", ":now": email.now.toISOString(), ":id": messageId ?? "", ":to": email.to, ":subject": email.subject,
        ...Object.fromEntries(indexes.map(([name, value]) => [`:${name}`, value])),
      },
    }),
  );
  return "sent";
}

/**
 * Claims an outbox key before an expensive e-mail is built (the approver digest, which many
 * timeouts may want at the same instant): "claimed" when this claimant holds it (new, or its
 * own unfinished claim), "sent" when it went out, "in-progress" when another claimant holds it.
 * The claimant then sends with `sendOnce` under the same key and claimant.
 */
export async function claimOutbox(outboxKey: string, claimant: string, now: Date): Promise<"claimed" | "sent" | "in-progress"> {
  const key = keys.outbox(outboxKey);
  if (await createIfAbsent({ ...key, type: "Outbox", outboxKey, status: "pending", claimant, createdAt: now.toISOString() })) return "claimed";
  const existing = await getItem(key);
  if (wasSent(existing)) return "sent";
  return existing?.claimant === claimant ? "claimed" : "in-progress";
}

/** Gives up an unsent claim (nothing to send after all), so another sender may claim the key. */
export async function releaseOutbox(outboxKey: string, claimant: string): Promise<void> {
  const key = keys.outbox(outboxKey);
  try {
    await documentClient().send(
      new DeleteCommand({
        TableName: tableName(),
        Key: { pk: key.pk, sk: key.sk },
        ConditionExpression: "claimant = :c AND #status = :pending",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":c": claimant, ":pending": "pending" },
      }),
    );
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
  }
}


function sender(): string {
  const from = process.env.MAIL_FROM;
  if (!from) throw new Error("MAIL_FROM is not set");
  return from;
}

async function deliver(email: OutgoingEmail): Promise<string | undefined> {
  const ConfigurationSetName = process.env.SES_CONFIGURATION_SET || undefined;
  // SES repeats the tag in the e-mail's events: the bounce handler finds the outbox record by it.
  const tag = outboxTagValue(email.outboxKey);
  const EmailTags = tag ? [{ Name: OUTBOX_TAG, Value: tag }] : undefined;
  await pace();
  if (email.attachments?.length) {
    const raw = await buildRawEmail({
      from: sender(),
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      attachments: email.attachments,
      date: email.now,
    });
    const result = await ses().send(
      new SendEmailCommand({ Content: { Raw: { Data: raw } }, Destination: { ToAddresses: email.to }, FromEmailAddress: sender(), ConfigurationSetName, EmailTags }),
    );
    return result.MessageId;
  }
  const result = await ses().send(
    new SendEmailCommand({
      FromEmailAddress: sender(),
      Destination: { ToAddresses: email.to },
      ConfigurationSetName,
      EmailTags,
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: "UTF-8" },
          Body: { Text: { Data: email.text, Charset: "UTF-8" }, Html: { Data: email.html, Charset: "UTF-8" } },
        },
      },
    }),
  );
  return result.MessageId;
}
