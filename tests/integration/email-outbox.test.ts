import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSes, type LocalSes } from "../../local/ses.js";
import { startTestTable } from "../support/table.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let ses: LocalSes;
let table: Awaited<ReturnType<typeof startTestTable>>;
let sendOnce: typeof import("../../functions/adapters/email.js").sendOnce;
let claimOutbox: typeof import("../../functions/adapters/email.js").claimOutbox;
let releaseOutbox: typeof import("../../functions/adapters/email.js").releaseOutbox;

beforeAll(async () => {
  table = await startTestTable();
  ses = await startSes({ port: 0, journal: join(mkdtempSync(join(tmpdir(), "karta-ses-")), "emails.jsonl") });
  process.env.AWS_ENDPOINT_URL_SESV2 = ses.endpoint;
  process.env.MAIL_FROM = "karta@karta.example.gov.pl";
  ({ sendOnce, claimOutbox, releaseOutbox } = await import("../../functions/adapters/email.js"));
});
afterAll(async () => {
  await ses.stop();
  await table.stop();
});

const inbox = async () => ((await (await fetch(`${ses.endpoint}/store`)).json()) as { emails: any[] }).emails;

describe("sending e-mail through the outbox", () => {
  it("sends once per outbox key, however often the step runs", async () => {
    const email = {
      outboxKey: "test#once",
      to: ["anna@example.pl"],
      subject: "Przypomnienie",
      text: "Treść",
      html: "<p>Treść</p>",
      now: new Date("2026-11-30T08:00:00Z"),
    };
    expect(await sendOnce(email)).toBe("sent");
    expect(await sendOnce(email)).toBe("already-sent");
    const sent = (await inbox()).filter((e) => e.subject === "Przypomnienie");
    expect(sent).toHaveLength(1);
    expect(sent[0].destination.to).toEqual(["anna@example.pl"]);
  });

  it("sends attachments as a raw MIME message", async () => {
    await sendOnce({
      outboxKey: "test#attachment",
      to: ["finanse@example.pl"],
      subject: "Paczka płatności",
      text: "W załączniku",
      html: "<p>W załączniku</p>",
      attachments: [{ filename: "paczka.csv", contentType: "text/csv", content: Buffer.from("\ufeffa;b\r\n1;2\r\n") }],
      now: new Date("2026-12-10T08:00:00Z"),
    });
    const sent = (await inbox()).find((e) => e.subject === "Paczka płatności");
    expect(sent?.attachments.map((a: { filename: string }) => a.filename)).toEqual(["paczka.csv"]);
  });

  it("lets one of many concurrent senders claim a key before building the e-mail, and only that one send", async () => {
    const now = new Date("2026-12-04T06:00:00Z");
    const key = "test#digest";
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => claimOutbox(key, `remind-${i}`, now)));
    expect(claims.filter((c) => c === "claimed")).toHaveLength(1);
    expect(claims.filter((c) => c === "in-progress")).toHaveLength(19);
    const winner = `remind-${claims.indexOf("claimed")}`;
    const loser = winner === "remind-0" ? "remind-1" : "remind-0";
    // A re-run of the winner (after a crash) still holds it; a loser neither claims nor sends.
    expect(await claimOutbox(key, winner, now)).toBe("claimed");
    const mail = { outboxKey: key, to: ["ewa@example.pl"], subject: "Zestawienie dnia", text: "Lista", html: "<p>Lista</p>", now };
    expect(await sendOnce({ ...mail, claimant: loser })).toBe("in-progress");
    expect(await sendOnce({ ...mail, claimant: winner })).toBe("sent");
    expect(await claimOutbox(key, loser, now)).toBe("sent");
    expect((await inbox()).filter((e) => e.subject === "Zestawienie dnia")).toHaveLength(1);
  });

  it("frees an unsent claim when there is nothing to send, but never a sent one", async () => {
    const now = new Date("2026-12-05T06:00:00Z");
    expect(await claimOutbox("test#empty", "check", now)).toBe("claimed");
    await releaseOutbox("test#empty", "other"); // not its claim: nothing happens
    expect(await claimOutbox("test#empty", "timeout", now)).toBe("in-progress");
    await releaseOutbox("test#empty", "check");
    expect(await claimOutbox("test#empty", "timeout", now)).toBe("claimed");
    await sendOnce({ outboxKey: "test#empty", claimant: "timeout", to: ["ewa@example.pl"], subject: "Po zwolnieniu", text: "x", html: "<p>x</p>", now });
    await releaseOutbox("test#empty", "timeout");
    expect(await claimOutbox("test#empty", "check", now)).toBe("sent");
  });
});
