import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import { SIGN_IN_LIMITS } from "../../functions/core/auth.js";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { apiClient } from "./api-helpers.js";

/**
 * Issue 18: sign-in links survive mail scanners (opening a link uses nothing; only the page's
 * button, a POST, signs in), and asking for links is limited per address and per client without
 * telling anyone whether an address has an account.
 */
const ANNA = "anna.nowak@asystent.example.pl";
const PIOTR = "piotr.kowalski@asystent.example.pl";
const linkPattern = /https?:\/\/\S+\/api\/auth\/callback\?token=[A-Za-z0-9_-]+/;

let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ startAt: new Date(warsawInstant("2026-11-20", "10:00")) });
  api = apiClient(stack);
}, 120_000);
afterAll(() => stack?.dispose());

const signInMails = (email: string) => api.mailsTo(email, /link do logowania/);
const ask = (email: string) => api.call(undefined, "POST", "/api/auth/link", { email });
/** The clock to the start of the next limit window. */
const nextWindow = () => {
  const ms = SIGN_IN_LIMITS.windowSeconds * 1000;
  const now = stack.clock.now().getTime();
  stack.clock.advance(Math.floor(now / ms) * ms + ms - now);
};
const newestLink = async (email: string) => api.path(api.linkIn((await signInMails(email)).at(-1)!, linkPattern));

describe("sign-in links and mail scanners", () => {
  it("leaves a link usable after a scanner's HEAD and GET; the page's POST signs in once, a second POST is 410", async () => {
    nextWindow();
    expect((await ask(ANNA)).status).toBe(202);
    const link = await newestLink(ANNA);

    for (const method of ["HEAD", "GET", "HEAD", "GET"]) {
      const scanned = await stack.request(link, { method, headers: { "user-agent": "Microsoft Defender SafeLinks scanner" } });
      expect([method, scanned.status, scanned.headers.getSetCookie()]).toEqual([method, 200, []]);
    }

    const page = await stack.request(link);
    const html = await page.text();
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'none'.*form-action 'self'/);
    expect(html).toMatch(/<html lang="pl">/);
    expect(html).toMatch(/<form method="post" action="\/api\/auth\/callback\?lang=pl">/);
    expect(html).toMatch(/<button type="submit">Zaloguj się<\/button>/);
    // every reference stays on Karta's own origin: the token reaches no third party
    for (const [, url] of html.matchAll(/(?:href|src|action)="([^"]*)"/g)) expect(url).toMatch(/^\//);
    const english = await (await stack.request(`${link}&lang=en`)).text();
    expect(english).toMatch(/<html lang="en">/);
    expect(english).toMatch(/>Sign in<\/button>/);

    const signedIn = await api.useSignInLink(link);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("location")).toBe(`${stack.appUrl}/`);
    const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith("karta_session="))!;
    expect((await api.call(cookie.split(";")[0], "GET", "/api/me")).json.person.email).toBe(ANNA);

    const again = await api.useSignInLink(link);
    expect(again.status).toBe(410);
    expect(again.headers.getSetCookie()).toEqual([]);
    expect(await again.text()).toMatch(/Ten link logowania jest nieważny/);
  });

  it("shows a spent or expired link's page in Polish or English, with a way to ask for a new one", async () => {
    nextWindow();
    await ask(PIOTR);
    const link = await newestLink(PIOTR);
    stack.clock.advance(16 * 60_000);
    const expired = await stack.request(link);
    expect(expired.status).toBe(410);
    const pl = await expired.text();
    expect(pl).toMatch(/wygasł \(jest ważny 15 minut\) albo został już użyty/);
    expect(pl).toMatch(/<a href="\/">Poproś o nowy link logowania<\/a>/);
    const en = await (await stack.request(`${link}&lang=en`)).text();
    expect(en).toMatch(/<a href="\/">Ask for a new sign-in link<\/a>/);
    expect((await api.useSignInLink(link)).status).toBe(410);
  });

  it("refuses a sign-in form posted from another site and leaves the link usable", async () => {
    nextWindow();
    await ask(PIOTR);
    const link = await newestLink(PIOTR);
    const forged = await api.useSignInLink(link, { "sec-fetch-site": "cross-site" });
    expect(forged.status).toBe(403);
    expect(forged.headers.getSetCookie()).toEqual([]);
    expect((await api.useSignInLink(link, { "sec-fetch-site": "same-origin" })).status).toBe(303);
  });
});

describe("sign-in limits", () => {
  it(`answers 30 requests for one address with 202 each but sends at most ${SIGN_IN_LIMITS.perAddress} e-mails; a used link gives its place back`, async () => {
    nextWindow();
    const before = (await signInMails(ANNA)).length;
    const answers = await Promise.all(Array.from({ length: 30 }, () => ask(ANNA)));
    expect(answers.map((a) => [a.status, a.text])).toEqual(Array(30).fill([202, JSON.stringify({ accepted: true })]));
    const sent = (await signInMails(ANNA)).slice(before);
    expect(sent.length).toBe(SIGN_IN_LIMITS.perAddress);
    expect(sent[0].body.text).toMatch(/najwyżej 3 razy na kwadrans/);

    // signing in with one of them lets the person ask again at once
    expect((await api.useSignInLink(api.linkIn(sent[0], linkPattern))).status).toBe(303);
    await ask(ANNA);
    await ask(ANNA);
    expect((await signInMails(ANNA)).length - before).toBe(SIGN_IN_LIMITS.perAddress + 1);

    // the next window has room again
    nextWindow();
    await ask(ANNA);
    expect((await signInMails(ANNA)).length - before).toBe(SIGN_IN_LIMITS.perAddress + 2);
  });

  it("limits one client asking for many addresses: over the limit even a known address gets nothing", { timeout: 60_000 }, async () => {
    nextWindow();
    const before = (await signInMails(PIOTR)).length;
    const addresses = Array.from({ length: SIGN_IN_LIMITS.perClient }, (_, i) => `ktos${i}@example.org`);
    for (let i = 0; i < addresses.length; i += 25) {
      const answers = await Promise.all(addresses.slice(i, i + 25).map(ask));
      expect(answers.every((a) => a.status === 202)).toBe(true);
    }
    const over = await ask(PIOTR);
    expect([over.status, over.text]).toEqual([202, JSON.stringify({ accepted: true })]);
    expect((await signInMails(PIOTR)).length).toBe(before);

    nextWindow();
    await ask(PIOTR);
    expect((await signInMails(PIOTR)).length).toBe(before + 1);
  });

  it("answers a known and an unknown address in about the same time", { timeout: 60_000 }, async () => {
    nextWindow();
    const timed = async (email: string) => {
      const t = performance.now();
      expect((await ask(email)).status).toBe(202);
      return performance.now() - t;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 6; i++) {
      known.push(await timed(i % 2 ? ANNA : PIOTR));
      unknown.push(await timed(`nikt${i}@example.org`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(`sign-in link: median ${median(known).toFixed(1)} ms known vs ${median(unknown).toFixed(1)} ms unknown`);
    expect(Math.abs(median(known) - median(unknown))).toBeLessThan(40);
  });
});
