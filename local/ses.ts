import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import sesModule from "aws-ses-v2-local";
// The same CommonJS module instance the server writes to.
import * as store from "aws-ses-v2-local/dist/store.js";
import type { LocalMailEventDestination, LocalSubscription } from "./template.js";

export interface LocalSes {
  endpoint: string;
  inboxUrl: string;
  stop(): Promise<void>;
}

/** An e-mail the local SES accepted, as its events need it. */
export interface AcceptedEmail {
  messageId: string;
  from: string;
  destination: string[];
  configurationSetName?: string;
  tags: { Name: string; Value: string }[];
}

/**
 * The local SES's send quota (GetAccount's SendQuota.MaxSendRate, which the senders pace to):
 * KARTA_SES_MAX_SEND_RATE, or 1,000 e-mails a second so that local runs are not slowed. Set it
 * to 14 (a new production account) or 1 (the SES sandbox) to feel SES's pace.
 */
export function localSendRate(): number {
  const rate = Number(process.env.KARTA_SES_MAX_SEND_RATE);
  return Number.isFinite(rate) && rate > 0 ? rate : 1000;
}

/**
 * aws-ses-v2-local on 127.0.0.1 (it would listen on every interface by default). Sent e-mails
 * are appended to a journal so the inbox survives a restart of the local stack. `onAccepted` is
 * told of each e-mail SES accepted, after its answer went out (the mailbox simulator's events).
 */
export async function startSes(opts: { port: number; journal?: string; onAccepted?: (email: AcceptedEmail) => void; maxSendRate?: number }): Promise<LocalSes> {
  const journal = opts.journal;
  // aws-ses-v2-local answers GetAccount from this variable (and refuses it without).
  process.env.AWS_SES_ACCOUNT = JSON.stringify(localAccount(opts.maxSendRate ?? localSendRate()));
  // The store is module-global: start from the journal only (a restart in the same process).
  store.clearStore();
  if (journal && existsSync(journal)) {
    for (const line of readFileSync(journal, "utf8").split("\n")) {
      if (line.trim()) store.saveEmail(JSON.parse(line));
    }
  }
  let persisted = store.getStoreReadonly().emails.length;
  // CommonJS default export seen from ESM: the function is under .default.
  const sesServer = ((sesModule as any).default ?? sesModule) as typeof sesModule;
  const server: Server = await sesServer({ host: "127.0.0.1", port: opts.port });
  if (journal) {
    server.on("request", (_req, res) => {
      res.on("finish", () => {
        const emails = store.getStoreReadonly().emails;
        for (; persisted < emails.length; persisted++) appendFileSync(journal, JSON.stringify(emails[persisted]) + "\n");
      });
    });
  }
  if (opts.onAccepted) {
    const onAccepted = opts.onAccepted;
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      if (req.method !== "POST" || !req.url?.startsWith("/v2/email/outbound-emails")) return;
      const answer = captureAnswer(res);
      res.on("finish", () => {
        if (res.statusCode !== 200) return;
        // express has parsed the request on the same object
        const body = ((req as { body?: any }).body ?? {}) as any;
        const messageId = parseJson(answer())?.MessageId;
        if (typeof messageId !== "string") return;
        const d = body.Destination ?? {};
        onAccepted({
          messageId,
          from: String(body.FromEmailAddress ?? ""),
          destination: [...(d.ToAddresses ?? []), ...(d.CcAddresses ?? []), ...(d.BccAddresses ?? [])],
          configurationSetName: body.ConfigurationSetName,
          tags: Array.isArray(body.EmailTags) ? body.EmailTags : [],
        });
      });
    });
  }
  const address = server.address() as { port: number };
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    inboxUrl: `${endpoint}/`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

function localAccount(maxSendRate: number) {
  return {
    DedicatedIpAutoWarmupEnabled: false,
    Details: { AdditionalContactEmailAddresses: [], ContactLanguage: "EN", MailType: "TRANSACTIONAL", ReviewDetails: { CaseId: "local", Status: "GRANTED" }, UseCaseDescription: "Karta local stack", WebsiteURL: "http://127.0.0.1" },
    EnforcementStatus: "HEALTHY",
    ProductionAccessEnabled: true,
    SendingEnabled: true,
    SendQuota: { Max24HourSend: 1_000_000, MaxSendRate: maxSendRate, SentLast24Hours: 0 },
    SuppressionAttributes: { SuppressedReasons: ["BOUNCE", "COMPLAINT"] },
  };
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What the response carried (express writes it with res.end). */
function captureAnswer(res: ServerResponse): () => string {
  const chunks: Buffer[] = [];
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (typeof chunk === "string") chunks.push(Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"));
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as ServerResponse["write"];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== "function") keep(chunk, rest[0]);
    return end(chunk, ...rest);
  }) as ServerResponse["end"];
  return () => Buffer.concat(chunks).toString("utf8");
}

const SIMULATOR_DOMAIN = "simulator.amazonses.com";
const addressOf = (recipient: string) => (/<([^>]+)>/.exec(recipient)?.[1] ?? recipient).trim().toLowerCase();

/**
 * The events SES's mailbox simulator produces for an accepted e-mail (its type, as in a
 * configuration set's MatchingEventTypes, and the SES event JSON): bounce@, complaint@ and
 * suppressionlist@simulator.amazonses.com (a label is allowed: bounce+anna@…) bounce, complain
 * and are suppressed; every other address is delivered.
 */
export function simulatedEvents(email: AcceptedEmail, now: Date): { type: string; event: Record<string, unknown> }[] {
  const timestamp = now.toISOString();
  const tags: Record<string, string[]> = {
    "ses:operation": ["SendEmail"],
    "ses:source-ip": ["127.0.0.1"],
    "ses:from-domain": [email.from.split("@").pop()?.replace(/>$/, "") ?? ""],
    "ses:caller-identity": ["local"],
    ...(email.configurationSetName ? { "ses:configuration-set": [email.configurationSetName] } : {}),
    ...Object.fromEntries(email.tags.map((t) => [t.Name, [t.Value]])),
  };
  const mail = { timestamp, source: email.from, sendingAccountId: "000000000000", messageId: email.messageId, destination: email.destination, headersTruncated: false, tags };
  const byKind = new Map<string, string[]>();
  for (const recipient of email.destination) {
    const address = addressOf(recipient);
    const [local, domain] = address.split("@");
    const kind = domain === SIMULATOR_DOMAIN ? local.split("+")[0] : "success";
    const key = ["bounce", "complaint", "suppressionlist"].includes(kind) ? kind : "success";
    byKind.set(key, [...(byKind.get(key) ?? []), address]);
  }
  const events: { type: string; event: Record<string, unknown> }[] = [];
  const feedbackId = () => `local-${randomUUID()}`;
  for (const [kind, addresses] of byKind) {
    if (kind === "bounce" || kind === "suppressionlist") {
      const suppressed = kind === "suppressionlist";
      events.push({
        type: "bounce",
        event: {
          eventType: "Bounce",
          bounce: {
            feedbackId: feedbackId(),
            bounceType: "Permanent",
            bounceSubType: suppressed ? "OnAccountSuppressionList" : "General",
            bouncedRecipients: addresses.map((emailAddress) => ({
              emailAddress,
              action: "failed",
              status: "5.1.1",
              diagnosticCode: suppressed
                ? "Amazon SES did not send the message to this address because it is on the suppression list for your account."
                : `smtp; 550 5.1.1 user unknown <${emailAddress}>`,
            })),
            timestamp,
            ...(suppressed ? {} : { reportingMTA: "dns; local.simulator.amazonses.com" }),
          },
          mail,
        },
      });
    } else if (kind === "complaint") {
      events.push({
        type: "complaint",
        event: {
          eventType: "Complaint",
          complaint: { feedbackId: feedbackId(), complainedRecipients: addresses.map((emailAddress) => ({ emailAddress })), timestamp, userAgent: "Amazon SES Mailbox Simulator", complaintFeedbackType: "abuse", arrivalDate: timestamp },
          mail,
        },
      });
    } else {
      events.push({
        type: "delivery",
        event: { eventType: "Delivery", delivery: { timestamp, processingTimeMillis: 1, recipients: addresses, smtpResponse: "250 2.6.0 Message received", reportingMTA: "local" }, mail },
      });
    }
  }
  return events;
}

/**
 * Publishes an accepted e-mail's simulated events the way AWS does: each configuration-set event
 * destination that matches the event's type publishes it to its SNS topic, and each "lambda"
 * subscription of the topic is invoked with an SNS event (asynchronously, retried twice like
 * Lambda's asynchronous invocations). Read from the template: nothing here names a function.
 */
export function mailEventPublisher(ctx: {
  destinations: LocalMailEventDestination[];
  subscriptions: LocalSubscription[];
  invoke: (functionArn: string, event: unknown) => Promise<unknown>;
  now: () => Date;
  log: (line: string) => void;
}): (email: AcceptedEmail) => void {
  return (email) => {
    const destinations = ctx.destinations.filter((d) => d.configurationSetName === email.configurationSetName);
    if (!destinations.length) return;
    for (const { type, event } of simulatedEvents(email, ctx.now())) {
      for (const destination of destinations.filter((d) => d.events.includes(type))) {
        for (const subscription of ctx.subscriptions.filter((s) => s.topicArn === destination.topicArn && s.protocol === "lambda")) {
          const notification = {
            Records: [
              {
                EventSource: "aws:sns",
                EventVersion: "1.0",
                EventSubscriptionArn: `${destination.topicArn}:${randomUUID()}`,
                Sns: {
                  Type: "Notification",
                  MessageId: randomUUID(),
                  TopicArn: destination.topicArn,
                  Subject: null,
                  Message: JSON.stringify(event),
                  Timestamp: ctx.now().toISOString(),
                  SignatureVersion: "1",
                  Signature: "",
                  SigningCertUrl: "",
                  UnsubscribeUrl: "",
                  MessageAttributes: {},
                },
              },
            ],
          };
          void deliverWithRetries(() => ctx.invoke(subscription.endpoint, notification), (error, attempt) =>
            ctx.log(`SES ${type} event for ${email.messageId}: ${subscription.endpoint} failed (attempt ${attempt} of 3): ${(error as Error).message}`),
          );
        }
      }
    }
  };
}

async function deliverWithRetries(invoke: () => Promise<unknown>, onError: (error: unknown, attempt: number) => void): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    // after the send's answer, as SES publishes its events
    await new Promise((resolve) => setTimeout(resolve, attempt === 1 ? 0 : 200 * attempt));
    try {
      await invoke();
      return;
    } catch (error) {
      onError(error, attempt);
    }
  }
}
