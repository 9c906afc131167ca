import { describe, expect, it } from "vitest";
import { mailEventDecision, markedPerson, OUTBOX_TAG, outboxKeyOfTag, outboxTagValue, SesMailEvent } from "../../functions/core/mail-event.js";
import { applyPersonChange, Person, type MailStatus } from "../../functions/core/person.js";

const AT = "2026-11-30T08:00:05.123Z";
const outboxKey = "reminder#cycle-opieka-2026-11#r1#anna_k";

const mail = (extra: Record<string, unknown> = {}) => ({
  timestamp: "2026-11-30T08:00:00.000Z",
  messageId: "0107019a-1111",
  destination: ["Anna.K@Example.pl"],
  tags: { "ses:configuration-set": ["karta-sending"], [OUTBOX_TAG]: [outboxTagValue(outboxKey)!] },
  ...extra,
});
const bounce = (bounceType: string, bounceSubType: string, recipient: Record<string, unknown> = {}) =>
  SesMailEvent.parse({
    eventType: "Bounce",
    bounce: {
      bounceType,
      bounceSubType,
      bouncedRecipients: [{ emailAddress: "anna.k@example.pl", action: "failed", status: "5.1.1", diagnosticCode: "smtp; 550 5.1.1 <anna.k@example.pl>: Recipient address rejected: Anna Kowalska unknown", ...recipient }],
      timestamp: AT,
    },
    mail: mail(),
  });

describe("what an SES event means for Karta", () => {
  it("marks a permanently bounced address 'bounced' and the e-mail's outbox record too", () => {
    expect(mailEventDecision(bounce("Permanent", "General"))).toEqual({
      messageId: "0107019a-1111",
      outbox: { outboxKey, status: "bounced", at: AT },
      marks: [{ email: "anna.k@example.pl", status: { state: "bounced", at: AT, bounceType: "Permanent", bounceSubType: "General", diagnostic: "5.1.1", messageId: "0107019a-1111" } }],
    });
  });

  it.each(["OnAccountSuppressionList", "OnSuppressionList", "Suppressed"])("records a send SES suppressed (%s) as 'suppressed', not sent", (subType) => {
    const decision = mailEventDecision(bounce("Permanent", subType))!;
    expect(decision.outbox?.status).toBe("suppressed");
    expect(decision.marks.map((m) => m.status.state)).toEqual(["suppressed"]);
  });

  it("keeps only the SMTP status code of the receiving server, never its text naming the person", () => {
    const decision = mailEventDecision(bounce("Permanent", "NoEmail", { status: undefined }))!;
    expect(decision.marks[0].status.diagnostic).toBe("5.1.1");
    expect(JSON.stringify(decision.marks[0].status)).not.toMatch(/Kowalska|anna\.k@/);
  });

  it("changes only the outbox record on a transient bounce: the address may work tomorrow", () => {
    const decision = mailEventDecision(bounce("Transient", "MailboxFull"))!;
    expect(decision.outbox).toEqual({ outboxKey, status: "bounced", at: AT });
    expect(decision.marks).toEqual([]);
  });

  it("marks a complaint 'complained', naming the complaining recipient", () => {
    const event = SesMailEvent.parse({
      eventType: "Complaint",
      complaint: { complainedRecipients: [{ emailAddress: "anna.k@example.pl" }], timestamp: AT, complaintFeedbackType: "abuse" },
      mail: mail({ destination: ["anna.k@example.pl", "biuro@example.pl"] }),
    });
    expect(mailEventDecision(event)).toMatchObject({ outbox: { status: "complained" }, marks: [{ email: "anna.k@example.pl", status: { state: "complained", at: AT } }] });
  });

  it("records a rejection on the outbox record and marks nobody", () => {
    const event = SesMailEvent.parse({ eventType: "Reject", reject: { reason: "Bad content" }, mail: mail() });
    expect(mailEventDecision(event)).toEqual({ messageId: "0107019a-1111", outbox: { outboxKey, status: "rejected", at: "2026-11-30T08:00:00.000Z" }, marks: [] });
  });

  it.each([
    ["a delivery", { eventType: "Delivery", delivery: {} }],
    ["an open", { eventType: "Open", open: {} }],
    ["a bounce without its bounce", { eventType: "Bounce" }],
  ])("means nothing for %s", (_, fields) => {
    expect(mailEventDecision(SesMailEvent.parse({ ...fields, mail: mail() }))).toBeUndefined();
  });

  it("reads identity notifications (notificationType) as well", () => {
    const event = SesMailEvent.parse({ notificationType: "Bounce", bounce: { bounceType: "Permanent", bounceSubType: "General", bouncedRecipients: [{ emailAddress: "anna.k@example.pl" }], timestamp: AT }, mail: mail() });
    expect(mailEventDecision(event)?.marks[0].status.state).toBe("bounced");
  });

  it("marks people without touching any outbox record when the e-mail carries no outbox tag", () => {
    const event = SesMailEvent.parse({ eventType: "Bounce", bounce: { bounceType: "Permanent", bounceSubType: "General", bouncedRecipients: [], timestamp: AT }, mail: mail({ tags: {}, destination: ["Anna <anna.k@example.pl>"] }) });
    const decision = mailEventDecision(event)!;
    expect(decision.outbox).toBeUndefined();
    expect(decision.marks.map((m) => m.email)).toEqual(["anna.k@example.pl"]);
  });
});

describe("the outbox key in an SES message tag", () => {
  it.each([outboxKey, "signin#3f9a_b-c", "approver-digest#p1#anna#2026-12-01", "paymentSummary#b:1#ż"])("names %s with SES's letters only and reads it back", (key) => {
    const tag = outboxTagValue(key)!;
    expect(tag).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    expect(outboxKeyOfTag(tag)).toBe(key);
  });

  it("gives no tag to a key too long for SES", () => {
    expect(outboxTagValue("#".repeat(90))).toBeUndefined();
  });
});

describe("marking the person", () => {
  const person = Person.parse({ id: "anna_k", email: "anna.k@example.pl", name: "Anna Kowalska" });
  const status = (over: Partial<MailStatus> = {}): MailStatus => ({ state: "bounced", at: AT, bounceType: "Permanent", messageId: "m1", ...over });

  it("marks an active person holding the address", () => {
    expect(markedPerson(person, "Anna.K@example.pl", status())?.mailStatus).toEqual(status());
  });

  it.each([
    ["a repeated notification of the same e-mail", { ...person, mailStatus: status() }, status()],
    ["a report older than the person's mark", { ...person, mailStatus: status({ at: "2026-12-01T00:00:00.000Z", messageId: "m2" }) }, status()],
    ["a deactivated person", { ...person, active: false }, status()],
  ])("changes nothing on %s", (_, who, incoming) => {
    expect(markedPerson(Person.parse(who), "anna.k@example.pl", incoming)).toBeUndefined();
  });

  it("changes nothing when the address is no longer the person's", () => {
    expect(markedPerson(person, "stary@example.pl", status())).toBeUndefined();
  });

  it("replaces an older mark with a newer report", () => {
    const marked = Person.parse({ ...person, mailStatus: status() });
    expect(markedPerson(marked, "anna.k@example.pl", status({ state: "complained", at: "2026-12-02T10:00:00.000Z", messageId: "m3" }))?.mailStatus?.state).toBe("complained");
  });

  it("clears the mark when an admin changes the address, and only then", () => {
    const marked = Person.parse({ ...person, mailStatus: status() });
    expect(applyPersonChange(marked, { email: "anna.nowa@example.pl" }).mailStatus).toBeUndefined();
    expect(applyPersonChange(marked, { email: "ANNA.K@example.pl", name: "Anna K." }).mailStatus).toEqual(status());
  });
});
