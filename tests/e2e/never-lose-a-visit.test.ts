// Issue 15: the paths a field worker meets every week, on a phone in Chromium against the local
// stack — a connection that flaps, a request held open, a session that ends with a visit typed,
// a date typed in full, a refused change fixed in place, a visit in the future, the remembered
// mode and the totals shown offline. Each case failed on the code before issue 15.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { PNG } from "pngjs";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { hasChromium, launch, linkFromInbox, phone, signIn } from "./support/browser.js";

const poll = <T>(read: () => Promise<T>, timeout = 10_000) => expect.poll(read, { timeout, interval: 100 });

const ASSISTANT = "anna.nowak@asystent.example.pl";
const SCOPE = "Budowanie sieci kontaktów";

type Typed = { date: string; start: string; end: string; remote?: string };

/** Fills the visit form as a person does (the time fields take "1600" as well as "16:00"). */
async function fillVisit(page: Page, visit: Typed) {
  await poll(() => page.getByRole("heading", { level: 1 }).textContent()).toMatch(/wizyt/i);
  await page.getByLabel("Data").fill(visit.date);
  await page.getByLabel("Początek").fill(visit.start);
  await page.getByLabel("Koniec").fill(visit.end);
  if (visit.remote !== undefined) {
    await page.getByLabel("Zdalnie").check();
    await page.getByLabel("Uzasadnienie").fill(visit.remote);
  }
  // the last scope is remembered and shown as a summary; the first visit ticks it
  const scope = page.getByLabel(SCOPE);
  if ((await scope.count()) > 0 && !(await scope.isChecked())) await scope.check();
}

/** The report's visits as the server has them, read with the page's own session. */
async function serverVisits(page: Page): Promise<{ id: string; date: string; mode: string }[]> {
  const reportId = decodeURIComponent(new URL(page.url()).pathname.split("/")[2]);
  return page.evaluate(async (id) => {
    const response = await fetch(`/api/reports/${encodeURIComponent(id)}`, { credentials: "include" });
    if (!response.ok) throw new Error(`GET report answered ${response.status}`);
    return (await response.json()).report.visits;
  }, reportId);
}


/** The kept changes as they are in the browser's IndexedDB, read with the raw API (run in the page). */
declare function keptInIndexedDb(): Promise<{ kind: string; visit?: { date: string } }[]>;
const KEPT_IN_INDEXEDDB = `window.keptInIndexedDb = () => new Promise((resolve, reject) => {
  const open = indexedDB.open("karta");
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains("pending")) return resolve([]);
    const all = db.transaction("pending").objectStore("pending").getAll();
    all.onsuccess = () => { resolve(all.result); db.close(); };
    all.onerror = () => reject(all.error);
  };
});`;

describe.skipIf(!hasChromium)("an assistant never loses a visit (issue 15)", () => {
  let stack: TestStack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // Monday 16 November 2026, 18:10 in Warsaw: the demo orders are for November.
    stack = await startTestStack({ startAt: new Date("2026-11-16T17:10:00Z") });
    browser = await launch();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.dispose();
  });

  /** A signed-in phone on the month page, with the report of `code` started and its first visit saved online. */
  async function reportWithOneVisit(code: string, first: Typed, assistant = ASSISTANT): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext(phone);
    contexts.push(context);
    context.setDefaultTimeout(10_000);
    await context.addInitScript(KEPT_IN_INDEXEDDB);
    const page = await signIn(stack, context, assistant);
    page.on("pageerror", (e) => console.warn(`e2e: page error ${e.message}`));
    await page.getByRole("button", { name: `Wpisz pierwszą wizytę: ${code}` }).click();
    await fillVisit(page, first);
    await page.getByRole("button", { name: "Zapisz wizytę" }).click();
    await page.getByRole("status").filter({ hasText: "Zapisano wizytę." }).waitFor();
    return { context, page };
  }

  it("1. sends a visit saved offline after an earlier reconnect found nothing to send", async () => {
    const { context, page } = await reportWithOneVisit("KR-AOU-001", { date: "2026-11-02", start: "10:00", end: "11:00" });

    // a flap with nothing queued: the sync that runs on reconnect has nothing to do
    await context.setOffline(true);
    await page.waitForTimeout(1000);
    await context.setOffline(false);
    await page.waitForTimeout(500);

    await context.setOffline(true);
    await page.getByRole("link", { name: "Dodaj wizytę" }).click();
    await fillVisit(page, { date: "2026-11-03", start: "10:00", end: "11:30" });
    await page.getByRole("button", { name: "Zapisz wizytę" }).click();
    await page.getByText(/wizytę zapisano na tym urządzeniu/).waitFor();
    await page.getByText("1 zmiana czeka na wysłanie.").waitFor();

    await context.setOffline(false);
    await poll(() => page.getByText("1 zmiana czeka na wysłanie.").count()).toBe(0);
    await poll(async () => (await serverVisits(page)).map((v) => v.date).sort()).toEqual(["2026-11-02", "2026-11-03"]);
    await poll(() => page.locator(".pending-tag").count()).toBe(0);
  });

  it("2. keeps a visit whose save never answers (lie-fi) on the device and sends it later", async () => {
    const { page } = await reportWithOneVisit("KR-AOU-002", { date: "2026-11-04", start: "10:00", end: "11:00" });

    // the connection looks up but nothing comes back
    await page.route("**/api/reports/*/visits**", () => undefined);
    await page.getByRole("link", { name: "Dodaj wizytę" }).click();
    await fillVisit(page, { date: "2026-11-05", start: "10:00", end: "11:00" });
    await page.getByRole("button", { name: "Zapisz wizytę" }).click();
    await page.getByText(/wizytę zapisano na tym urządzeniu/).waitFor({ timeout: 30_000 });
    await page.getByText("1 zmiana czeka na wysłanie.").waitFor();

    await page.unroute("**/api/reports/*/visits**");
    await page.getByRole("button", { name: "Wyślij teraz" }).click();
    await poll(async () => (await serverVisits(page)).map((v) => v.date).sort()).toEqual(["2026-11-04", "2026-11-05"]);
    await poll(() => page.getByText("1 zmiana czeka na wysłanie.").count()).toBe(0);
  });

  it("3. keeps a visit typed while the session ended, asks to sign in again, then sends it", async () => {
    const { context, page } = await reportWithOneVisit("KR-AOU-003", { date: "2026-11-06", start: "10:00", end: "11:00" });

    await page.getByRole("link", { name: "Dodaj wizytę" }).click();
    await fillVisit(page, { date: "2026-11-09", start: "12:00", end: "13:00" });
    await context.clearCookies(); // the 12-hour session ends while the assistant types
    await page.getByRole("button", { name: "Zapisz wizytę" }).click();
    await poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Logowanie");
    await page.getByText(/Sesja wygasła/).waitFor();
    await page.getByText(/1 zmiana czeka na wysłanie/).first().waitFor();

    // a new link, not the one of the first sign-in (the inbox stamps e-mails in whole seconds)
    const signInLink = /\/api\/auth\/callback\?token=/;
    const used = await linkFromInbox(stack, ASSISTANT, signInLink);
    await page.getByLabel("Adres e-mail").fill(ASSISTANT);
    await page.getByRole("button", { name: "Wyślij link do logowania" }).click();
    await page.getByText(/wysłaliśmy na niego link/).waitFor();
    const fresh = await stack.waitFor<string>(async () => {
      const link = await linkFromInbox(stack, ASSISTANT, signInLink);
      return link !== used ? link : undefined;
    }, "a second sign-in link");
    await page.goto(fresh);
    await page.getByRole("button", { name: "Zaloguj się" }).click();
    await page.waitForSelector("main h1");
    await poll(() => page.getByText(/czeka na wysłanie/).count()).toBe(0);
    await page.getByRole("link", { name: /KR-AOU-003/ }).first().click();
    await poll(async () => (await serverVisits(page)).map((v) => v.date).sort()).toEqual(["2026-11-06", "2026-11-09"]);
  });

  it("4. takes a date typed in full with the keyboard without blanking the page", async () => {
    const { page } = await reportWithOneVisit("KR-AOU-004", { date: "2026-11-10", start: "08:00", end: "09:00" });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    await page.getByRole("link", { name: "Dodaj wizytę" }).click();
    const date = page.getByLabel("Data");
    await date.click();
    await page.keyboard.type("11112026", { delay: 60 });
    await poll(() => date.inputValue()).toBe("2026-11-11");
    await page.getByLabel("Początek").fill("08:00");
    await page.getByLabel("Koniec").fill("09:00");
    await page.getByRole("button", { name: "Zapisz wizytę" }).click();
    await page.getByRole("status").filter({ hasText: "Zapisano wizytę." }).waitFor();
    expect(errors).toEqual([]);
    expect((await serverVisits(page)).map((v) => v.date).sort()).toEqual(["2026-11-10", "2026-11-11"]);
  });

  it("5, 7 and 11. refuses a visit that ends in the future; a change refused after an offline save is fixed in place with Zmień", async () => {
    const { context, page } = await reportWithOneVisit("KR-AOU-005", { date: "2026-11-12", start: "08:00", end: "09:00" });

    // 7: the 28th has not come yet (it is the 16th): refused at once, in Warsaw time
    await page.getByRole("link", { name: "Dodaj wizytę" }).click();
    await fillVisit(page, { date: "2026-11-28", start: "10:00", end: "11:00" });
    await page.getByRole("button", { name: "Zapisz wizytę" }).click();
    await page.getByText("Wizyta kończy się 28.11.2026 11:00, czyli w przyszłości.", { exact: false }).waitFor();

    // 5: saved offline over the visit of 08:00–09:00; the server refuses it on reconnect
    await context.setOffline(true);
    await page.getByLabel("Data").fill("2026-11-12");
    await page.getByLabel("Początek").fill("08:30");
    await page.getByLabel("Koniec").fill("09:30");
    await page.getByRole("button", { name: "Zapisz wizytę" }).click();
    await page.getByText(/wizytę zapisano na tym urządzeniu/).waitFor();
    await context.setOffline(false);
    // 11: the refusal names the other visit as the assistant typed it, not in UTC
    await page.getByText(/nakłada się na inną wizytę tego samego asystenta \(12\.11\.2026, 08:00–09:00, czas polski\)/).waitFor({ timeout: 20_000 });
    expect((await serverVisits(page)).map((v) => v.date)).toEqual(["2026-11-12"]);

    // Zmień opens the refused visit; corrected, it reaches the server and the refusal is gone
    await page.getByRole("link", { name: "Zmień wizytę z 12.11.2026, 08:30" }).click();
    await poll(() => page.getByLabel("Początek").inputValue()).toBe("08:30");
    await page.getByLabel("Data").fill("2026-11-13");
    await page.getByRole("button", { name: "Zapisz wizytę" }).click();
    await page.getByRole("status").filter({ hasText: "Zapisano wizytę." }).waitFor();
    await poll(async () => (await serverVisits(page)).map((v) => v.date).sort()).toEqual(["2026-11-12", "2026-11-13"]);
    await poll(() => page.locator(".pending-tag").count()).toBe(0);
  });

  it("9 and 10. a remote visit does not make the next one remote; offline totals count the same visits", async () => {
    const { context, page } = await reportWithOneVisit("KR-AOU-006", {
      date: "2026-11-13",
      start: "14:00",
      end: "15:00",
      remote: "Uczestnik w szpitalu, rozmowa telefoniczna.",
    });

    await page.getByRole("link", { name: "Dodaj wizytę" }).click();
    await expect.poll(() => page.getByLabel("Osobiście").isChecked()).toBe(true);
    await page.locator(".scopes").getByText(SCOPE).waitFor(); // the scope is still remembered

    await context.setOffline(true);
    await fillVisit(page, { date: "2026-11-14", start: "10:00", end: "11:00" });
    await page.getByRole("button", { name: "Zapisz wizytę" }).click();
    await page.getByText(/wizytę zapisano na tym urządzeniu/).waitFor();
    // 2 h logged, and the amount of the same 2 h: 2 × 96,00 zł
    await poll(() => page.locator(".hours").textContent()).toContain("2 godz.");
    await poll(() => page.getByText(/Kwota brutto/).textContent()).toMatch(/192,00\s*zł/);
    await context.setOffline(false);
  });
  it("6. starts a report without a connection, shows it on the month page, survives an offline reload (service worker), then sends it", async () => {
    const context = await browser.newContext(phone);
    contexts.push(context);
    context.setDefaultTimeout(10_000);
    const page = await signIn(stack, context, "piotr.kowalski@asystent.example.pl");
    await page.getByText("KR-AOU-008").first().waitFor();
    // the service worker has taken the page: the app shell is kept on the device
    page.on("console", (m) => m.type() === "warning" && console.warn(`e2e: ${m.text()}`));
    await poll(() => page.evaluate(() => !!navigator.serviceWorker?.controller), 15_000).toBe(true);

    await context.setOffline(true);
    await page.getByRole("button", { name: "Wpisz pierwszą wizytę: KR-AOU-008" }).click();
    await fillVisit(page, { date: "2026-11-09", start: "10:00", end: "11:30" });
    await page.getByRole("button", { name: "Zapisz wizytę" }).click();
    await page.getByText(/wizytę zapisano na tym urządzeniu/).waitFor();
    await page.getByRole("link", { name: "‹ Mój miesiąc" }).click();
    const card = page.locator(".card").filter({ hasText: "KR-AOU-008" });
    await card.getByText("1 godz. 30 min").first().waitFor();
    expect(await card.textContent()).not.toContain("Nie rozpoczęto");

    // a reload without a connection opens the app, not the browser's error page
    await page.reload();
    await poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Mój miesiąc: Listopad 2026");
    await page.getByText("Brak połączenia: pokazujemy dane zapamiętane na urządzeniu.").first().waitFor();
    await page.locator(".card").filter({ hasText: "KR-AOU-008" }).getByText("1 godz. 30 min").first().waitFor();
    await page.getByText("2 zmiany czekają na wysłanie.").waitFor();

    await context.setOffline(false); // sent on reconnect, in order: the report's start, then its visit
    await poll(() => page.getByText(/czeka(ją)? na wysłanie/).count()).toBe(0);
    await page.getByRole("link", { name: "Sprawozdanie: KR-AOU-008" }).click();
    await poll(async () => (await serverVisits(page)).map((v) => v.date)).toEqual(["2026-11-09"]);
  });

  it("keeps every change in IndexedDB: shared by the open tabs, sent once, and moved over from the old localStorage queue", async () => {
    const { context, page } = await reportWithOneVisit("KR-AOU-007", { date: "2026-11-02", start: "09:00", end: "10:00" }, "piotr.kowalski@asystent.example.pl");
    const reportUrl = page.url();
    // a second tab on the same report, as when a reminder link is opened again
    const other = await context.newPage();
    await other.goto(reportUrl);
    await other.getByText("KR-AOU-007").first().waitFor();
    const sent: string[] = []; // the changes that reached the server
    context.on("requestfinished", (r) => r.method() !== "GET" && r.url().includes("/visits") && sent.push(`${r.method()} ${new URL(r.url()).pathname}`));

    await context.setOffline(true);
    await page.getByRole("link", { name: "Dodaj wizytę" }).click();
    await fillVisit(page, { date: "2026-11-03", start: "09:00", end: "10:30" });
    await page.getByRole("button", { name: "Zapisz wizytę" }).click();
    await page.getByText(/wizytę zapisano na tym urządzeniu/).waitFor();

    // "saved on this device" is said once the IndexedDB transaction is done, not before
    const kept = await page.evaluate(() => keptInIndexedDb());
    expect(kept.map((c) => [c.kind, c.visit?.date])).toEqual([["put-visit", "2026-11-03"]]);
    expect(await page.evaluate(() => localStorage.getItem("karta.pending"))).toBeNull();
    // the other tab hears of it without a reload
    await other.getByText("1 zmiana czeka na wysłanie.").waitFor();

    await context.setOffline(false); // both tabs try to send on reconnect; one does, once
    await poll(() => page.getByText(/czeka(ją)? na wysłanie/).count()).toBe(0);
    await poll(() => other.getByText(/czeka(ją)? na wysłanie/).count()).toBe(0);
    await poll(async () => (await serverVisits(page)).map((v) => v.date).sort()).toEqual(["2026-11-02", "2026-11-03"]);
    expect(sent.filter((r) => r.startsWith("POST")).length).toBe(1);
    expect(await page.evaluate(() => keptInIndexedDb())).toEqual([]);

    // a change kept by the previous version of the app (localStorage) is moved over and sent
    const [first] = await serverVisits(page);
    const reportId = decodeURIComponent(new URL(reportUrl).pathname.split("/")[2]);
    await other.close();
    await page.evaluate(
      ({ reportId, visit }) => {
        const change = { key: `${reportId}/${visit.id}`, kind: "put-visit", reportId, visit, isNew: true, queuedAt: new Date().toISOString() };
        localStorage.setItem("karta.pending", JSON.stringify([change]));
      },
      { reportId, visit: { ...(first as any), id: "migrated-visit-0001", date: "2026-11-04", start: "2026-11-04T08:00:00.000Z", end: "2026-11-04T09:00:00.000Z" } },
    );
    await page.reload();
    await poll(async () => (await serverVisits(page)).map((v) => v.date).sort()).toEqual(["2026-11-02", "2026-11-03", "2026-11-04"]);
    expect(await page.evaluate(() => localStorage.getItem("karta.pending"))).toBeNull();
    expect(await page.evaluate(() => keptInIndexedDb())).toEqual([]);
  });

  it("signs with a photo of the signed paper, by keyboard alone, for a beneficiary who cannot draw (paper_scan)", async () => {
    const context = await browser.newContext(phone);
    contexts.push(context);
    context.setDefaultTimeout(10_000);
    const page = await signIn(stack, context, "piotr.kowalski@asystent.example.pl");
    await page.getByRole("button", { name: "Wpisz pierwszą wizytę: KR-AOU-010" }).click();
    await fillVisit(page, { date: "2026-11-11", start: "10:00", end: "11:00" });
    await page.getByRole("button", { name: "Zapisz wizytę" }).click();
    await page.getByRole("status").filter({ hasText: "Zapisano wizytę." }).waitFor();
    await page.getByRole("link", { name: "Podpisy i wysłanie" }).click();

    // a photo of a paper with a handwritten stroke: grey paper, dark ink
    const photo = new PNG({ width: 1600, height: 900 });
    for (let y = 0; y < 900; y++)
      for (let x = 0; x < 1600; x++) {
        const ink = Math.abs(y - 450 - Math.round(120 * Math.sin(x / 90))) < 6 && x > 200 && x < 1400;
        const i = (y * 1600 + x) * 4;
        photo.data[i] = photo.data[i + 1] = photo.data[i + 2] = ink ? 30 : 215;
        photo.data[i + 3] = 255;
      }

    await page.getByRole("button", { name: "Nie może podpisać na ekranie? Zdjęcie podpisanego papieru" }).first().focus();
    await page.keyboard.press("Enter");
    const input = page.getByLabel("Zdjęcie podpisu na papierze: Podpis uczestnika");
    // the file field is reached with the keyboard (it opens the camera or the files on Enter;
    // headless Chromium opens no picker, so the file is handed to the field the test's way)
    await input.waitFor();
    for (let i = 0; i < 6 && !(await input.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Shift+Tab");
    expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);
    await input.setInputFiles({ name: "podpis.png", mimeType: "image/png", buffer: PNG.sync.write(photo) });
    await page.getByRole("img", { name: "Podgląd zdjęcia podpisu" }).waitFor();
    await page.getByRole("button", { name: "Zatwierdź zdjęcie podpisu" }).focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("signed-beneficiary").waitFor();

    const signatures = await page.evaluate(async () => {
      const id = decodeURIComponent(location.pathname.split("/")[2]);
      const body = await (await fetch(`/api/reports/${encodeURIComponent(id)}`)).json();
      return body.report.signatures.map((s: { role: string; evidence: string; imageDataUrl?: string }) => ({ role: s.role, evidence: s.evidence, png: s.imageDataUrl?.startsWith("data:image/png;base64,"), chars: s.imageDataUrl?.length ?? 0 }));
    });
    expect(signatures).toEqual([{ role: "beneficiary", evidence: "paper_scan", png: true, chars: expect.any(Number) }]);
    expect(signatures[0].chars).toBeLessThanOrEqual(100_000);
  });

  // Last: it moves the clock into December.
  it("12. in the first days of December the app opens November, still due, with its deadline; so does the coordinator's board", async () => {
    stack.clock.set(new Date("2026-12-02T08:00:00Z")); // Wednesday 2 December, 09:00 in Warsaw
    const context = await browser.newContext(phone);
    contexts.push(context);
    context.setDefaultTimeout(10_000);
    const page = await signIn(stack, context, ASSISTANT);
    await poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Mój miesiąc: Listopad 2026");
    await page.getByText("Sprawozdania za listopad 2026 trzeba złożyć do 03.12.2026 (do końca dnia).").waitFor();
    await page.getByText("KR-AOU-001").first().waitFor();
    // the new month is one tap away, and says what is still due
    await page.getByRole("button", { name: "Następny miesiąc" }).click();
    await poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Mój miesiąc: Grudzień 2026");
    await page.getByRole("link", { name: "Przejdź do: Listopad 2026" }).waitFor();

    const staff = await browser.newContext(phone);
    contexts.push(staff);
    staff.setDefaultTimeout(10_000);
    const board = await signIn(stack, staff, "koordynator@mops-krakow.example.pl");
    await poll(async () => board.url()).toContain("/board");
    await board.getByText("Sprawozdania za Listopad 2026").waitFor();
  });
});
