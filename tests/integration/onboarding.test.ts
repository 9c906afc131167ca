import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { apiClient, approvalLinkPattern } from "./api-helpers.js";

/**
 * Issue 14: a centre onboards itself from an empty table through the API — no seed data. The
 * centre administrator (the only person `karta start --empty` creates) adds an approver, a
 * coordinator and a finance clerk, creates a programme naming them, adds two assistants with
 * contracts, imports twelve beneficiaries, the coordinator orders by assistant e-mail, and the
 * month runs to the finance e-mail.
 */
const ADMIN = "administrator@centrum.example.pl";
const P = "gdansk-aou";
const MONTH = "2026-11";

const programme = {
  id: P,
  code: "GDA-AOU",
  name: { pl: "Asystent Osoby Usamodzielnianej (MOPR Gdańsk)", en: "Assistant of a person leaving foster care (MOPR Gdańsk)" },
  city: "Gdańsk",
  rates: [{ from: "2026-01-01", rateGrosze: 9000 }],
  maxBeneficiariesPerAssistant: 6,
  scopeCategories: [
    { id: "social", label: { pl: "Integracja społeczna", en: "Social integration" } },
    { id: "t-contacts", area: "social", label: { pl: "Budowanie sieci kontaktów", en: "Building a network of contacts" } },
  ],
  serviceModes: [
    { id: "in_person", justificationRequired: false },
    { id: "remote", justificationRequired: true },
  ],
  nightVisitsAllowed: false,
  crossMidnightAllowed: false,
  maxVisitMinutes: 480,
  overOrderPolicy: "explain",
  approverIds: ["p-gda-approver"],
  coordinatorIds: ["p-gda-coordinator"],
  financeEmails: ["finanse@mopr-gdansk.example.pl"],
};

const assistants = [
  { id: "p-gda-ewa", email: "ewa.mazur@asystent.example.pl", name: "Ewa Mazur", contractNumber: "GDA/2026/001", bankAccount: "PL61 1090 1014 0000 0712 1981 2874" },
  { id: "p-gda-jan", email: "jan.krol@asystent.example.pl", name: "Jan Król", contractNumber: "GDA/2026/002", bankAccount: "27 1140 2004 0000 3002 0135 5387" },
];
const codes = Array.from({ length: 12 }, (_, i) => `GDA-${String(i + 1).padStart(3, "0")}`);

let stack: TestStack;
let api: ReturnType<typeof apiClient>;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  // Monday 2 November 2026, 09:00 in Warsaw; nothing in the table but the administrator.
  stack = await startTestStack({ startAt: new Date("2026-11-02T08:00:00Z"), seed: false, admin: ADMIN });
  api = apiClient(stack);
});
afterAll(async () => {
  await stack?.dispose();
});

const csv = (cookie: string, path: string, body: string) => stack.request(path, { method: "POST", headers: { cookie, "content-type": "text/csv" }, body });

describe("a centre from an empty table to its first paid month (issue 14)", () => {
  it("starts with only the administrator, whose sign-in link is in the inbox", async () => {
    const [first] = await api.waitForMail(ADMIN, /link do logowania/);
    expect(first).toBeDefined();
    cookies.admin = await api.signIn(ADMIN);
    const programmes = await api.call(cookies.admin, "GET", "/api/programmes");
    expect(programmes.json).toEqual({ programmes: [] });
  });

  it("adds the staff, refuses a programme naming someone who does not exist, then creates it", async () => {
    for (const [id, email, name] of [["p-gda-approver", "zatwierdzajacy@mopr-gdansk.example.pl", "Zofia Zatwierdzająca"], ["p-gda-coordinator", "koordynator@mopr-gdansk.example.pl", "Karol Koordynator"], ["p-gda-finance", "finanse@mopr-gdansk.example.pl", "Fryderyka Finansowa"]]) {
      const made = await api.call(cookies.admin, "POST", "/api/people", { id, email, name });
      expect(made.status, made.text).toBe(201);
    }
    const wrong = await api.call(cookies.admin, "POST", "/api/programmes", { ...programme, approverIds: ["p-nobody"] }, { "accept-language": "pl" });
    expect(wrong.status).toBe(422);
    expect(wrong.json.error.code).toBe("PROGRAMME_CHANGE_REFUSED");
    expect(wrong.json.error.message).toContain("Najpierw dodaj ją");
    const low = await api.call(cookies.admin, "POST", "/api/programmes", { ...programme, rates: [{ from: "2026-01-01", rateGrosze: 2000 }] });
    expect(low.status).toBe(422);
    expect((await api.call(cookies.admin, "GET", "/api/programmes")).json.programmes).toEqual([]);

    const created = await api.call(cookies.admin, "POST", "/api/programmes", programme);
    expect(created.status, created.text).toBe(201);
    expect(created.json.rev).toBe(1);
    // the approver and the coordinator named by the programme now hold their roles in it
    const people = await api.call(cookies.admin, "GET", `/api/programmes/${P}/people`);
    expect(people.json.people.map((p: { id: string }) => p.id).sort()).toEqual(["p-gda-approver", "p-gda-coordinator"]);
    const finance = await api.call(cookies.admin, "POST", "/api/people/p-gda-finance/roles", { programmeId: P, role: "finance" });
    expect(finance.status, finance.text).toBe(201);
  });

  it("adds two assistants with contracts; one e-mail is one person", async () => {
    for (const a of assistants) {
      const made = await api.call(cookies.admin, "POST", `/api/programmes/${P}/people`, { ...a, roles: [{ programmeId: P, role: "assistant" }] });
      expect(made.status, made.text).toBe(201);
    }
    const twice = await api.call(cookies.admin, "POST", "/api/people", { id: "p-gda-ewa-2", email: "Ewa.Mazur@asystent.example.pl", name: "Ewa Mazur", roles: [{ programmeId: P, role: "assistant" }] }, { "accept-language": "en" });
    expect(twice.status).toBe(409);
    expect(twice.json.error).toMatchObject({ code: "EMAIL_TAKEN", details: { personId: "p-gda-ewa" } });
    expect(twice.json.error.message).toContain("add a role");
  });

  it("imports twelve beneficiaries: a file with one bad row writes nothing, the corrected file writes all", async () => {
    const header = "kod uczestnika;inicjały\n";
    const rows = codes.map((c, i) => `${c};${String.fromCharCode(65 + i)}.K.`);
    const bad = await csv(cookies.admin, `/api/programmes/${P}/beneficiaries/import`, header + [...rows.slice(0, 11), "GDA-012;Anna Kowalska"].join("\n"));
    expect(bad.status).toBe(400);
    const refusal = await bad.json();
    expect(refusal.error.code).toBe("BENEFICIARIES_IMPORT_FAILED");
    expect(refusal.error.message).toMatch(/wiersz 13: inicjały „Anna Kowalska”/);
    expect((await api.call(cookies.admin, "GET", `/api/programmes/${P}/beneficiaries`)).json.beneficiaries).toEqual([]);

    const good = await csv(cookies.admin, `/api/programmes/${P}/beneficiaries/import`, header + rows.join("\n"));
    expect(good.status, await good.clone().text()).toBe(200);
    expect((await good.json()).imported).toBe(12);
    const listed = (await api.call(cookies.admin, "GET", `/api/programmes/${P}/beneficiaries`)).json.beneficiaries;
    expect(listed.map((b: { code: string }) => b.code)).toEqual(codes);
  });

  it("the coordinator orders six beneficiaries for each assistant by e-mail", async () => {
    cookies.coordinator = await api.signIn("koordynator@mopr-gdansk.example.pl");
    const lines = codes.map((c, i) => `${assistants[i < 6 ? 0 : 1].email};${c};2`);
    const imported = await csv(cookies.coordinator, `/api/programmes/${P}/orders/import?month=${MONTH}`, "e-mail asystenta;kod uczestnika;godziny\n" + lines.join("\n"));
    expect(imported.status, await imported.clone().text()).toBe(200);
    expect((await imported.json()).imported).toBe(12);
  });

  it("the month runs: reports submitted and approved from the e-mail link, the payment batch e-mailed to finance", async () => {
    stack.clock.set(new Date("2026-11-27T12:00:00Z"));
    await stack.sfn.idle();
    const at = stack.clock.now().toISOString();
    for (const [n, a] of assistants.entries()) {
      cookies[a.id] = await api.signIn(a.email);
      for (let b = 0; b < 6; b++) {
        const code = codes[n * 6 + b];
        const day = `2026-11-${String(2 + b * 3).padStart(2, "0")}`;
        const id = await api.draftSigned(cookies[a.id], P, MONTH, code, [api.visit(day, "10:00", "12:00", { scopeIds: ["t-contacts"] })], at);
        const submitted = await api.call(cookies[a.id], "POST", `/api/reports/${id}/submit`);
        expect(submitted.status, submitted.text).toBe(200);
      }
    }
    const asks = await api.waitForMail("zatwierdzajacy@mopr-gdansk.example.pl", /GDA-/, 12);
    for (const mail of asks.slice(0, 12)) {
      const link = api.path(api.linkIn(mail, approvalLinkPattern));
      const decided = await stack.request(link, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "outcome=approve" });
      expect(decided.status).toBe(200);
    }
    await stack.sfn.idle();
    // after the deadline (3 December), at the daily check
    stack.clock.set(new Date("2026-12-07T06:00:00Z"));
    await stack.sfn.idle();
    const [sent] = await api.waitForMail("finanse@mopr-gdansk.example.pl", /GDA-AOU|Gdańsk|wypłat/i);
    // 12 reports × 2 h × 90,00 zł = 2 160,00 zł
    expect(sent.body.text).toMatch(/2\s?160,00/);
    expect(sent.body.text).toContain("12");
  });

  it("a deactivated assistant is signed out at once and gets no sign-in link; the history keeps the same person", async () => {
    const jan = assistants[1];
    cookies[jan.id] = await api.signIn(jan.email); // days later: new sessions
    cookies.admin = await api.signIn(ADMIN);
    expect((await api.call(cookies[jan.id], "GET", "/api/me")).status).toBe(200);
    const ended = await api.call(cookies.admin, "PATCH", `/api/people/${jan.id}`, { active: false }, { "if-match": '"1"' });
    expect(ended.status, ended.text).toBe(200);
    expect(ended.json.person).toMatchObject({ id: jan.id, active: false });
    expect((await api.call(cookies[jan.id], "GET", "/api/me")).status).toBe(401);
    const before = (await api.mailsTo(jan.email, /link do logowania/)).length;
    expect((await api.call(undefined, "POST", "/api/auth/link", { email: jan.email })).status).toBe(202); // the same answer as for anyone
    await new Promise((r) => setTimeout(r, 500));
    expect((await api.mailsTo(jan.email, /link do logowania/)).length).toBe(before);
    // a stale revision is refused and changes nothing
    const stale = await api.call(cookies.admin, "PATCH", `/api/people/${jan.id}`, { name: "Inny" }, { "if-match": '"1"' });
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe("VERSION_CONFLICT");
  });
});
