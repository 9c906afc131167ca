import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { desktop, hasChromium, launch, screenshots, signIn } from "./support/browser.js";

// The batch download route belongs to the API (issues 4/5); until it is in the route table the
// download step is skipped with this message, and the batch listing still runs.
const routes = readFileSync(resolve(import.meta.dirname, "../../functions/api/lib/routes.ts"), "utf8");
const downloadRoute = /"GET \/api\/(programmes\/\{programmeId\}\/)?batches\/[^"]*"/.exec(routes)?.[0];
if (!downloadRoute) console.warn("e2e: batch download route not in functions/api/lib/routes.ts yet — the download step is skipped");

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
async function axe(page: Page): Promise<string[]> {
  // evaluated, not an inline <script>: the app's CSP (script-src 'self') refuses inline scripts
  await page.evaluate(readFileSync(axePath, "utf8"));
  return page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.map((v: any) => `${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n: any) => n.target.join(" ")).join(", ")}`);
  });
}

const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

describe.skipIf(!hasChromium)("finance after the deadline: the month's batch", () => {
  let stack: TestStack;
  let browser: Browser;
  let finance: BrowserContext;

  beforeAll(async () => {
    stack = await startTestStack({ startAt: new Date("2026-11-25T09:00:00Z") });
    browser = await launch();
    // One approved report: submitted by the assistant, approved in the web app's API.
    const assistant = await browser.newContext({ baseURL: stack.appUrl });
    await (await signIn(stack, assistant, "maria.wisniewska@asystent.example.pl")).close();
    const api = assistant.request;
    const { report } = await (await api.post("/api/reports", { data: { programmeId: "krakow-aou", month: "2026-11", beneficiaryCode: "KR-AOU-013" } })).json();
    await api.post(`/api/reports/${report.id}/visits`, { data: { id: "v1", date: "2026-11-24", start: "2026-11-24T14:00:00.000Z", end: "2026-11-24T17:00:00.000Z", scopeIds: ["t05-job-activation"], mode: "in_person" } });
    let body = await (await api.get(`/api/reports/${report.id}`)).json();
    for (const role of ["beneficiary", "assistant"]) {
      const signed = await api.put(`/api/reports/${report.id}/signatures/${role}`, { data: { signer: role === "assistant" ? "Maria Wiśniewska" : "KR-AOU-013", signedAt: "2026-11-25T09:00:00.000Z", evidence: "drawn", imageDataUrl: PNG, contentHash: body.contentHash } });
      expect(signed.status()).toBe(200);
    }
    expect((await api.post(`/api/reports/${report.id}/submit`, { data: {} })).status()).toBe(200);
    const approver = await browser.newContext({ baseURL: stack.appUrl });
    await (await signIn(stack, approver, "zatwierdzajacy@mops-krakow.example.pl")).close();
    const pending = await stack.waitFor(async () => {
      const answer = await (await approver.request.get("/api/approvals")).json();
      return answer.pending?.find((p: any) => p.report.id === report.id);
    }, "the report in the approver's queue");
    expect((await approver.request.post(`/api/approvals/${pending.approvalId}/decision`, { data: { outcome: "approve" } })).status()).toBe(200);
    await approver.close();
    await assistant.close();
    finance = await browser.newContext({ ...desktop, baseURL: stack.appUrl, acceptDownloads: true });
    await (await signIn(stack, finance, "ksiegowosc@mops-krakow.example.pl")).close();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.dispose();
  });

  it("lists the batch with its control totals once the clock passes the deadline", async () => {
    const shot = screenshots("finance");
    const page = await finance.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto("/batches?programme=krakow-aou&month=2026-11");
    await page.getByText("Nie ma jeszcze paczek płatności.").waitFor();
    await shot(page, "before-deadline");
    // Past the deadline (Thu 3 Dec 2026) to the next morning's decision check.
    const moved = await stack.request("/local/clock", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ set: "2026-12-04T07:30:00.000Z" }) });
    expect(moved.status).toBe(200);
    // Sessions last 12 hours of (virtual) time: finance signs in again after the jump.
    await finance.close();
    finance = await browser.newContext({ ...desktop, baseURL: stack.appUrl, acceptDownloads: true });
    await (await signIn(stack, finance, "ksiegowosc@mops-krakow.example.pl")).close();
    let last: unknown;
    await stack.waitFor(async () => {
      last = await (await finance.request.get("/api/programmes/krakow-aou/cycles/2026-11")).json();
      return (last as any).batches?.some((b: any) => b.status === "sent");
    }, "the batch to be sent", 90_000).catch((error) => {
      throw new Error(`${error.message}; last cycle status: ${JSON.stringify(last)}`);
    });
    const after = await finance.newPage();
    after.setDefaultTimeout(10_000);
    await after.goto("/batches?programme=krakow-aou&month=2026-11");
    const row = after.locator("tbody tr").first();
    await row.waitFor();
    expect(await row.textContent()).toContain("3 godz.");
    expect(await row.textContent()).toContain("288,00 zł");
    await shot(after, "batch-listed");
  }, 120_000);

  it.skipIf(!downloadRoute)("downloads the batch's CSV from the stored file (the link's 303 to a presigned URL), with its recorded SHA-256", async () => {
    const page = await finance.newPage();
    await page.goto("/batches?programme=krakow-aou&month=2026-11");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Pobierz CSV/ }).click()]);
    const bytes = readFileSync((await download.path())!);
    const { batches } = await (await finance.request.get("/api/programmes/krakow-aou/batches?month=2026-11")).json();
    const recorded = batches[0].files.find((f: { name: string }) => f.name.endsWith(".csv"));
    expect(download.suggestedFilename()).toBe(recorded.name);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(recorded.sha256);
    const csv = bytes.toString("utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain("Maria Wiśniewska");
  });

  it("opens the batch's payroll and transfers page: the net estimate, the day of payment, the Elixir-O file; axe clean in Polish and English", async () => {
    const page = await finance.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto("/batches?programme=krakow-aou&month=2026-11");
    await page.getByRole("link", { name: /Płace i przelewy \(szacunek\) paczki/ }).click();
    await page.getByRole("heading", { name: "Płace i przelewy — szacunek" }).waitFor();
    const row = page.getByRole("row", { name: /Maria Wiśniewska/ });
    await row.waitFor();
    // 3 h × 96 zł = 288,00 zł gross; PIT-2 on the demo contract: net = gross − 13,71 % social − health
    expect(await row.textContent()).toContain("288,00");
    expect(await row.textContent()).toContain("232,57");
    expect(await axe(page)).toEqual([]);
    // the day of payment is the keyboard's too: a new day reloads the estimate
    await page.getByLabel("Dzień wypłaty (stawki i wiek na ten dzień)").fill("2026-12-15");
    await page.getByRole("caption").filter({ hasText: "2026-12-15" }).waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Elixir-O/ }).click()]);
    expect(download.suggestedFilename()).toBe("przelewy-krakow-aou-2026-11-p01.pli");
    const record = new TextDecoder("windows-1250").decode(readFileSync((await download.path())!)).split("\r\n")[0].split(",");
    expect(record.slice(0, 3)).toEqual(["110", "20261215", "23257"]);
    await page.goto(`${new URL(page.url()).pathname}?lang=en`);
    await page.getByRole("heading", { name: "Payroll and transfers — estimate" }).waitFor();
    await page.getByRole("row", { name: /Maria Wiśniewska/ }).waitFor();
    expect(await axe(page)).toEqual([]);
  });
});
