import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { desktop, hasChromium, launch, linkFromInbox, phone, screenshots } from "./support/browser.js";

const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 100 });

/** How wide the page lays out (a page wider than the phone scrolls sideways). */
const pageWidth = (page: Page) => page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth));

const ASSISTANT = "anna.nowak@asystent.example.pl";
const APPROVER = "zatwierdzajacy@mops-krakow.example.pl";

/** Draws a stroke with touch events (a finger on a phone), through the DevTools protocol. */
async function drawWithFinger(page: Page, selector: string) {
  await page.locator(selector).scrollIntoViewIfNeeded();
  const box = (await page.locator(selector).boundingBox())!;
  const cdp = await page.context().newCDPSession(page);
  const at = (fx: number, fy: number) => [{ x: box.x + box.width * fx, y: box.y + box.height * fy }];
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: at(0.15, 0.6) });
  for (let i = 1; i <= 12; i++) await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: at(0.15 + i * 0.05, 0.6 - Math.sin(i / 2) * 0.3) });
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await cdp.detach();
}

async function drawWithMouse(page: Page, selector: string) {
  await page.locator(selector).scrollIntoViewIfNeeded();
  const box = (await page.locator(selector).boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.7);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + box.width * (0.1 + i * 0.06), box.y + box.height * (0.5 + Math.cos(i) * 0.25), { steps: 2 });
  await page.mouse.up();
}

describe.skipIf(!hasChromium)("an assistant's month on a phone, approved from the e-mail link", () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    // Monday 16 November 2026, 18:10 in Warsaw: the demo orders are for November.
    // The local stack builds web/dist when its sources changed.
    stack = await startTestStack({ startAt: new Date("2026-11-16T17:10:00Z") });
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  it("signs in from the inbox, logs three visits, signs twice, submits; the approver approves from the link", async () => {
    const shot = screenshots("assistant-approver");
    const context = await browser.newContext(phone);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    page.on("response", (r) => r.status() >= 500 && console.warn(`e2e: ${r.request().method()} ${r.url()} → ${r.status()}`));
    page.on("pageerror", (e) => console.warn(`e2e: page error ${e.message}`));

    // Sign in with the link from the inbox.
    await page.goto(stack.appUrl);
    await poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Logowanie");
    await shot(page, "sign-in");
    await page.getByLabel("Adres e-mail").fill(ASSISTANT);
    const since = Date.now() - 1000;
    await page.getByRole("button", { name: "Wyślij link do logowania" }).click();
    await page.getByText(/wysłaliśmy na niego link/).waitFor();
    await shot(page, "link-sent");
    await page.goto(await linkFromInbox(stack, ASSISTANT, /\/api\/auth\/callback\?token=/, since));
    // opening the link only shows its page (a mail scanner's visit uses nothing); the button signs in
    await page.getByRole("button", { name: "Zaloguj się" }).click();
    await poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Mój miesiąc: Listopad 2026");
    await page.getByText("KR-AOU-001").first().waitFor();
    await shot(page, "month");

    // Visit 1: today (the default), 14:00–16:00, one scope.
    await page.getByRole("button", { name: "Wpisz pierwszą wizytę: KR-AOU-001" }).click();
    await poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Nowa wizyta");
    await poll(() => page.getByLabel("Data").inputValue()).toBe("2026-11-16");
    await page.getByLabel("Początek").fill("14:00");
    await page.getByLabel("Koniec").fill("1600");
    await page.getByLabel("Budowanie sieci kontaktów").check();
    await page.getByText("Czas wizyty: 2 godz.").waitFor();
    await shot(page, "visit-1-form");
    await page.getByRole("button", { name: "Zapisz wizytę" }).click();
    await page.getByRole("status").filter({ hasText: "Zapisano wizytę." }).waitFor();

    // Visit 2: yesterday, 10:00 + the 1,5 h chip; the scope is remembered.
    await page.getByRole("link", { name: "Dodaj wizytę" }).click();
    await page.getByRole("button", { name: "Wczoraj" }).click();
    await page.getByLabel("Początek").fill("10:00");
    await page.getByRole("button", { name: "1 godz. 30 min" }).click();
    await poll(() => page.getByLabel("Koniec").inputValue()).toBe("11:30");
    await page.getByText("Budowanie sieci kontaktów").waitFor();
    await shot(page, "visit-2-form");
    await page.getByRole("button", { name: "Zapisz wizytę" }).click();
    await page.getByRole("status").filter({ hasText: "Zapisano wizytę." }).waitFor();

    // Visit 3: 10 November, remote — needs a justification.
    await page.getByRole("link", { name: "Dodaj wizytę" }).click();
    await page.getByLabel("Data").fill("2026-11-10");
    await page.getByLabel("Początek").fill("16:30");
    await page.getByLabel("Koniec").fill("17:30");
    await page.getByLabel("Zdalnie").check();
    await page.getByRole("button", { name: "Zapisz wizytę" }).click();
    await page.getByText("Ta forma wymaga uzasadnienia.").waitFor();
    await page.getByLabel("Uzasadnienie").fill("Uczestnik w szpitalu, rozmowa telefoniczna.");
    await shot(page, "visit-3-form");
    await page.getByRole("button", { name: "Zapisz wizytę" }).click();
    await page.getByRole("status").filter({ hasText: "Zapisano wizytę." }).waitFor();
    await poll(() => page.locator(".visit").count()).toBe(3);
    await poll(() => page.locator(".hours").textContent()).toContain("4 godz. 30 min");
    await shot(page, "report-three-visits");

    // Both signatures on the totals shown, then submit.
    await page.getByRole("link", { name: "Podpisy i wysłanie" }).click();
    await poll(() => page.getByTestId("signed-visits").textContent()).toBe("3");
    await poll(() => page.getByTestId("signed-time").textContent()).toBe("4 godz. 30 min");
    expect(await pageWidth(page), "the sign page fits a 390 px phone").toBeLessThanOrEqual(390);
    await drawWithFinger(page, "#pad-beneficiary");
    await page.getByRole("button", { name: "Zatwierdź podpis" }).first().click();
    await page.getByTestId("signed-beneficiary").waitFor();
    await drawWithMouse(page, "#pad-assistant");
    await page.getByRole("button", { name: "Zatwierdź podpis" }).click();
    await page.getByTestId("signed-assistant").waitFor();
    await shot(page, "signed");
    await page.getByRole("button", { name: "Wyślij sprawozdanie" }).click();
    await page.getByText("Wysłano sprawozdanie do zatwierdzenia.").waitFor();
    await poll(() => page.locator(".badge").textContent()).toBe("Wysłane");
    await shot(page, "submitted");

    // The approver opens the e-mail link (a plain GET decides nothing) and approves.
    const approver = await browser.newContext(desktop);
    approver.setDefaultTimeout(10_000);
    const approvalPage = await approver.newPage();
    const link = await linkFromInbox(stack, APPROVER, /\/approve\//);
    await approvalPage.goto(link);
    await shot(approvalPage, "approval-link");
    // the approver between two meetings opens the same link on a phone
    const approverPhone = await browser.newContext(phone);
    const onPhone = await approverPhone.newPage();
    await onPhone.goto(link);
    await onPhone.getByRole("button", { name: "Zatwierdzam" }).waitFor();
    expect(await pageWidth(onPhone), "the approval link page fits a 390 px phone").toBeLessThanOrEqual(390);
    await shot(onPhone, "approval-link-phone");
    await approverPhone.close();
    await page.reload();
    await poll(() => page.locator(".badge").textContent()).toBe("Wysłane");
    await approvalPage.getByRole("button", { name: "Zatwierdzam" }).click();
    await approvalPage.waitForLoadState("load");
    await shot(approvalPage, "approved");

    await stack.waitFor(async () => {
      await page.reload();
      return (await page.locator(".badge").textContent()) === "Zatwierdzone";
    }, "the assistant to see the report approved");
    await shot(page, "assistant-sees-approved");
    await approver.close();
    await context.close();
  });
});
