import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { warsawInstant } from "../../functions/core/calendar.js";
import { apiClient, approvalLinkPattern } from "../integration/api-helpers.js";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { desktop, hasChromium, launch } from "./support/browser.js";

/**
 * Issue 18: the decision POST refuses forms of other sites by the headers a real browser sends
 * (Origin, Sec-Fetch-Site), while the approval page's own button — whose page sends
 * Referrer-Policy: no-referrer, so its form carries `Origin: null` — still decides.
 */
describe.skipIf(!hasChromium)("the approval link's form in a browser", () => {
  const startAt = new Date(warsawInstant("2026-11-20", "10:00"));
  let stack: TestStack;
  let browser: Browser;
  let api: ReturnType<typeof apiClient>;
  let anna: string;
  let evil: Server;
  let evilPage = "";

  beforeAll(async () => {
    stack = await startTestStack({ startAt });
    api = apiClient(stack);
    anna = await api.signIn("anna.nowak@asystent.example.pl");
    browser = await launch();
    // another site: a page whose form posts itself to the approval link, as a CSRF page would
    evil = createServer((_, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(evilPage));
    await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => evil?.close(resolve));
    await stack?.dispose();
  });

  async function submitted(beneficiaryCode: string, day: string) {
    const reportId = await api.draftSigned(anna, "krakow-aou", "2026-11", beneficiaryCode, [api.visit(day, "16:00", "17:00")], startAt.toISOString());
    expect((await api.call(anna, "POST", `/api/reports/${reportId}/submit`)).status).toBe(200);
    const [mail] = await api.waitForMail("zatwierdzajacy@mops-krakow.example.pl", new RegExp(`sprawozdanie ${beneficiaryCode} `));
    return { reportId, link: api.linkIn(mail, approvalLinkPattern) };
  }
  const statusOf = async (reportId: string) => (await api.call(anna, "GET", `/api/reports/${reportId}`)).json.report.status;

  it("decides from the page's own button", { timeout: 90_000 }, async () => {
    const { reportId, link } = await submitted("KR-AOU-001", "2026-11-02");
    const context = await browser.newContext(desktop);
    const page = await context.newPage();
    await page.goto(link);
    const posted = page.waitForRequest((r) => r.method() === "POST");
    await page.getByRole("button", { name: "Zatwierdzam" }).click();
    const request = await posted;
    const response = await request.response();
    expect(response?.status()).toBe(200);
    expect(await page.content()).toMatch(/zatwierdzone/);
    expect(await statusOf(reportId)).toBe("approved");
    // what the rule relies on: Chromium sends the page's own post as same-origin
    expect(await request.headerValue("sec-fetch-site")).toBe("same-origin");
    // and, under the page's Referrer-Policy: no-referrer, no origin of its own (Fetch: "null")
    expect(await request.headerValue("origin")).toBe("null");
    await context.close();
  });

  it.each(["application/x-www-form-urlencoded", "text/plain"])("refuses a %s form posted from another site with a 403 page, deciding nothing", { timeout: 90_000 }, async (enctype) => {
    const { reportId, link } = await submitted(enctype === "text/plain" ? "KR-AOU-003" : "KR-AOU-002", enctype === "text/plain" ? "2026-11-04" : "2026-11-03");
    evilPage = `<!doctype html><form method="post" enctype="${enctype}" action="${link.replace(/&/g, "&amp;")}"><input type="hidden" name="outcome" value="approve"></form><script>document.forms[0].submit()</script>`;
    const context = await browser.newContext(desktop);
    const page = await context.newPage();
    const posted = page.waitForRequest((r) => r.method() === "POST");
    await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
    const response = await (await posted).response();
    expect(response?.status()).toBe(403);
    expect(await response?.text()).toMatch(/wysłano z innej strony/);
    expect(await statusOf(reportId)).toBe("submitted");
    await context.close();
  });
});
