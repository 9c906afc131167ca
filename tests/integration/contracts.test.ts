import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { apiClient } from "./api-helpers.js";

/** Issue 14: assistants' contracts through the API, and no order, visit or report outside their days (demo data: Kraków's contracts end 2027-12-31). */
const startAt = new Date(warsawInstant("2026-11-20", "10:00"));
let stack: TestStack;
let api: ReturnType<typeof apiClient>;
const cookies: Record<string, string> = {};

const declarations = { studentUnder26: false, otherEmploymentAtMinimumWage: false, pit2: true, voluntarySickness: false, ppk: false };
const contractOf = async (personId: string, number: string) =>
  (await api.call(cookies.admin, "GET", `/api/people/${personId}/contracts`)).json.contracts.find((c: { number: string }) => c.number === number);
/** The stored contract with some fields changed, sent with the current revision. */
async function change(personId: string, number: string, over: Record<string, unknown>) {
  const listed = await api.call(cookies.admin, "GET", `/api/people/${personId}/contracts`);
  const { changedBy: _by, changedAt: _at, ...contract } = listed.json.contracts.find((c: { number: string }) => c.number === number);
  return api.call(cookies.admin, "PUT", `/api/people/${personId}/contracts`, { ...contract, ...over }, { "if-match": listed.headers.get("etag")! });
}

beforeAll(async () => {
  stack = await startTestStack({ startAt });
  api = apiClient(stack);
  cookies.admin = await api.signIn("admin@mops-krakow.example.pl");
  cookies.coordinator = await api.signIn("koordynator@mops-krakow.example.pl");
});
afterAll(async () => stack?.dispose());

describe("contracts of assistants", () => {
  it("shows a demo assistant their own contract, ending 2027-12-31, and not someone else's", async () => {
    const anna = (cookies.anna = await api.signIn("anna.nowak@asystent.example.pl"));
    const own = await api.call(anna, "GET", "/api/people/p-anna-nowak/contracts");
    expect(own.status, own.text).toBe(200);
    expect(own.json.contracts).toEqual([
      expect.objectContaining({ number: "AOU/2025/001", programmeId: "krakow-aou", from: "2025-01-01", to: "2027-12-31", bankAccount: expect.stringMatching(/^PL\d{26}$/), declarations }),
    ]);
    expect((await api.call(anna, "GET", "/api/people/p-piotr-kowalski/contracts")).status).toBe(403);
    expect((await api.call(cookies.coordinator, "GET", "/api/people/p-anna-nowak/contracts")).status).toBe(200);
    expect((await api.call(cookies.coordinator, "GET", "/api/people/p-katarzyna-lewandowska/contracts")).status).toBe(403);
  });

  it("refuses a bad account checksum naming the field in Polish and English, and writes nothing", async () => {
    const before = await api.call(cookies.admin, "GET", "/api/people/p-anna-nowak/contracts");
    const bad = { number: "AOU/2028/001", programmeId: "krakow-aou", from: "2028-01-01", to: "2028-12-31", bankAccount: "PL61 1090 1014 0000 0712 1981 2875", declarations };
    for (const lang of ["pl", "en"]) {
      const refused = await api.call(cookies.admin, "PUT", "/api/people/p-anna-nowak/contracts", bad, { "accept-language": lang });
      expect(refused.status).toBe(400);
      expect(refused.json.error.code).toBe("VALIDATION_FAILED");
      expect(refused.json.error.message).toContain("bankAccount");
      expect(refused.json.error.message).toContain(lang === "pl" ? "suma kontrolna" : "checksum");
    }
    const after = await api.call(cookies.admin, "GET", "/api/people/p-anna-nowak/contracts");
    expect(after.json).toEqual(before.json);
    // the Wrocław admin may not write a Kraków contract
    const wroclaw = await api.signIn("admin@mops-wroclaw.example.pl");
    expect((await api.call(wroclaw, "PUT", "/api/people/p-anna-nowak/contracts", { ...bad, bankAccount: "PL61109010140000071219812874" })).status).toBe(403);
  });

  it("refuses an order for a month after the contract ends, accepts one inside it", async () => {
    const order = (month: string) => ({ month, assistantId: "p-anna-nowak", beneficiaryCode: "KR-AOU-001", orderedMinutes: 360 });
    const inside = await api.call(cookies.coordinator, "PUT", "/api/programmes/krakow-aou/orders", order("2027-12"));
    expect(inside.status, inside.text).toBe(200);
    const outside = await api.call(cookies.coordinator, "PUT", "/api/programmes/krakow-aou/orders", order("2028-01"), { "accept-language": "pl" });
    expect(outside.status).toBe(422);
    expect(outside.json.error.code).toBe("NO_CONTRACT_FOR_MONTH");
    expect(outside.json.error.message).toContain("2028-01");
    expect(outside.json.error.message).toContain("AOU/2025/001: 01.01.2025–31.12.2027");
    expect((await api.call(cookies.coordinator, "GET", "/api/programmes/krakow-aou/orders?month=2028-01")).json.orders).toEqual([]);
    // the orders file too: the whole file is refused, the row named
    const file = "e-mail asystenta;kod uczestnika;godziny\nanna.nowak@asystent.example.pl;KR-AOU-001;6\n";
    const imported = await stack.request("/api/programmes/krakow-aou/orders/import?month=2028-01", { method: "POST", headers: { cookie: cookies.coordinator, "content-type": "text/csv" }, body: file });
    expect(imported.status).toBe(400);
    expect((await imported.json()).error.message).toMatch(/wiersz 2: asystent anna\.nowak@asystent\.example\.pl nie ma w programie krakow-aou umowy/);
  });

  it("refuses a visit on a day after a shortened contract, accepts one inside; the change is kept with who and when", async () => {
    const piotr = (cookies.piotr = await api.signIn("piotr.kowalski@asystent.example.pl"));
    const shortened = await change("p-piotr-kowalski", "AOU/2025/002", { to: "2026-11-15" });
    expect(shortened.status, shortened.text).toBe(200);
    const stale = await api.call(cookies.admin, "PUT", "/api/people/p-piotr-kowalski/contracts", { ...(await contractOf("p-piotr-kowalski", "AOU/2025/002")), changedBy: undefined, changedAt: undefined, to: "2026-11-16" }, { "if-match": '"1"' });
    expect(stale.status).toBe(409);

    const created = await api.call(piotr, "POST", "/api/reports", { programmeId: "krakow-aou", month: "2026-11", beneficiaryCode: "KR-AOU-007" });
    expect(created.status, created.text).toBe(201);
    const reportId = created.json.report.id;
    const inside = await api.call(piotr, "POST", `/api/reports/${reportId}/visits`, api.visit("2026-11-10", "15:00", "17:00"));
    expect(inside.status, inside.text).toBe(201);
    for (const lang of ["pl", "en"]) {
      const outside = await api.call(piotr, "POST", `/api/reports/${reportId}/visits`, api.visit("2026-11-16", "15:00", "17:00"), { "accept-language": lang });
      expect(outside.status).toBe(422);
      expect(outside.json.error.code).toBe("VISIT_OUTSIDE_CONTRACT");
      expect(outside.json.error.message).toContain("16.11.2026");
      expect(outside.json.error.message).toContain("AOU/2025/002: 01.01.2025–15.11.2026");
    }
    const moved = await api.call(piotr, "PUT", `/api/reports/${reportId}/visits/${inside.json.report.visits[0].id}`, api.visit("2026-11-17", "15:00", "17:00"));
    expect(moved.status).toBe(422);
    expect(moved.json.error.code).toBe("VISIT_OUTSIDE_CONTRACT");
    expect((await api.call(piotr, "GET", `/api/reports/${reportId}`)).json.report.visits.map((v: { date: string }) => v.date)).toEqual(["2026-11-10"]);

    const versions = await api.call(cookies.admin, "GET", "/api/people/p-piotr-kowalski/contracts/versions");
    expect(versions.status).toBe(200);
    expect(versions.json.versions.at(-1)).toMatchObject({ number: "AOU/2025/002", changedBy: "p-krakow-admin", before: { to: "2027-12-31" }, after: { to: "2026-11-15" } });
  });

  it("refuses to submit a report whose visit the contract no longer covers", async () => {
    const piotr = cookies.piotr!;
    const id = await api.draftSigned(piotr, "krakow-aou", "2026-11", "KR-AOU-008", [api.visit("2026-11-12", "15:00", "17:00")], stack.clock.now().toISOString());
    expect((await change("p-piotr-kowalski", "AOU/2025/002", { to: "2026-11-11" })).status).toBe(200);
    const refused = await api.call(piotr, "POST", `/api/reports/${id}/submit`);
    expect(refused.status).toBe(422);
    expect(refused.json.error.code).toBe("VISIT_OUTSIDE_CONTRACT");
    expect((await api.call(piotr, "GET", `/api/reports/${id}`)).json.report.status).toBe("draft");
  });

  it("refuses a draft for a month the contract does not reach", async () => {
    const maria = await api.signIn("maria.wisniewska@asystent.example.pl");
    expect((await change("p-maria-wisniewska", "AOU/2025/003", { to: "2026-10-31" })).status).toBe(200);
    const refused = await api.call(maria, "POST", "/api/reports", { programmeId: "krakow-aou", month: "2026-11", beneficiaryCode: "KR-AOU-013" });
    expect(refused.status).toBe(422);
    expect(refused.json.error.code).toBe("NO_CONTRACT_FOR_MONTH");
  });

  it("shows the coordinator the contracts ending within a month and the ended ones", async () => {
    expect((await change("p-tomasz-wojcik", "AOU/2025/004", { to: "2026-12-15" })).status).toBe(200);
    const board = await api.call(cookies.coordinator, "GET", "/api/programmes/krakow-aou/contracts/ending");
    expect(board.status, board.text).toBe(200);
    expect(board.json).toMatchObject({ programmeId: "krakow-aou", today: "2026-11-20", until: "2026-12-21" });
    expect(board.json.contracts.map((c: { personId: string; state: string; to: string }) => [c.personId, c.state, c.to])).toEqual([
      ["p-maria-wisniewska", "ended", "2026-10-31"],
      ["p-piotr-kowalski", "ended", "2026-11-11"],
      ["p-tomasz-wojcik", "ending", "2026-12-15"],
    ]);
    expect(board.json.contracts[0].name).toBe("Maria Wiśniewska");
    expect((await api.call(cookies.anna!, "GET", "/api/programmes/krakow-aou/contracts/ending")).status).toBe(403);
  });
});
