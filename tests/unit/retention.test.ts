import { describe, expect, it } from "vitest";
import { Retention, seedProgramme } from "../../functions/core/programme.js";
import { draftMonthsDue, outboxMonthsDue, retentionDecision, type RetentionItem } from "../../functions/core/retention.js";

const standard = Retention.parse({});
const euProject = Retention.parse({ projectYearsAfterLastPayment: 10 });
const at = (iso: string) => new Date(iso);

describe("retention rules", () => {
  // The November 2026 deadline (3rd working day) is Thursday 3 December; it ends at 00:00 Warsaw on the 4th.
  const novemberDeadline = "2026-12-03T23:00:00.000Z";

  it.each<[string, RetentionItem, string, string, string | undefined]>([
    ["keeps a draft until 90 days after its month's deadline", { kind: "draft", deadline: novemberDeadline }, "2027-03-03T22:59:59.000Z", "keep", "2027-03-03T23:00:00.000Z"],
    ["removes a draft 90 days after its month's deadline", { kind: "draft", deadline: novemberDeadline }, "2027-03-03T23:00:00.000Z", "remove", "2027-03-03T23:00:00.000Z"],
    ["keeps an approved report nobody has paid yet, however old", { kind: "hourConfirmation" }, "2040-01-01T00:00:00.000Z", "keep", undefined],
    ["keeps an hour confirmation 3 years from its payment", { kind: "hourConfirmation", paidAt: "2026-12-10T09:00:00.000Z" }, "2029-12-10T08:59:59.000Z", "keep", "2029-12-10T09:00:00.000Z"],
    ["lets an hour confirmation go 3 years after its payment", { kind: "hourConfirmation", paidAt: "2026-12-10T09:00:00.000Z" }, "2029-12-10T09:00:00.000Z", "remove", "2029-12-10T09:00:00.000Z"],
    ["keeps a batch paid in 2026 until 1 January 2032 (5 years from the end of the year)", { kind: "accounting", month: "2026-11", paidAt: "2026-12-10T09:00:00.000Z" }, "2031-12-31T23:59:59.000Z", "keep", "2032-01-01T00:00:00.000Z"],
    ["lets that batch go on 1 January 2032", { kind: "accounting", month: "2026-11", paidAt: "2026-12-10T09:00:00.000Z" }, "2032-01-01T00:00:00.000Z", "remove", "2032-01-01T00:00:00.000Z"],
    ["counts December's batch paid in January 2027 from the end of 2027", { kind: "accounting", month: "2026-12", paidAt: "2027-01-12T09:00:00.000Z" }, "2032-06-01T00:00:00.000Z", "keep", "2033-01-01T00:00:00.000Z"],
    ["keeps an unpaid batch", { kind: "accounting", month: "2026-11" }, "2050-01-01T00:00:00.000Z", "keep", undefined],
    ["removes a session at its expiry", { kind: "session", expiresAt: "2026-12-10T09:00:00.000Z" }, "2026-12-10T09:00:00.000Z", "remove", "2026-12-10T09:00:00.000Z"],
    ["keeps a live sign-in link", { kind: "signInLink", expiresAt: "2026-12-10T09:15:00.000Z" }, "2026-12-10T09:14:00.000Z", "keep", "2026-12-10T09:15:00.000Z"],
    ["keeps an outbox record's recipient for 90 days", { kind: "outbox", createdAt: "2026-12-01T07:00:00.000Z" }, "2027-03-01T06:59:59.000Z", "keep", "2027-03-01T07:00:00.000Z"],
    ["anonymises an outbox record after 90 days", { kind: "outbox", createdAt: "2026-12-01T07:00:00.000Z" }, "2027-03-01T07:00:00.000Z", "anonymise", "2027-03-01T07:00:00.000Z"],
  ])("%s", (_name, item, now, action, keepUntil) => {
    expect(retentionDecision(item, standard, at(now))).toMatchObject({ action, keepUntil });
  });

  it("keeps an EU project's documents for the grant agreement's years when they are longer", () => {
    const paidAt = "2026-12-10T09:00:00.000Z";
    expect(retentionDecision({ kind: "hourConfirmation", paidAt }, euProject, at("2030-01-01T00:00:00.000Z"))).toMatchObject({ action: "keep", keepUntil: "2036-12-10T09:00:00.000Z" });
    expect(retentionDecision({ kind: "accounting", month: "2026-11", paidAt }, euProject, at("2033-01-01T00:00:00.000Z"))).toMatchObject({ action: "keep", keepUntil: "2036-12-10T09:00:00.000Z" });
  });

  it("follows the programme's own number of days for drafts", () => {
    const long = Retention.parse({ draftDaysAfterDeadline: 365 });
    expect(retentionDecision({ kind: "draft", deadline: novemberDeadline }, long, at("2027-12-03T23:00:00.000Z")).action).toBe("remove");
    expect(retentionDecision({ kind: "draft", deadline: novemberDeadline }, long, at("2027-12-03T22:00:00.000Z")).action).toBe("keep");
  });

  it("never removes a draft while a late report may still be submitted and paid (60 days after the deadline)", () => {
    expect(Retention.safeParse({ draftDaysAfterDeadline: 59 }).success).toBe(false);
    const stored = { ...standard, draftDaysAfterDeadline: 7 }; // a setting written around the schema
    expect(retentionDecision({ kind: "draft", deadline: novemberDeadline }, stored, at("2027-01-10T00:00:00.000Z"))).toMatchObject({ action: "keep", keepUntil: "2027-02-01T23:00:00.000Z" });
  });

  it("says who removes what: TTL the sessions, the clean-up drafts and e-mails, the controller legal documents", () => {
    const now = at("2030-01-01T00:00:00.000Z");
    expect(retentionDecision({ kind: "session", expiresAt: "2026-01-01T00:00:00.000Z" }, standard, now).by).toBe("ttl");
    expect(retentionDecision({ kind: "draft", deadline: novemberDeadline }, standard, now).by).toBe("clean-up");
    expect(retentionDecision({ kind: "outbox", createdAt: "2026-01-01T00:00:00.000Z" }, standard, now).by).toBe("clean-up");
    expect(retentionDecision({ kind: "hourConfirmation", paidAt: "2026-01-01T00:00:00.000Z" }, standard, now).by).toBe("controller");
  });
});

describe("months due for the clean-up", () => {
  const krakow = seedProgramme("krakow-aou")!;

  it("cleans November's drafts from 4 March 2027 (Warsaw), not before", () => {
    expect(draftMonthsDue(krakow, at("2027-03-03T22:59:00.000Z"), "2026-10")).toEqual([]);
    expect(draftMonthsDue(krakow, at("2027-03-03T23:00:00.000Z"), "2026-10")).toEqual(["2026-11"]);
  });

  it("continues from the last month done and catches up several months at once", () => {
    // December's deadline is 7 January 2027 (Epiphany), January's 3 February, February's 3 March
    expect(draftMonthsDue(krakow, at("2027-06-15T12:00:00.000Z"), "2026-10")).toEqual(["2026-11", "2026-12", "2027-01", "2027-02"]);
  });

  it("looks back 36 months on a programme's first run", () => {
    const months = draftMonthsDue(krakow, at("2027-01-10T12:00:00.000Z"));
    expect(months[0]).toBe("2024-01");
    expect(months.at(-1)).toBe("2026-09");
  });

  it("files outbox months by the UTC month and stops at the month of now − 90 days", () => {
    expect(outboxMonthsDue(at("2027-03-01T07:00:00.000Z"), "2026-11")).toEqual({ months: ["2026-11", "2026-12"], before: "2026-12-01T07:00:00.000Z" });
  });
});
