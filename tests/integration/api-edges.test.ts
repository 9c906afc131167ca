import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { apiClient, approvalLinkPattern } from "./api-helpers.js";

/**
 * Issue 18: the API's edges as clients the project did not write see them — cross-site decision
 * posts, repeated query parameters, methods a path does not have, a BOM before JSON.
 */
const startAt = new Date(warsawInstant("2026-11-20", "10:00"));
const approver = "zatwierdzajacy@mops-krakow.example.pl";
const urlencoded = { "content-type": "application/x-www-form-urlencoded" };

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
let anna: string;

beforeAll(async () => {
  stack = await startTestStack({ startAt });
  api = apiClient(stack);
  anna = await api.signIn("anna.nowak@asystent.example.pl");
});
afterAll(async () => stack?.dispose());

/** Submits Anna's report for the beneficiary and returns its approval link (path and query). */
async function submittedLink(beneficiaryCode: string) {
  const day = `2026-11-${beneficiaryCode.slice(-2)}`; // one day per beneficiary: Anna's visits never overlap
  const reportId = await api.draftSigned(anna, "krakow-aou", "2026-11", beneficiaryCode, [api.visit(day, "16:00", "17:00")], startAt.toISOString());
  expect((await api.call(anna, "POST", `/api/reports/${reportId}/submit`)).status).toBe(200);
  const [mail] = await api.waitForMail(approver, new RegExp(`sprawozdanie ${beneficiaryCode} `));
  return { reportId, link: api.path(api.linkIn(mail, approvalLinkPattern)) };
}
const statusOf = async (reportId: string) => (await api.call(anna, "GET", `/api/reports/${reportId}`)).json.report.status;
const decide = (link: string, headers: Record<string, string> = {}, body = "outcome=approve") =>
  stack.request(link, { method: "POST", headers: { ...urlencoded, ...headers }, body });

describe("the decision POST from another site", () => {
  it("refuses a post whose Origin, Referer or Sec-Fetch-Site is not the app's with a bilingual page, deciding nothing; the app's own and header-less posts decide", async () => {
    const { reportId, link } = await submittedLink("KR-AOU-001");
    const refusals: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "https://evil.example", referer: `${stack.appUrl}${link}` },
      { referer: "https://evil.example/page" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site", origin: "null" },
    ];
    for (const headers of refusals) {
      const res = await decide(link, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await res.text()).toMatch(/wysłano z innej strony/);
    }
    const english = await decide(`${link}&lang=en`, { origin: "https://evil.example" });
    expect(english.status).toBe(403);
    expect(await english.text()).toMatch(/sent from another site \(https:\/\/evil\.example\)/);
    expect(await statusOf(reportId)).toBe("submitted");

    const own = await decide(link, { origin: stack.appUrl, referer: `${stack.appUrl}${link}`, "sec-fetch-site": "same-origin" });
    expect(own.status, await own.clone().text()).toBe(200);
    expect(await statusOf(reportId)).toBe("approved");

    // Some mail clients and older browsers send neither header: decided as before (the signature is the authority).
    const bare = await submittedLink("KR-AOU-002");
    expect((await decide(bare.link)).status).toBe(200);
    expect(await statusOf(bare.reportId)).toBe("approved");
  });

  it("refuses a text/plain body (what a cross-site form can send without a preflight) with 415, deciding nothing", async () => {
    const { reportId, link } = await submittedLink("KR-AOU-003");
    for (const type of ["text/plain", "text/plain;charset=UTF-8", "multipart/form-data; boundary=x"]) {
      const res = await decide(link, { "content-type": type });
      expect(res.status, type).toBe(415);
      expect(await res.text()).toMatch(/application\/x-www-form-urlencoded/);
    }
    expect(await statusOf(reportId)).toBe("submitted");
  });
});

describe("repeated query parameters", () => {
  it("refuses a repeated sig= on an approval link (GET and POST) with 400 naming the parameter, deciding nothing", async () => {
    const { reportId, link } = await submittedLink("KR-AOU-004");
    const sig = new URL(link, "http://x").searchParams.get("sig")!;
    const doubled = `${link}&sig=${encodeURIComponent(sig)}`;
    const withJunk = `${link.replace(/sig=[^&]+/, "sig=junk")}&sig=${encodeURIComponent(sig)}`;
    for (const url of [doubled, withJunk]) {
      const shown = await stack.request(url);
      expect(shown.status, url).toBe(400);
      expect(await shown.text()).toMatch(/„sig”/);
      const posted = await decide(url);
      expect(posted.status, url).toBe(400);
    }
    expect(await statusOf(reportId)).toBe("submitted");
    expect((await decide(link)).status).toBe(200);
  });

  it("refuses a repeated month= with 400 REPEATED_PARAMETER instead of reading one of them", async () => {
    const res = await api.call(anna, "GET", "/api/reports?month=2026-11&month=2026-10");
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe("REPEATED_PARAMETER");
    expect(res.json.error.message).toMatch(/month/);
  });
});

describe("methods a path does not have", () => {
  it.each([
    ["DELETE", "/api/health", "GET"],
    ["POST", "/api/me", "GET"],
    ["PUT", "/api/reports", "GET, POST"],
    ["DELETE", "/api/reports/r123", "GET, PATCH"],
    ["GET", "/api/reports/r123/visits/v1", "DELETE, PUT"],
    ["PATCH", "/api/auth/callback", "GET, HEAD, POST"],
  ])("answers %s %s with 405 and Allow: %s (bilingual JSON)", async (method, path, allow) => {
    const res = await api.call(anna, method, path);
    expect(res.status, res.text).toBe(405);
    expect(res.headers.get("allow")).toBe(allow);
    expect(res.json.error.code).toBe("METHOD_NOT_ALLOWED");
    expect(res.json.error.message).toMatch(/metod/i);
  });

  it("answers an unknown API path with 404 and the usual bilingual error", async () => {
    const res = await api.call(anna, "GET", "/api/no-such-thing?lang=en");
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe("NOT_FOUND");
    expect(res.json.error.message).toMatch(/No route|address/i);
    expect(res.headers.get("allow")).toBeNull();
  });

  it("answers a wrong method on an approval link with 405 and an HTML page", async () => {
    const res = await stack.request("/approve/a0123456789abcdef01234567?sig=x", { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST");
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await res.text()).toMatch(/GET, HEAD, POST/);
  });

  it("still routes the specific routes, not the catch-all", async () => {
    expect((await api.call(undefined, "GET", "/api/health")).status).toBe(200);
    expect((await api.call(anna, "GET", "/api/reports")).status).toBe(200);
  });
});

describe("a UTF-8 BOM before a JSON body", () => {
  it("is accepted", async () => {
    const res = await stack.request("/api/auth/link", { method: "POST", headers: { "content-type": "application/json" }, body: "\uFEFF" + JSON.stringify({ email: "nikt@example.pl" }) });
    expect(res.status, await res.clone().text()).toBe(202);
  });
});
