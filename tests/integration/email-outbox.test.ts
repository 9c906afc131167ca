import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSes, type LocalSes } from "../../local/ses.js";
import { startTestTable } from "../support/table.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let ses: LocalSes;
let table: Awaited<ReturnType<typeof startTestTable>>;
let sendOnce: typeof import("../../functions/adapters/email.js").sendOnce;

beforeAll(async () => {
  table = await startTestTable();
  ses = await startSes({ port: 0, journal: join(mkdtempSync(join(tmpdir(), "karta-ses-")), "emails.jsonl") });
  process.env.AWS_ENDPOINT_URL_SESV2 = ses.endpoint;
  process.env.MAIL_FROM = "karta@karta.example.gov.pl";
  ({ sendOnce } = await import("../../functions/adapters/email.js"));
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
});
