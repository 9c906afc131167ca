import * as z from "zod";
import { MailStatus, normaliseEmail, type Person } from "./person.js";

/**
 * SES event publishing (a configuration set's event destination) as it reaches the handler: an
 * SNS notification whose message is the SES event JSON. Only the fields Karta reads are named;
 * SES adds others (headers, common headers) that are ignored.
 */
const Recipient = z.looseObject({ emailAddress: z.string(), status: z.string().nullish(), diagnosticCode: z.string().nullish() });

export const SesMailEvent = z.looseObject({
  eventType: z.string().optional(),
  // identity notifications (not configuration-set events) name it notificationType
  notificationType: z.string().optional(),
  mail: z.looseObject({
    messageId: z.string().min(1).max(200),
    timestamp: z.string().optional(),
    destination: z.array(z.string()).default([]),
    tags: z.record(z.string(), z.array(z.string())).optional(),
  }),
  bounce: z
    .looseObject({
      bounceType: z.string(),
      bounceSubType: z.string().optional(),
      bouncedRecipients: z.array(Recipient).default([]),
      timestamp: z.string().optional(),
    })
    .optional(),
  complaint: z
    .looseObject({
      complainedRecipients: z.array(Recipient).default([]),
      complaintSubType: z.string().nullish(),
      timestamp: z.string().optional(),
    })
    .optional(),
  reject: z.looseObject({ reason: z.string().optional() }).optional(),
});
export type SesMailEvent = z.infer<typeof SesMailEvent>;

/** The SNS event a subscribed Lambda function receives: each record's message is one SES event (JSON). */
export const SnsNotifications = z.object({
  Records: z.array(z.object({ Sns: z.object({ MessageId: z.string().optional(), Message: z.string() }) })).default([]),
});

/** What became of an outbox e-mail after SES accepted it. */
export const OutboxOutcome = z.enum(["bounced", "complained", "suppressed", "rejected"]);
export type OutboxOutcome = z.infer<typeof OutboxOutcome>;

export interface MailEventDecision {
  messageId: string;
  /** The outbox record of the e-mail (from its tag), and what it now says instead of "sent". */
  outbox?: { outboxKey: string; status: OutboxOutcome; at: string };
  /** The people to mark, by address (lower case). */
  marks: { email: string; status: MailStatus }[];
}

/** SES message tag naming the outbox record of an e-mail; SES repeats it in the e-mail's events (mail.tags). */
export const OUTBOX_TAG = "karta-outbox";
/** SES allows tag values of at most 256 characters, each a letter, digit, "_" or "-". */
const TAG_MAX = 256;

/**
 * The outbox key as a tag value: letters, digits and "-" stay, every other character is "_" and
 * its code in hex ("#" → "_23", beyond U+00FF "_x" and six digits); undefined when the result
 * would be too long for SES (the e-mail then goes untagged and its outbox record keeps "sent").
 */
export function outboxTagValue(outboxKey: string): string | undefined {
  const escape = (c: string) => {
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `_${code.toString(16).padStart(2, "0")}` : `_x${code.toString(16).padStart(6, "0")}`;
  };
  const value = [...outboxKey].map((c) => (/^[A-Za-z0-9-]$/.test(c) ? c : escape(c))).join("");
  return value.length <= TAG_MAX ? value : undefined;
}

/** The outbox key a tag value names (the inverse of outboxTagValue). */
export function outboxKeyOfTag(value: string): string {
  return value.replace(/_(x[0-9a-f]{6}|[0-9a-f]{2})/g, (_, hex: string) => String.fromCodePoint(parseInt(hex.replace(/^x/, ""), 16)));
}

// SES did not try: the account-level suppression list (OnAccountSuppressionList), SES's global one
// (Suppressed); OnSuppressionList is read the same, should SES ever name it so.
const SUPPRESSION_SUBTYPES = new Set(["OnAccountSuppressionList", "Suppressed", "OnSuppressionList"]);

/** The enhanced SMTP status code (e.g. "5.1.1") of a recipient: the receiving server's text may name the person. */
function statusCode(recipient: z.infer<typeof Recipient>): string | undefined {
  const code = /^[245]\.\d{1,3}\.\d{1,3}$/.exec(recipient.status ?? "")?.[0] ?? /\b[245]\.\d{1,3}\.\d{1,3}\b/.exec(recipient.diagnosticCode ?? "")?.[0];
  return code && code.length <= 12 ? code : undefined;
}

const instant = (...candidates: (string | undefined)[]): string | undefined => {
  for (const c of candidates) {
    const ms = c ? Date.parse(c) : NaN;
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  return undefined;
};

/**
 * What an SES event means for Karta: a permanent bounce marks the address "bounced" (or
 * "suppressed" when SES did not even try: the address is on a suppression list), a complaint
 * "complained"; transient bounces and rejections only change the e-mail's outbox record. Other
 * events (deliveries, opens) and malformed ones mean nothing: undefined.
 */
export function mailEventDecision(event: SesMailEvent): MailEventDecision | undefined {
  const type = event.eventType ?? event.notificationType;
  const messageId = event.mail.messageId;
  const tag = event.mail.tags?.[OUTBOX_TAG]?.[0];
  const outboxKey = tag ? outboxKeyOfTag(tag) : undefined;
  const outbox = (status: OutboxOutcome, at: string) => (outboxKey ? { outbox: { outboxKey, status, at } } : {});
  if (type === "Bounce" && event.bounce) {
    const { bounce } = event;
    const at = instant(bounce.timestamp, event.mail.timestamp);
    if (!at) return undefined;
    const suppressed = bounce.bounceType === "Permanent" && SUPPRESSION_SUBTYPES.has(bounce.bounceSubType ?? "");
    const bounceType = MailStatus.shape.bounceType.safeParse(bounce.bounceType).data;
    const marks =
      bounce.bounceType === "Permanent"
        ? recipientsOf(bounce.bouncedRecipients, event.mail.destination).map((r) => ({
            email: normaliseEmail(r.emailAddress),
            status: MailStatus.parse({
              state: suppressed ? "suppressed" : "bounced",
              at,
              bounceType,
              ...(bounce.bounceSubType ? { bounceSubType: bounce.bounceSubType.slice(0, 40) } : {}),
              ...(statusCode(r) ? { diagnostic: statusCode(r) } : {}),
              messageId,
            }),
          }))
        : [];
    return { messageId, ...outbox(suppressed ? "suppressed" : "bounced", at), marks };
  }
  if (type === "Complaint" && event.complaint) {
    const { complaint } = event;
    const at = instant(complaint.timestamp, event.mail.timestamp);
    if (!at) return undefined;
    const suppressed = complaint.complaintSubType === "OnAccountSuppressionList";
    const state = suppressed ? "suppressed" : "complained";
    const marks = recipientsOf(complaint.complainedRecipients, event.mail.destination).map((r) => ({
      email: normaliseEmail(r.emailAddress),
      status: MailStatus.parse({ state, at, ...(suppressed ? { bounceSubType: "OnAccountSuppressionList" } : {}), messageId }),
    }));
    return { messageId, ...outbox(state, at), marks };
  }
  if (type === "Reject") {
    const at = instant(event.mail.timestamp);
    return at ? { messageId, ...outbox("rejected", at), marks: [] } : undefined;
  }
  return undefined;
}

/** The recipients an event names, or (none named) every destination of the e-mail. */
function recipientsOf(recipients: z.infer<typeof Recipient>[], destination: string[]): z.infer<typeof Recipient>[] {
  const named = recipients.length ? recipients : destination.map((emailAddress) => ({ emailAddress }));
  // "Name <address>" forms are reduced to the address
  return named.map((r) => ({ ...r, emailAddress: /<([^>]+)>/.exec(r.emailAddress)?.[1] ?? r.emailAddress })).filter((r) => r.emailAddress.includes("@"));
}

/**
 * The person with SES's report marked, or undefined when nothing changes: a deactivated person
 * (no e-mail goes to them), an address that is no longer theirs, a repeated notification of the
 * same e-mail, or a report older than the mark the person already has.
 */
export function markedPerson(person: Person, email: string, status: MailStatus): Person | undefined {
  if (!person.active || person.email !== normaliseEmail(email)) return undefined;
  const current = person.mailStatus;
  if (current && current.messageId === status.messageId && current.state === status.state) return undefined;
  if (current && current.at > status.at) return undefined;
  return { ...person, mailStatus: status };
}
