import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSes, type LocalSes } from "../../local/ses.js";
import { startTestTable } from "../support/table.js";

/**
 * Issue 18: the senders pace themselves to the account's SES send rate, which they ask SES for
 * (GetAccount) once. The local SES answers GetAccount like SES; here with 5 e-mails a second.
 */
let ses: LocalSes;
let table: Awaited<ReturnType<typeof startTestTable>>;
let sendOnce: typeof import("../../functions/adapters/email.js").sendOnce;

beforeAll(async () => {
  table = await startTestTable();
  ses = await startSes({ port: 0, journal: join(mkdtempSync(join(tmpdir(), "karta-ses-")), "emails.jsonl"), maxSendRate: 5 });
  process.env.AWS_ENDPOINT_URL_SESV2 = ses.endpoint;
  process.env.MAIL_FROM = "karta@karta.example.gov.pl";
  ({ sendOnce } = await import("../../functions/adapters/email.js"));
});
afterAll(async () => {
  await ses.stop();
  await table.stop();
});

describe("pacing the sends to the account's rate", () => {
  it("sends 8 e-mails started at once no faster than 5 a second", async () => {
    const inbox = async () => ((await (await fetch(`${ses.endpoint}/store`)).json()) as { emails: { subject: string; at: number }[] }).emails;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        sendOnce({ outboxKey: `pace#${i}`, to: [`osoba${i}@example.pl`], subject: `Tempo ${i}`, text: "t", html: "<p>t</p>", now: new Date("2026-11-30T08:00:00Z") }),
      ),
    );
    const elapsed = performance.now() - started;
    // evenly spaced at 200 ms: the eighth leaves 1.4 s after the first
    expect(elapsed).toBeGreaterThanOrEqual(1_350);
    expect(elapsed).toBeLessThan(5_000);
    expect((await inbox()).filter((e) => e.subject.startsWith("Tempo"))).toHaveLength(8);
  });
});
