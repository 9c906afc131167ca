import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { desktop, hasChromium, launch, phone, screenshots, signIn } from "./support/browser.js";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

type Violation = { id: string; impact: string; help: string; nodes: { target: string[] }[] };

/** Runs axe-core on the page as it is and answers the WCAG 2.1 A/AA violations. */
async function axe(page: Page): Promise<Violation[]> {
  // evaluated, not an inline <script>: the app's CSP (script-src 'self') refuses inline scripts
  await page.evaluate(readFileSync(axePath, "utf8"));
  return page.evaluate(async (tags) => {
    const result = await (window as any).axe.run(document, { runOnly: { type: "tag", values: tags } });
    return result.violations.map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n: any) => ({ target: n.target })) }));
  }, WCAG_21_AA);
}

/** Opens a path in a language and waits until the page has loaded its data. */
async function open(page: Page, path: string, lang: "pl" | "en") {
  await page.goto(`${path}${path.includes("?") ? "&" : "?"}lang=${lang}`);
  await page.waitForSelector("main h1");
  await page.waitForFunction(() => !document.querySelector(".loading"));
  await page.waitForTimeout(150);
}

describe.skipIf(!hasChromium)("every page meets WCAG 2.1 A and AA (axe-core), in Polish and in English", () => {
  let stack: TestStack;
  let browser: Browser;
  const contexts: Record<string, BrowserContext> = {};
  let reportId = "";

  beforeAll(async () => {
    stack = await startTestStack({ startAt: new Date("2026-11-20T09:00:00Z") });
    browser = await launch();
    for (const [role, email, options] of [
      ["assistant", "piotr.kowalski@asystent.example.pl", phone],
      ["approver", "zatwierdzajacy@mops-krakow.example.pl", desktop],
      ["coordinator", "koordynator@mops-krakow.example.pl", desktop],
      ["finance", "ksiegowosc@mops-krakow.example.pl", desktop],
    ] as const) {
      contexts[role] = await browser.newContext({ ...options, baseURL: stack.appUrl });
      await (await signIn(stack, contexts[role], email)).close();
    }
    // A report with a visit, so the report, sign and approver pages have content.
    const api = contexts.assistant.request;
    const created = await (await api.post("/api/reports", { data: { programmeId: "krakow-aou", month: "2026-11", beneficiaryCode: "KR-AOU-007" } })).json();
    reportId = created.report.id;
    const visit = await api.post(`/api/reports/${reportId}/visits`, {
      data: { id: "v-a11y-1", date: "2026-11-19", start: "2026-11-19T13:00:00.000Z", end: "2026-11-19T15:00:00.000Z", scopeIds: ["t01-contacts"], mode: "remote", justification: "Telefon." },
    });
    expect(visit.status()).toBe(201);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  const pages = (): [string, string, string][] => [
    ["signed-out", "/", "sign-in"],
    ["assistant", "/", "month"],
    ["assistant", `/reports/${reportId}`, "report"],
    ["assistant", `/reports/${reportId}/visits/new`, "visit-form"],
    ["assistant", `/reports/${reportId}/visits/v-a11y-1`, "visit-edit"],
    ["assistant", `/reports/${reportId}/sign`, "sign"],
    ["assistant", "/no-such-page", "not-found"],
    ["assistant", "/batches", "not-allowed"],
    ["approver", "/approvals", "approvals"],
    ["approver", `/approvals/${reportId}`, "approval-report"],
    ["coordinator", "/orders?programme=krakow-aou&month=2026-11", "orders"],
    ["coordinator", "/board?programme=krakow-aou&month=2026-11", "board"],
    ["coordinator", "/overview?programme=krakow-aou&month=2026-11", "overview"],
    ["finance", "/batches?programme=krakow-aou&month=2026-11", "batches"],
  ];

  it.each(["pl", "en"] as const)("has no violations on any page (%s)", async (lang) => {
    const shot = screenshots(`accessibility-${lang}`);
    const found: string[] = [];
    for (const [who, path, name] of pages()) {
      const context = who === "signed-out" ? await browser.newContext({ ...phone, baseURL: stack.appUrl }) : contexts[who];
      const page = await context.newPage();
      await open(page, path, lang);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      for (const v of await axe(page)) found.push(`${name}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      await shot(page, name);
      await page.close();
      if (who === "signed-out") await context.close();
    }
    expect(found).toEqual([]);
  });

  it("lets a coordinator import a spreadsheet: the rows appear with names, a refused file lists every bad row", async () => {
    const page = await contexts.coordinator.newPage();
    await open(page, "/orders?programme=krakow-aou&month=2026-12", "pl");
    const header = "e-mail asystenta;kod uczestnika;godziny";
    const choose = (name: string, lines: string[]) => page.getByLabel("Plik zleceń (CSV lub XLSX)").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from([header, ...lines].join("\n")) });

    await choose("zlecenia.csv", ["anna.nowak@asystent.example.pl;KR-AOU-001;6", "piotr.kowalski@asystent.example.pl;KR-AOU-007;1:30"]);
    await page.getByRole("button", { name: "Importuj arkusz" }).click();
    await page.getByRole("status").filter({ hasText: "Grudzień 2026 — zaimportowano zleceń: 2." }).waitFor();
    const rows = page.getByRole("table", { name: /Zlecenia na/ }).locator("tbody tr");
    await rows.nth(1).waitFor();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[1].textContent]))).toEqual([
      ["Anna Nowak", "KR-AOU-001"],
      ["Piotr Kowalski", "KR-AOU-007"],
    ]);

    await choose("bledne.csv", ["nikt@example.pl;KR-AOU-002;6", "anna.nowak@asystent.example.pl;KR-AOU-003;abc"]);
    await page.getByRole("button", { name: "Importuj arkusz" }).click();
    const refused = page.getByRole("alert");
    await refused.locator("li").nth(1).waitFor();
    expect(await refused.locator("li").allTextContents()).toEqual([expect.stringMatching(/^wiersz 2: .*nikt@example\.pl/), expect.stringMatching(/^wiersz 3: .*abc/)]);
    expect(await axe(page)).toEqual([]);
    await screenshots("accessibility-import")(page, "orders-import-refused");
    await page.close();
  });

  it("lets a coordinator order by the assistant's name or e-mail, suggested as they type, not by an internal id (issue 14)", async () => {
    const page = await contexts.coordinator.newPage();
    await open(page, "/orders?programme=krakow-aou&month=2026-12", "pl");
    const assistant = page.getByLabel("Asystent", { exact: true });
    // the suggestions: every assistant of the programme as "Name <e-mail>", beneficiaries by code and initials
    const suggested = await page.locator("#order-assistants option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(suggested).toContain("Maria Wiśniewska <maria.wisniewska@asystent.example.pl>");
    expect(await page.locator("#order-beneficiaries option").count()).toBeGreaterThanOrEqual(24);

    await assistant.fill("Kto Inny");
    await page.getByLabel("Uczestnik (kod)").fill("KR-AOU-013");
    await page.getByRole("button", { name: "Wydaj zlecenie" }).click();
    await page.getByRole("alert").filter({ hasText: "Nie znaleziono asystenta „Kto Inny”" }).waitFor();

    await assistant.fill("Maria Wiśniewska <maria.wisniewska@asystent.example.pl>"); // the suggestion picked
    await page.getByRole("button", { name: "Wydaj zlecenie" }).click();
    await page.getByRole("status").filter({ hasText: "Zapisano zlecenie." }).waitFor();
    await assistant.fill("tomasz.wojcik@asystent.example.pl"); // or the e-mail typed
    await page.getByLabel("Uczestnik (kod)").fill("KR-AOU-019 (A.B.)");
    await page.getByRole("button", { name: "Wydaj zlecenie" }).click();
    const rows = page.getByRole("table", { name: /Zlecenia na/ }).locator("tbody tr");
    const shown = () => rows.evaluateAll((trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[1].textContent]));
    await expect.poll(shown, { timeout: 10_000 }).toEqual(expect.arrayContaining([["Maria Wiśniewska", "KR-AOU-013"], ["Tomasz Wójcik", "KR-AOU-019"]]));
    expect(await axe(page)).toEqual([]);
    await page.close();
  });

  it("speaks to people, not machines: no content hash on the signing screen, names in the history (issue 15, case 14)", async () => {
    const sign = await contexts.assistant.newPage();
    await open(sign, `/reports/${reportId}/sign`, "pl");
    const shown = await sign.locator("main").innerText();
    expect(shown).not.toMatch(/Skrót|[0-9a-f]{12}/);
    expect(shown).toContain("Podpisy dotyczą dokładnie tych wizyt.");
    await sign.close();

    const history = await contexts.approver.newPage();
    await open(history, `/approvals/${reportId}`, "pl");
    const entries = await history.locator(".history li").allTextContents();
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(entry).toContain("Piotr Kowalski");
      expect(entry).not.toMatch(/p-piotr|workflow|\bv\d/);
    }
    await history.close();
  });

  it("finds violations when there are some (the check can fail)", async () => {
    const page = await browser.newPage();
    await page.setContent('<html><body><main><img src="x.png"><input type="text"></main></body></html>');
    const ids = (await axe(page)).map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(["image-alt", "label", "html-has-lang"]));
    await page.close();
  });

  it("works with the keyboard alone: skip link, then a visit saved without a pointer", async () => {
    const page = await contexts.assistant.newPage();
    await open(page, `/reports/${reportId}/visits/new`, "pl");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Przejdź do treści");
    await page.keyboard.press("Enter");
    const focusOrder: string[] = [];
    for (let i = 0; i < 16; i++) {
      await page.keyboard.press("Tab");
      focusOrder.push(await page.evaluate(() => (document.activeElement as HTMLElement).id || document.activeElement!.textContent!.trim()));
    }
    expect(focusOrder.indexOf("visit-date")).toBeGreaterThanOrEqual(0);
    expect(focusOrder.indexOf("visit-date")).toBeLessThan(focusOrder.indexOf("visit-start"));
    expect(focusOrder.indexOf("visit-start")).toBeLessThan(focusOrder.indexOf("visit-end"));
    await page.focus("#visit-start");
    await page.keyboard.type("0800");
    await page.keyboard.press("Tab");
    await page.keyboard.type("0930");
    // The scope is remembered from nothing yet: reach the first checkbox and tick it with Space.
    await page.focus("input[type=checkbox]");
    await page.keyboard.press("Space");
    await page.focus("button[type=submit]");
    await page.keyboard.press("Enter");
    await page.getByRole("status").filter({ hasText: "Zapisano wizytę." }).waitFor();
    await page.close();
  });
});
