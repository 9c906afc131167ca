import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { desktop, hasChromium, launch, screenshots, signIn } from "./support/browser.js";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

async function axe(page: Page): Promise<string[]> {
  // evaluated, not an inline <script>: the app's CSP (script-src 'self') refuses inline scripts
  await page.evaluate(readFileSync(axePath, "utf8"));
  return page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.map((v: any) => `${v.id}: ${v.help} — ${v.nodes.map((n: any) => n.target.join(" ")).join(", ")}`);
  });
}

/** Issue 14: the admin records an assistant's contract in the web app; the coordinator's board shows contracts ending. */
describe.skipIf(!hasChromium)("contracts in the web app", () => {
  let stack: TestStack;
  let browser: Browser;
  const contexts: Record<string, BrowserContext> = {};

  beforeAll(async () => {
    stack = await startTestStack({ startAt: new Date("2026-11-20T09:00:00Z") });
    browser = await launch();
    for (const [role, email] of [
      ["admin", "admin@mops-krakow.example.pl"],
      ["coordinator", "koordynator@mops-krakow.example.pl"],
    ] as const) {
      contexts[role] = await browser.newContext({ ...desktop, baseURL: stack.appUrl });
      await (await signIn(stack, contexts[role], email)).close();
    }
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  it("lists the assistant's contract and adds one: a bad account is marked in place, then saved", async () => {
    const page = await contexts.admin.newPage();
    await page.goto("/admin/people/p-anna-nowak?programme=krakow-aou&lang=pl");
    const section = page.getByRole("region", { name: "Umowy" });
    const table = section.getByRole("table", { name: "Umowy w programie" });
    await table.waitFor();
    expect(await table.locator("tbody tr").first().textContent()).toContain("01.01.2025–31.12.2027");

    await section.getByRole("button", { name: "Dodaj umowę" }).click();
    await page.getByLabel("Numer umowy").fill("AOU/2028/001");
    await page.getByLabel("Obowiązuje od").fill("2028-01-01");
    await page.getByLabel("Obowiązuje do").fill("2028-12-31");
    const account = page.getByLabel("Numer rachunku bankowego");
    await account.fill("PL61 1090 1014 0000 0712 1981 2875");
    await page.getByLabel("Uczeń lub student poniżej 26 lat").check();
    await page.getByLabel("Dzień 26. urodzin").fill("2029-03-01");
    const form = section.getByRole("form", { name: "Nowa umowa" });
    await form.getByRole("button", { name: "Zapisz" }).click();
    await page.getByText("Suma kontrolna numeru rachunku się nie zgadza").waitFor();
    expect(await account.getAttribute("aria-invalid")).toBe("true");
    expect(await axe(page)).toEqual([]);
    await screenshots("contracts")(page, "contract-bad-account");

    await account.fill("PL61 1090 1014 0000 0712 1981 2874");
    await form.getByRole("button", { name: "Zapisz" }).click();
    await section.getByRole("status").filter({ hasText: "Umowa AOU/2028/001 została zapisana." }).waitFor();
    await table.locator("tbody tr").nth(1).waitFor();
    expect(await table.locator("tbody tr").nth(1).textContent()).toMatch(/AOU\/2028\/001.*01\.01\.2028–31\.12\.2028.*PL61 1090 1014 0000 0712 1981 2874.*Uczeń lub student poniżej 26 lat/);

    // a contract sharing a day with another is refused by the server, its message shown
    await section.getByRole("button", { name: "Dodaj umowę" }).click();
    await page.getByLabel("Numer umowy").fill("AOU/2027/009");
    await page.getByLabel("Obowiązuje od").fill("2027-06-01");
    await page.getByLabel("Obowiązuje do").fill("2027-12-31");
    await page.getByLabel("Numer rachunku bankowego").fill("27 1140 2004 0000 3002 0135 5387");
    await form.getByRole("button", { name: "Zapisz" }).click();
    await section.getByRole("alert").filter({ hasText: "nakłada się na umowę AOU/2025/001" }).waitFor();
    expect(await axe(page)).toEqual([]);
    await page.close();
  });

  it("shows the coordinator's board the contracts ending within a month", async () => {
    const admin = contexts.admin.request;
    const listed = await (await admin.get("/api/people/p-tomasz-wojcik/contracts")).json();
    const { changedBy: _by, changedAt: _at, ...contract } = listed.contracts[0];
    const changed = await admin.put("/api/people/p-tomasz-wojcik/contracts", { data: { ...contract, to: "2026-12-10" }, headers: { "if-match": `"${listed.rev}"` } });
    expect(changed.status()).toBe(200);

    const page = await contexts.coordinator.newPage();
    await page.goto("/board?programme=krakow-aou&month=2026-11&lang=pl");
    const ending = page.getByRole("region", { name: "Kończące się umowy" });
    await ending.getByText("Tomasz Wójcik").waitFor();
    expect(await ending.locator("li").allTextContents()).toEqual(["Tomasz Wójcik (AOU/2025/004): kończy się 10.12.2026"]);
    expect(await axe(page)).toEqual([]);
    await page.close();
  });
});
