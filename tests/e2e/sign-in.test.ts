import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { hasChromium, launch, linkFromInbox, phone, screenshots } from "./support/browser.js";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

async function axe(page: Page): Promise<{ id: string; help: string }[]> {
  // evaluated, not an inline <script>: the app's CSP (script-src 'self') refuses inline scripts
  await page.evaluate(readFileSync(axePath, "utf8"));
  return page.evaluate(async (tags) => {
    const result = await (window as any).axe.run(document, { runOnly: { type: "tag", values: tags } });
    return result.violations.map((v: any) => ({ id: v.id, help: v.help }));
  }, WCAG_21_AA);
}

/**
 * Issue 18: the sign-in link opens a page with a button (a mail scanner opening the link uses
 * nothing); pressing it signs in. The pages meet WCAG 2.1 AA in Polish and English.
 */
describe.skipIf(!hasChromium)("signing in through the link's page", () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startTestStack({ startAt: new Date("2026-11-20T09:00:00Z") });
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  it("asks for a link in the app, opens it (nothing used), presses the button and is signed in", { timeout: 90_000 }, async () => {
    const shot = screenshots("sign-in");
    // the pages' CSP (default-src 'none') would block axe's injected script; the integration test checks the header
    const context = await browser.newContext({ ...phone, baseURL: stack.appUrl, bypassCSP: true });
    const page = await context.newPage();
    const since = Date.now() - 1000;
    await page.goto("/");
    await page.getByLabel(/e-mail/i).fill("anna.nowak@asystent.example.pl");
    await page.getByRole("button", { name: /wyślij|link/i }).click();
    await page.waitForSelector(".notice-ok");
    const link = await linkFromInbox(stack, "anna.nowak@asystent.example.pl", /\/api\/auth\/callback\?token=/, since);

    // a scanner's visit first: the link stays usable
    expect((await stack.request(new URL(link).pathname + new URL(link).search, { method: "HEAD" })).status).toBe(200);

    await page.goto(`${link}&lang=en`);
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await axe(page)).toEqual([]);
    await page.goto(link);
    expect(await page.locator("html").getAttribute("lang")).toBe("pl");
    expect(await axe(page)).toEqual([]);
    await shot(page, "link-page");
    expect(await context.cookies()).toEqual([]);

    const button = page.getByRole("button", { name: "Zaloguj się" });
    await button.focus();
    await Promise.all([page.waitForURL((url) => url.pathname === "/"), page.keyboard.press("Enter")]);
    await page.waitForSelector("main h1");
    await page.waitForFunction(() => !document.querySelector(".loading"));
    await shot(page, "signed-in");
    expect((await context.cookies()).map((c) => c.name)).toContain("karta_session");
    expect((await context.request.get("/api/me")).status()).toBe(200);

    // the link is spent now: its page says so and leads to a new one
    const spent = await page.goto(link);
    expect(spent?.status()).toBe(410);
    expect(await axe(page)).toEqual([]);
    await shot(page, "spent-link");
    await page.getByRole("link", { name: "Poproś o nowy link logowania" }).click();
    await page.waitForSelector("main h1");
    await context.close();
  });
});
