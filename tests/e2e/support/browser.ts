import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { TestStack } from "../../support/local-stack.js";

export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`e2e: skipping browser tests — ${CHROMIUM} is missing (apt-get install chromium)`);

export const artifactsDir = resolve(import.meta.dirname, "../artifacts");

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "pl-PL" };
export const desktop = { viewport: { width: 1280, height: 900 }, locale: "pl-PL" };

/** Writes numbered full-page screenshots of one scenario to tests/e2e/artifacts/<scenario>/. */
export function screenshots(scenario: string) {
  const dir = join(artifactsDir, scenario);
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page: Page, step: string) => {
    n += 1;
    await page.screenshot({ path: join(dir, `${String(n).padStart(2, "0")}-${step}.png`), fullPage: true });
  };
}

/** The first link in the newest e-mail to `to` whose href matches `pattern`. */
export async function linkFromInbox(stack: TestStack, to: string, pattern: RegExp, after = 0): Promise<string> {
  return stack.waitFor(async () => {
    // The inbox stamps e-mails in seconds.
    const emails = (await stack.inbox()).filter((e) => (e.at < 1e12 ? e.at * 1000 : e.at) >= after - 1000 && e.destination.to.some((d) => d.toLowerCase().includes(to.toLowerCase())));
    for (const email of emails.reverse()) {
      const text = `${email.body.html ?? ""}\n${email.body.text ?? ""}`.replace(/&amp;/g, "&");
      const found = text.match(new RegExp(`https?://[^\\s"'<>]*${pattern.source}[^\\s"'<>]*`));
      if (found) return found[0];
    }
    return undefined;
  }, `an e-mail to ${to} with a link matching ${pattern}`);
}

/** Signs a person in through the real flow (POST /api/auth/link, link from the inbox) in a browser context. */
export async function signIn(stack: TestStack, context: BrowserContext, email: string): Promise<Page> {
  const since = Date.now() - 1000;
  const response = await stack.request("/api/auth/link", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email }) });
  if (response.status !== 202) throw new Error(`POST /api/auth/link answered ${response.status}`);
  const link = await linkFromInbox(stack, email, /\/api\/auth\/callback\?token=/, since);
  const page = await context.newPage();
  // the link opens a page with a button; only the button (a POST) uses the link
  await page.goto(link);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/api/auth/")), page.locator("form button[type=submit]").click()]);
  await page.waitForSelector("main h1");
  return page;
}

