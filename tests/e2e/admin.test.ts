import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { desktop, hasChromium, launch, screenshots, signIn } from "./support/browser.js";

/**
 * Issue 14: a centre sets itself up in the web app, from an empty table, signed in as the centre
 * administrator — people, a programme naming them, an assistant, twelve beneficiaries from a
 * spreadsheet — with the keyboard, in Polish first; every admin page passes axe in both languages.
 */
const ADMIN = "administrator@centrum.example.pl";
const P = "gdansk-aou";
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

async function axe(page: Page): Promise<string[]> {
  // evaluated, not an inline <script>: the app's CSP (script-src 'self') refuses inline scripts
  await page.evaluate(readFileSync(axePath, "utf8"));
  return page.evaluate(async (tags) => {
    const result = await (window as any).axe.run(document, { runOnly: { type: "tag", values: tags } });
    return result.violations.map((v: any) => `${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n: any) => n.target.join(" ")).join(", ")}`);
  }, WCAG_21_AA);
}

async function open(page: Page, path: string, lang?: "pl" | "en") {
  await page.goto(lang ? `${path}${path.includes("?") ? "&" : "?"}lang=${lang}` : path);
  await page.waitForSelector("main h1");
  await page.waitForFunction(() => !document.querySelector(".loading"));
  await page.waitForTimeout(150);
}

/** Focuses a field and types into it: what a person does with Tab and the keys. */
async function type(field: Locator, text: string) {
  await field.focus();
  await field.page().keyboard.press("Control+A");
  await field.page().keyboard.type(text);
}

/** Presses a button or follows a link from the keyboard. */
async function press(target: Locator) {
  await target.focus();
  await target.page().keyboard.press("Enter");
}

const status = (page: Page, text: string | RegExp) => page.getByRole("status").filter({ hasText: text }).waitFor();

describe.skipIf(!hasChromium)("a centre sets itself up in the admin pages (issue 14)", () => {
  let stack: TestStack;
  let browser: Browser;
  let admin: BrowserContext;
  const api = (path: string) => admin.request.get(path).then((r) => r.json());
  const ids: Record<string, string> = {};
  const shot = screenshots("admin");

  beforeAll(async () => {
    // Monday 2 November 2026, 09:00 in Warsaw; nothing in the table but the administrator.
    stack = await startTestStack({ startAt: new Date("2026-11-02T08:00:00Z"), seed: false, admin: ADMIN });
    browser = await launch();
    admin = await browser.newContext({ ...desktop, baseURL: stack.appUrl });
    await (await signIn(stack, admin, ADMIN)).close();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  it("opens on the programmes page, with nothing yet, and adds the staff with no role", async () => {
    const page = await admin.newPage();
    await open(page, "/");
    await page.waitForURL(/\/admin\/programmes$/);
    expect(await page.locator("main h1").textContent()).toBe("Programy");
    await page.getByText("Centrum nie ma jeszcze programów.").waitFor();
    expect(await page.getByRole("navigation", { name: "Nawigacja główna" }).getByRole("link").allTextContents()).toEqual(expect.arrayContaining(["Programy", "Osoby", "Uczestnicy"]));
    await shot(page, "programmes-empty");

    await press(page.getByRole("navigation").getByRole("link", { name: "Osoby" }));
    await page.getByText("Nie ma jeszcze programu.").waitFor();
    for (const [name, email] of [
      ["Zofia Zatwierdzająca", "zatwierdzajacy@mopr-gdansk.example.pl"],
      ["Dawid Zastępca", "zastepca@mopr-gdansk.example.pl"],
      ["Karol Koordynator", "koordynator@mopr-gdansk.example.pl"],
    ]) {
      await type(page.getByLabel("Imię i nazwisko"), name);
      await page.keyboard.press("Tab");
      await page.keyboard.type(email);
      await page.keyboard.press("Enter"); // submits the form
      await status(page, `Dodano osobę ${name} bez roli.`);
    }
    await shot(page, "people-without-role");
    await page.close();
  });

  it("creates a programme naming them, from a structured form, with the keyboard", async () => {
    const page = await admin.newPage();
    await open(page, "/admin/programmes");
    await press(page.getByRole("link", { name: "Nowy program" }));
    await page.getByRole("heading", { name: "Nowy program", level: 1 }).waitFor();

    await type(page.getByLabel("Identyfikator"), P);
    await type(page.getByLabel("Kod na rachunkach"), "GDA-AOU");
    await type(page.getByLabel("Miasto"), "Gdańsk");
    await type(page.getByLabel("Nazwa po polsku"), "Asystent Osoby Usamodzielnianej (MOPR Gdańsk)");
    await type(page.getByLabel("Nazwa po angielsku"), "Assistant of a person leaving foster care (MOPR Gdańsk)");
    expect(await page.getByLabel("Stawka 1: obowiązuje od").inputValue()).toBe("2026-11-01");
    await type(page.getByLabel("Stawka 1: zł za godzinę"), "90,00");
    await type(page.getByLabel("Dodaj osobę: Zatwierdzający"), "Zofia");
    await page.keyboard.press("Enter");
    await page.getByText("Nie znaleziono osoby „Zofia”").waitFor(); // a first name alone is not a person
    await type(page.getByLabel("Dodaj osobę: Zatwierdzający"), "zatwierdzajacy@mopr-gdansk.example.pl");
    await page.keyboard.press("Enter"); // adds to the list, does not submit
    await page.getByRole("button", { name: "Usuń Zofia Zatwierdzająca <zatwierdzajacy@mopr-gdansk.example.pl> z listy: Zatwierdzający" }).waitFor();
    await type(page.getByLabel("Zastępca zatwierdzającego (opcjonalnie)"), "Dawid Zastępca <zastepca@mopr-gdansk.example.pl>");
    await type(page.getByLabel("Dodaj osobę: Koordynatorzy"), "Karol Koordynator");
    await page.keyboard.press("Enter");
    await type(page.getByLabel("Adresy e-mail księgowości"), "finanse@mopr-gdansk.example.pl");
    expect(await axe(page)).toEqual([]);
    await shot(page, "programme-form");
    await press(page.getByRole("button", { name: "Utwórz program" }));
    await status(page, "Utworzono program „Asystent Osoby Usamodzielnianej (MOPR Gdańsk)”.");
    await page.waitForURL(new RegExp(`/admin/programmes/${P}$`));

    const { programme, rev } = await api(`/api/programmes/${P}`);
    expect(rev).toBe(1);
    const named = await api(`/api/programmes/${P}/people`);
    const idOf = (email: string) => named.people.find((p: any) => p.email === email)?.id;
    ids.approver = idOf("zatwierdzajacy@mopr-gdansk.example.pl");
    ids.deputy = idOf("zastepca@mopr-gdansk.example.pl");
    ids.coordinator = idOf("koordynator@mopr-gdansk.example.pl");
    expect(programme).toMatchObject({
      id: P,
      code: "GDA-AOU",
      city: "Gdańsk",
      rates: [{ from: "2026-11-01", rateGrosze: 9000 }],
      maxBeneficiariesPerAssistant: 6,
      deadlineWorkingDay: 3,
      paymentCutoffWorkingDay: 10,
      approverIds: [ids.approver],
      deputyApproverId: ids.deputy,
      coordinatorIds: [ids.coordinator],
      financeEmails: ["finanse@mopr-gdansk.example.pl"],
      serviceModes: [
        { id: "in_person", justificationRequired: false },
        { id: "remote", justificationRequired: true },
      ],
    });
    expect(programme.scopeCategories.length).toBeGreaterThanOrEqual(6);
    expect(ids.approver && ids.deputy && ids.coordinator).toBeTruthy();
    await page.close();
  });

  it("changes a setting with If-Match, keeps the version, and explains a conflict with someone else's change", async () => {
    const page = await admin.newPage();
    await open(page, `/admin/programmes/${P}`);
    await type(page.getByLabel("Najwyżej uczestników na asystenta"), "5");
    await press(page.getByRole("button", { name: "Dodaj nową stawkę" }));
    await page.getByLabel("Stawka 2: obowiązuje od").fill("2027-01-01");
    await type(page.getByLabel("Stawka 2: zł za godzinę"), "95,50");
    await press(page.getByRole("button", { name: "Zapisz zmiany" }));
    await status(page, "Zapisano zmiany programu.");
    const versions = page.getByRole("table", { name: "Historia zmian" });
    await versions.locator("tbody tr").first().waitFor();
    const row = await versions.locator("tbody tr").first().textContent();
    expect(row).toContain("Najwyżej uczestników na asystenta: 6 → 5");
    expect(row).toContain("95,50 zł");
    expect(row).toContain("Administrator"); // who
    const after = await api(`/api/programmes/${P}`);
    expect(after.rev).toBe(2);
    expect(after.programme.maxBeneficiariesPerAssistant).toBe(5);
    expect(after.programme.rates).toEqual([{ from: "2026-11-01", rateGrosze: 9000 }, { from: "2027-01-01", rateGrosze: 9550 }]);
    const history = await api(`/api/programmes/${P}/versions`);
    expect(history.versions.map((v: any) => [v.rev, v.before.maxBeneficiariesPerAssistant, v.after.maxBeneficiariesPerAssistant])).toEqual([[2, 6, 5]]);

    // someone else saves in between: this page's save is refused, what was typed stays until the reload
    await type(page.getByLabel("Miasto"), "Gdańsk-Wrzeszcz");
    const other = await admin.request.put(`/api/programmes/${P}`, { data: { ...after.programme, deadlineWorkingDay: 4 }, headers: { "if-match": `"${after.rev}"` } });
    expect(other.status()).toBe(200);
    await press(page.getByRole("button", { name: "Zapisz zmiany" }));
    await page.getByRole("alert").filter({ hasText: "Ktoś inny zmienił ten program" }).waitFor();
    expect(await page.getByLabel("Miasto").inputValue()).toBe("Gdańsk-Wrzeszcz");
    expect((await api(`/api/programmes/${P}`)).programme.city).toBe("Gdańsk");
    expect(await axe(page)).toEqual([]);
    await shot(page, "programme-conflict");
    await press(page.getByRole("button", { name: "Wczytaj aktualne ustawienia" }));
    await expect.poll(() => page.getByLabel("Termin sprawozdań: dzień roboczy następnego miesiąca").inputValue()).toBe("4");
    expect(await page.getByLabel("Miasto").inputValue()).toBe("Gdańsk");

    // the payer of the transfer file (issue 17): a mistyped account is refused in place, naming the field
    await page.getByLabel("Nazwa i adres płatnika (do 4 wierszy po 35 znaków)").fill("MOPR w Gdańsku\nul. Leczkowa 1A\n80-432 Gdańsk");
    await type(page.getByLabel("Rachunek ośrodka (IBAN lub 26 cyfr)"), "10 1050 0099 7603 1234 5678 9124");
    await press(page.getByRole("button", { name: "Zapisz zmiany" }));
    await page.getByRole("alert").filter({ hasText: "payerAccount" }).waitFor();
    expect((await api(`/api/programmes/${P}`)).programme.payments).toBeUndefined();
    await type(page.getByLabel("Rachunek ośrodka (IBAN lub 26 cyfr)"), "10 1050 0099 7603 1234 5678 9123");
    await press(page.getByRole("button", { name: "Zapisz zmiany" }));
    await status(page, "Zapisano zmiany programu.");
    expect((await api(`/api/programmes/${P}`)).programme.payments).toEqual({
      payerName: ["MOPR w Gdańsku", "ul. Leczkowa 1A", "80-432 Gdańsk"],
      payerAccount: "PL10105000997603123456789123",
      transferAmount: "net",
      accidentBp: 167,
    });
    await page.close();
  });

  it("refuses in place to take away a role the programme still needs, and takes away one it does not", async () => {
    const page = await admin.newPage();
    await open(page, `/admin/people/${ids.coordinator}?programme=${P}`);
    // the programme names Karol as its coordinator: refused, saying what to do first
    await press(page.getByRole("button", { name: /^Odbierz rolę koordynator w programie/ }));
    await page.getByRole("alert").filter({ hasText: "Najpierw wskaż w ustawieniach programu kogoś innego" }).waitFor();
    expect((await api(`/api/programmes/${P}/people`)).people.find((p: any) => p.id === ids.coordinator).roles).toEqual([{ programmeId: P, role: "coordinator" }]);
    // a role nobody relies on: given, then taken away again
    await page.getByLabel(/^Nowa rola w programie/).selectOption("finance");
    await press(page.getByRole("button", { name: "Nadaj rolę" }));
    await page.getByRole("button", { name: /^Odbierz rolę księgowość/ }).waitFor();
    await press(page.getByRole("button", { name: /^Odbierz rolę księgowość/ }));
    await status(page, /Odebrano rolę księgowość/);
    expect((await api(`/api/programmes/${P}/people`)).people.find((p: any) => p.id === ids.coordinator).roles).toEqual([{ programmeId: P, role: "coordinator" }]);
    expect(await axe(page)).toEqual([]);
    await page.close();
  });

  it("adds an assistant, offers a role to whoever already has an e-mail, edits and deactivates a person", async () => {
    const page = await admin.newPage();
    await open(page, `/admin/people?programme=${P}`);
    const table = page.getByRole("table", { name: /Osoby programu/ });
    const rows = () => table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 4).map((td) => td.textContent)));
    expect(await rows()).toEqual([
      ["Dawid Zastępca", "zastepca@mopr-gdansk.example.pl", "zatwierdzający", "Aktywna"],
      ["Karol Koordynator", "koordynator@mopr-gdansk.example.pl", "koordynator", "Aktywna"],
      ["Zofia Zatwierdzająca", "zatwierdzajacy@mopr-gdansk.example.pl", "zatwierdzający", "Aktywna"],
    ]);

    await type(page.getByLabel("Imię i nazwisko"), "Ewa Mazur");
    await type(page.getByLabel("E-mail"), "ewa.mazur@asystent.example.pl");
    await page.getByLabel("Rola w programie").selectOption("assistant");
    await page.getByLabel("E-mail").press("Enter");
    await status(page, "Dodano osobę Ewa Mazur z rolą: asystent.");

    // an address someone already has: refused naming them, and the role offered instead
    await type(page.getByLabel("Imię i nazwisko"), "Zofia Z.");
    await type(page.getByLabel("E-mail"), "zatwierdzajacy@mopr-gdansk.example.pl");
    await page.getByLabel("Rola w programie").selectOption("coordinator");
    await page.getByLabel("E-mail").press("Enter");
    await page.getByRole("alert").filter({ hasText: "ma już osoba „Zofia Zatwierdzająca”" }).waitFor();
    expect(await page.getByLabel("E-mail").inputValue()).toBe("zatwierdzajacy@mopr-gdansk.example.pl"); // kept as typed
    expect(await axe(page)).toEqual([]);
    await shot(page, "people-email-taken");
    await press(page.getByRole("button", { name: "Nadaj tej osobie rolę: koordynator" }));
    await status(page, "Nadano osobie Zofia Zatwierdzająca rolę: koordynator.");
    await expect.poll(rows).toContainEqual(["Zofia Zatwierdzająca", "zatwierdzajacy@mopr-gdansk.example.pl", "koordynator, zatwierdzający", "Aktywna"]);

    await press(page.getByRole("link", { name: "Szczegóły: Ewa Mazur" }));
    await page.getByRole("heading", { name: "Osoba: Ewa Mazur" }).waitFor();
    await type(page.getByLabel("Imię i nazwisko"), "Ewa Mazur-Nowak");
    await page.getByLabel("Imię i nazwisko").press("Enter");
    await status(page, "Zapisano zmiany osoby.");
    await page.getByRole("heading", { name: "Osoba: Ewa Mazur-Nowak" }).waitFor();
    await press(page.getByRole("button", { name: "Dezaktywuj osobę" }));
    await page.getByText("Na pewno dezaktywować osobę Ewa Mazur-Nowak?").waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Tak, dezaktywuj"); // focus on the confirmation
    await page.keyboard.press("Enter");
    await status(page, "Dezaktywowano osobę Ewa Mazur-Nowak.");
    await page.getByRole("button", { name: "Aktywuj osobę ponownie" }).waitFor();
    expect(await axe(page)).toEqual([]);
    await shot(page, "person-deactivated");

    const people = (await api(`/api/programmes/${P}/people`)).people;
    const ewa = people.find((p: any) => p.email === "ewa.mazur@asystent.example.pl");
    ids.assistant = ewa.id;
    expect(ewa).toMatchObject({ name: "Ewa Mazur-Nowak", active: false, roles: [{ programmeId: P, role: "assistant" }] });
    expect(people.find((p: any) => p.id === ids.approver).roles).toEqual(expect.arrayContaining([{ programmeId: P, role: "approver" }, { programmeId: P, role: "coordinator" }]));
    await page.close();
  });

  it("imports twelve beneficiaries from a CSV file, deactivates one, and refuses a bad file writing nothing", async () => {
    const page = await admin.newPage();
    await open(page, `/admin/beneficiaries?programme=${P}`);
    await page.getByText("Program nie ma jeszcze uczestników.").waitFor();
    const header = "kod uczestnika;inicjały";
    const choose = (name: string, lines: string[]) => page.getByLabel("Plik uczestników (CSV lub XLSX)").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from([header, ...lines].join("\n")) });
    const codes = Array.from({ length: 12 }, (_, i) => `GDA-${String(i + 1).padStart(3, "0")}`);
    await choose("uczestnicy.csv", codes.map((c, i) => `${c};${"ABCDEFGHIJKL"[i]}.K.`));
    await press(page.getByRole("button", { name: "Importuj uczestników" }));
    await status(page, "Zaimportowano uczestników: 12.");
    const table = page.getByRole("table", { name: /Uczestnicy programu/ });
    await expect.poll(() => table.locator("tbody tr").count()).toBe(12);

    await press(page.getByRole("button", { name: "Dezaktywuj uczestnika GDA-005" }));
    await status(page, "Dezaktywowano uczestnika GDA-005");
    await page.getByRole("button", { name: "Aktywuj ponownie uczestnika GDA-005" }).waitFor();
    await page.getByRole("table", { name: "Uczestnicy programu: aktywni 11 z 12" }).waitFor();

    await choose("bledni.csv", ["GDA-013;M.N.", "GDA-001;A.K.", "GDA-014;Jan Kowalski", "zły kod;P.R."]);
    await press(page.getByRole("button", { name: "Importuj uczestników" }));
    const refused = page.getByRole("alert");
    await refused.locator("li").nth(2).waitFor();
    const messages = await refused.locator("li").allTextContents();
    expect(messages.length).toBe(3);
    expect(messages).toEqual([expect.stringMatching(/^wiersz 3: .*GDA-001/), expect.stringMatching(/^wiersz 4: /), expect.stringMatching(/^wiersz 5: /)]);
    expect(await axe(page)).toEqual([]);
    await shot(page, "beneficiaries-import-refused");

    const held = (await api(`/api/programmes/${P}/beneficiaries`)).beneficiaries;
    expect(held.map((b: any) => b.code).sort()).toEqual(codes); // nothing of the refused file, GDA-013 included
    expect(held.filter((b: any) => b.active === false).map((b: any) => b.code)).toEqual(["GDA-005"]);
    expect(held.find((b: any) => b.code === "GDA-003")).toMatchObject({ initials: "C.K." });
    await page.close();
  });

  it("shows an assistant whose e-mail bounced, with the date and what to do (issue 18)", async () => {
    const page = await admin.newPage();
    await open(page, `/admin/people?programme=${P}`);
    await type(page.getByLabel("Imię i nazwisko"), "Olga Odbita");
    await type(page.getByLabel("E-mail"), "bounce+olga@simulator.amazonses.com");
    await page.getByLabel("Rola w programie").selectOption("assistant");
    await page.getByLabel("E-mail").press("Enter");
    await status(page, "Dodano osobę Olga Odbita z rolą: asystent.");
    // a sign-in link to SES's mailbox simulator: it bounces, and the local SES publishes the bounce
    const asked = await stack.request("/api/auth/link", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "bounce+olga@simulator.amazonses.com" }) });
    expect(asked.status).toBe(202);
    await expect.poll(async () => (await api(`/api/programmes/${P}/people`)).people.find((p: any) => p.name === "Olga Odbita")?.mailStatus?.state, { timeout: 15_000 }).toBe("bounced");

    await open(page, `/admin/people?programme=${P}`);
    const row = page.getByRole("table", { name: /Osoby programu/ }).getByRole("row").filter({ hasText: "Olga Odbita" });
    expect(await row.getByRole("cell").nth(1).textContent()).toMatch(/^bounce\+olga@simulator\.amazonses\.comE-mail odrzucony \(odbicie\) Od 02\.11\.2026 \d\d:\d\d\. Popraw adres e-mail tej osoby/);
    await press(row.getByRole("link", { name: "Szczegóły: Olga Odbita" }));
    await page.getByRole("heading", { name: "Osoba: Olga Odbita" }).waitFor();
    await page.getByText("E-mail odrzucony (odbicie)").waitFor();
    ids.bounced = new URL(page.url()).pathname.split("/").pop()!;
    await page.close();
  });

  it("switches to English on the page, and every admin page has no axe violations in Polish and in English", async () => {
    const page = await admin.newPage();
    await open(page, `/admin/beneficiaries?programme=${P}`, "pl");
    await press(page.getByRole("button", { name: "Switch to English / Przełącz na angielski" }));
    await page.getByRole("heading", { name: "Beneficiaries", level: 1 }).waitFor();
    await page.getByRole("table", { name: "The programme's beneficiaries: 11 of 12 active" }).waitFor();
    await page.close();

    const found: string[] = [];
    for (const lang of ["pl", "en"] as const) {
      const shot = screenshots(`admin-${lang}`);
      for (const [path, name] of [
        ["/admin/programmes", "programmes"],
        ["/admin/programmes/new", "programme-new"],
        [`/admin/programmes/${P}`, "programme-edit"],
        [`/admin/people?programme=${P}`, "people"],
        [`/admin/people/${ids.assistant}?programme=${P}`, "person"],
        // the marks of a bounced address (issue 18)
        [`/admin/people/${ids.bounced}?programme=${P}`, "person-bounced"],
        [`/admin/beneficiaries?programme=${P}`, "beneficiaries"],
      ]) {
        const p = await admin.newPage();
        await open(p, path, lang);
        expect(await p.evaluate(() => document.documentElement.lang)).toBe(lang);
        for (const v of await axe(p)) found.push(`${lang} ${name}: ${v}`);
        await shot(p, name);
        await p.close();
      }
    }
    expect(found).toEqual([]);
  });
});
