import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import { outboxTagValue, OUTBOX_TAG } from "../../functions/core/mail-event.js";
import { simulatedEvents } from "../../local/ses.js";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { apiClient } from "./api-helpers.js";

/**
 * Issue 18: SES's events reach Karta. A send to SES's mailbox simulator (bounce@, complaint@,
 * suppressionlist@simulator.amazonses.com) produces the event the local SES publishes, through
 * the template's configuration set, SNS topic and subscription, to the same handler as in AWS:
 * the person is marked for the admin and the coordinator, the e-mail's outbox record says what
 * became of it, and a corrected address clears the mark.
 */
const startAt = new Date(warsawInstant("2026-11-20", "10:00"));
const P = "krakow-aou";

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let admin: string;
let coordinator: string;

beforeAll(async () => {
  stack = await startTestStack({ startAt });
  api = apiClient(stack);
  admin = await api.signIn("admin@mops-krakow.example.pl");
  coordinator = await api.signIn("koordynator@mops-krakow.example.pl");
});
afterAll(async () => stack?.dispose());

/** A new assistant of the programme with this address, who then asks for a sign-in link (one e-mail). */
async function assistantMailedAt(id: string, email: string) {
  const made = await api.call(admin, "POST", `/api/programmes/${P}/people`, { id, email, name: `Asystent ${id}`, roles: [{ programmeId: P, role: "assistant" }] });
  expect(made.status, made.text).toBe(201);
  const asked = await stack.request("/api/auth/link", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email }) });
  expect(asked.status).toBe(202);
}

const listed = async (cookie: string, id: string) => ((await api.call(cookie, "GET", `/api/programmes/${P}/people?role=assistant`)).json.people as any[]).find((p) => p.id === id);
const markOf = (id: string, state: string) => stack.waitFor(async () => {
  const person = await listed(admin, id);
  return person?.mailStatus?.state === state ? person.mailStatus : undefined;
}, `${id} marked ${state}`);
const emailsOf = async (id: string) => {
  const exported = await api.call(admin, "GET", `/api/people/${id}/data-export`);
  expect(exported.status, exported.text).toBe(200);
  return exported.json.emails as { outboxKey: string; status: string }[];
};

describe("bounces, complaints and suppressed sends on the local stack", () => {
  it("marks a person whose address bounced, and records the sign-in e-mail as bounced, not sent", async () => {
    await assistantMailedAt("p-ses-bounce", "bounce+anna@simulator.amazonses.com");
    const mark = await markOf("p-ses-bounce", "bounced");
    expect(mark).toMatchObject({ bounceType: "Permanent", bounceSubType: "General", diagnostic: "5.1.1", at: expect.any(String) });
    // the receiving server's text names the address: it is not kept
    expect(JSON.stringify(mark)).not.toContain("anna@");
    await stack.waitFor(async () => (await emailsOf("p-ses-bounce")).some((e) => e.status === "bounced"), "the outbox record bounced");
    expect((await emailsOf("p-ses-bounce")).map((e) => e.status)).toEqual(["bounced"]);
    // the coordinator's list of assistants shows it too
    expect((await listed(coordinator, "p-ses-bounce")).mailStatus).toEqual(mark);
  });

  it("records a send to a suppressed address as suppressed", async () => {
    await assistantMailedAt("p-ses-suppressed", "suppressionlist+jan@simulator.amazonses.com");
    expect(await markOf("p-ses-suppressed", "suppressed")).toMatchObject({ bounceSubType: "OnAccountSuppressionList" });
    await stack.waitFor(async () => (await emailsOf("p-ses-suppressed")).some((e) => e.status === "suppressed"), "the outbox record suppressed");
    // the address was right after all (the operators took it off the suppression list): the admin removes the mark
    const cleared = await api.call(admin, "PATCH", "/api/people/p-ses-suppressed", { mailStatus: null });
    expect(cleared.status, cleared.text).toBe(200);
    expect((await listed(admin, "p-ses-suppressed")).mailStatus).toBeUndefined();
    // and it cannot be set through the API
    const set = await api.call(admin, "PATCH", "/api/people/p-ses-suppressed", { mailStatus: { state: "bounced", at: new Date().toISOString() } });
    expect(set.status).toBe(400);
  });

  it("marks a complaint, and a corrected address clears the mark", async () => {
    await assistantMailedAt("p-ses-complaint", "complaint+ewa@simulator.amazonses.com");
    await markOf("p-ses-complaint", "complained");
    await stack.waitFor(async () => (await emailsOf("p-ses-complaint")).some((e) => e.status === "complained"), "the outbox record complained");

    const renamed = await api.call(admin, "PATCH", "/api/people/p-ses-complaint", { name: "Ewa (asystent)" });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json.person.mailStatus?.state).toBe("complained");
    const corrected = await api.call(admin, "PATCH", "/api/people/p-ses-complaint", { email: "ewa.poprawiona@asystent.example.pl" });
    expect(corrected.status, corrected.text).toBe(200);
    expect(corrected.json.person.mailStatus).toBeUndefined();
    expect((await listed(admin, "p-ses-complaint")).mailStatus).toBeUndefined();
  });

  it("leaves a person whose e-mail was delivered unmarked", async () => {
    await assistantMailedAt("p-ses-success", "success+ola@simulator.amazonses.com");
    await api.waitForMail("success+ola@simulator.amazonses.com", /link do logowania/);
    await new Promise((r) => setTimeout(r, 300));
    expect((await listed(admin, "p-ses-success")).mailStatus).toBeUndefined();
    expect((await emailsOf("p-ses-success")).map((e) => e.status)).toEqual(["sent"]);
  });
});

describe("the SES event handler", () => {
  const handler = () => stack.app.functions.find((f) => f.handler === "functions/workflow/mail-events.handler")!;
  const sns = (event: unknown) => ({ Records: [{ EventSource: "aws:sns", Sns: { MessageId: "n1", Message: JSON.stringify(event) } }] });
  const bounceOf = (messageId: string, to: string, outboxKey?: string) =>
    simulatedEvents(
      { messageId, from: "karta@karta.example.gov.pl", destination: [to], configurationSetName: "set", tags: outboxKey ? [{ Name: OUTBOX_TAG, Value: outboxTagValue(outboxKey)! }] : [] },
      new Date("2026-11-20T09:30:00Z"),
    )[0].event;

  it("changes nothing when SNS delivers the same notification again", async () => {
    const notification = sns(bounceOf("local-repeat-1", "bounce+repeat@simulator.amazonses.com"));
    const made = await api.call(admin, "POST", `/api/programmes/${P}/people`, { id: "p-ses-repeat", email: "bounce+repeat@simulator.amazonses.com", name: "Powtórka", roles: [{ programmeId: P, role: "assistant" }] });
    expect(made.status, made.text).toBe(201);
    expect(await stack.lambda.invoke(handler().arn, notification)).toEqual({ outboxes: 0, marked: 1, ignored: 0 });
    const first = await listed(admin, "p-ses-repeat");
    expect(await stack.lambda.invoke(handler().arn, notification)).toEqual({ outboxes: 0, marked: 0, ignored: 0 });
    expect(await listed(admin, "p-ses-repeat")).toEqual(first);
  });

  it("ignores an address nobody holds, an unknown outbox key and a message that is not an SES event", async () => {
    expect(await stack.lambda.invoke(handler().arn, sns(bounceOf("local-nobody", "bounce+nobody@simulator.amazonses.com", "signin#no-such-record")))).toEqual({ outboxes: 0, marked: 0, ignored: 0 });
    expect(await stack.lambda.invoke(handler().arn, { Records: [{ Sns: { Message: "not json" } }, { Sns: { Message: JSON.stringify({ eventType: "Open", mail: { messageId: "x" } }) } }] })).toEqual({ outboxes: 0, marked: 0, ignored: 2 });
  });

  it("keeps a bounce that arrives before the sender marked the e-mail sent, and never sends it again", async () => {
    const { claimOutbox, sendOnce } = await import("../../functions/adapters/email.js");
    const { recordOutboxOutcome } = await import("../../functions/adapters/mail-events.js");
    const now = new Date("2026-11-20T09:00:00Z");
    const email = { outboxKey: "test#early-bounce", to: ["bounce+early@simulator.amazonses.com"], subject: "Wczesne odbicie", text: "t", html: "<p>t</p>", now, claimant: "c1" };
    expect(await claimOutbox(email.outboxKey, "c1", now)).toBe("claimed");
    // SES's event overtakes the sender: the record is still "pending"
    expect(await recordOutboxOutcome({ outboxKey: email.outboxKey, status: "bounced", at: now.toISOString(), messageId: "m-early" })).toBe(true);
    expect(await sendOnce(email)).toBe("already-sent");
    expect(await claimOutbox(email.outboxKey, "c2", now)).toBe("sent");
  });
});
