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
  // the payer of the transfer file (issue 17)
  payments: { payerName: ["Miejski Ośrodek Pomocy Rodzinie", "ul. Konrada Leczkowa 1A", "80-432 Gdańsk"], payerAccount: "PL10105000997603123456789123", transferAmount: "net", accidentBp: 167 },
};

const assistants = [
  { id: "p-gda-ewa", email: "ewa.mazur@asystent.example.pl", name: "Ewa Mazur" },
  { id: "p-gda-jan", email: "jan.krol@asystent.example.pl", name: "Jan Król" },
];
const declarations = { studentUnder26: false, otherEmploymentAtMinimumWage: false, pit2: true, voluntarySickness: false, ppk: true };
// Ewa's contract runs to the end of 2027; Jan's covers November only (a student until he turns 26).
const contracts = [
  { number: "GDA/2026/001", programmeId: P, from: "2026-01-01", to: "2027-12-31", bankAccount: "PL61 1090 1014 0000 0712 1981 2874", declarations },
  { number: "GDA/2026/002", programmeId: P, from: "2026-11-01", to: "2026-11-30", bankAccount: "27 1140 2004 0000 3002 0135 5387", declarations: { ...declarations, studentUnder26: true, turns26On: "2027-06-01", pit2: false, ppk: false } },
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
    expect(api.linkIn(first, /https?:\/\/\S+\/api\/auth\/callback\?token=[A-Za-z0-9_-]+/)).toMatch(/token=/);
    cookies.admin = await api.signIn(ADMIN);
    const programmes = await api.call(cookies.admin, "GET", "/api/programmes");
    expect(programmes.json).toEqual({ programmes: [] });
  });

  it("adds the staff, refuses a programme naming someone who does not exist, then creates it", async () => {
    for (const [id, email, name] of [["p-gda-approver", "zatwierdzajacy@mopr-gdansk.example.pl", "Zofia Zatwierdzająca"], ["p-gda-coordinator", "koordynator@mopr-gdansk.example.pl", "Karol Koordynator"], ["p-gda-finance", "finanse@mopr-gdansk.example.pl", "Fryderyka Finansowa"]]) {
      const made = await api.call(cookies.admin, "POST", "/api/people", { id, email, name });
      expect(made.status, made.text).toBe(201);
    }
    // with no role yet they are in no programme's list, but in the centre's directory
    const directory = await api.call(cookies.admin, "GET", "/api/people");
    expect(directory.status, directory.text).toBe(200);
    expect(directory.json.people.map((p: { id: string; roles: unknown[] }) => [p.id, p.roles.length])).toEqual(
      expect.arrayContaining([["p-gda-approver", 0], ["p-gda-coordinator", 0], ["p-gda-finance", 0]]),
    );
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

  it("records each assistant's contract: a bad account checksum is refused naming the field, nothing written", async () => {
    const bad = await api.call(cookies.admin, "PUT", "/api/people/p-gda-ewa/contracts", { ...contracts[0], bankAccount: "PL61 1090 1014 0000 0712 1981 2870" }, { "accept-language": "en" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/bankAccount: .*checksum \(mod 97\)/);
    expect((await api.call(cookies.admin, "GET", "/api/people/p-gda-ewa/contracts")).json).toMatchObject({ contracts: [], rev: 0 });
    for (const [i, a] of assistants.entries()) {
      const made = await api.call(cookies.admin, "PUT", `/api/people/${a.id}/contracts`, contracts[i], { "if-match": '"0"' });
      expect(made.status, made.text).toBe(201);
      expect(made.headers.get("etag")).toBe('"1"');
    }
    const listed = await api.call(cookies.admin, "GET", "/api/people/p-gda-jan/contracts");
    expect(listed.json.contracts).toEqual([expect.objectContaining({ number: "GDA/2026/002", to: "2026-11-30", bankAccount: "PL27114020040000300201355387", changedBy: "p-administrator" })]);
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
    // December: Jan's contract has ended, so the whole file is refused and nothing is written
    const december = await csv(cookies.coordinator, `/api/programmes/${P}/orders/import?month=2026-12`, "e-mail asystenta;kod uczestnika;godziny\n" + lines.join("\n"));
    expect(december.status).toBe(400);
    expect((await december.json()).error.message).toMatch(/wiersz 8: asystent jan\.krol@asystent\.example\.pl nie ma w programie gdansk-aou umowy obejmującej miesiąc 2026-12/);
    expect((await api.call(cookies.coordinator, "GET", `/api/programmes/${P}/orders?month=2026-12`)).json.orders).toEqual([]);
    // and the board shows his contract ending within the month
    const ending = await api.call(cookies.coordinator, "GET", `/api/programmes/${P}/contracts/ending`);
    expect(ending.json.contracts).toEqual([expect.objectContaining({ personId: "p-gda-jan", name: "Jan Król", number: "GDA/2026/002", to: "2026-11-30", state: "ending" })]);
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

    // From gross to the bank (issue 17): the month ends in the transfer file and the payroll export.
    const finance = await api.signIn("finanse@mopr-gdansk.example.pl");
    const batchId = /\/batches\/([^/\s]+)\/payroll/.exec(sent.body.text ?? "")![1];
    const summary = await api.call(finance, "GET", `/api/batches/${batchId}/payroll?day=2026-12-10`);
    expect(summary.status, summary.text).toBe(200);
    expect(summary.json.problems).toEqual({ payroll: [], transfers: [] });
    const { rows, totals } = summary.json.payroll;
    expect(totals.grossGrosze).toBe(2160_00);
    // Jan is a student under 26: his net is his gross
    const jan = rows.find((r: { assistantId: string }) => r.assistantId === "p-gda-jan");
    expect(jan).toMatchObject({ basis: "student-under-26" });
    expect(jan.netGrosze).toBe(jan.grossGrosze);
    const pli = await stack.request(`/api/batches/${batchId}/payments/transfers.pli?day=2026-12-10`, { headers: { cookie: finance } });
    expect(pli.status).toBe(200);
    const records = new TextDecoder("windows-1250").decode(await pli.arrayBuffer()).trim().split("\r\n").map((l) => l.split(","));
    expect(records).toHaveLength(2);
    expect(records.reduce((sum, r) => sum + Number(r[2]), 0)).toBe(totals.netGrosze);
    expect((await stack.request(`/api/batches/${batchId}/payments/payroll.xlsx`, { headers: { cookie: finance } })).status).toBe(200);
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
  it("takes a role away: refused while the programme names the person, then removed with its membership; the person stays", async () => {
    cookies.admin = await api.signIn(ADMIN);
    const named = await api.call(cookies.admin, "DELETE", `/api/people/p-gda-approver/roles/${P}/approver`, undefined, { "accept-language": "en" });
    expect(named.status).toBe(422);
    expect(named.json.error.message).toContain("Name someone else in the programme's settings first");
    const finance = await api.signIn("finanse@mopr-gdansk.example.pl");
    expect((await api.call(finance, "GET", `/api/programmes/${P}/batches`)).status).toBe(200);
    const removed = await api.call(cookies.admin, "DELETE", `/api/people/p-gda-finance/roles/${P}/finance`);
    expect(removed.status, removed.text).toBe(200);
    expect(removed.json.person.roles).toEqual([]);
    expect((await api.call(cookies.admin, "GET", `/api/programmes/${P}/people`)).json.people.map((p: { id: string }) => p.id)).not.toContain("p-gda-finance");
    // the same session no longer reaches the programme's batches; the person is still in the directory
    expect((await api.call(finance, "GET", `/api/programmes/${P}/batches`)).status).toBe(403);
    expect((await api.call(cookies.admin, "GET", "/api/people")).json.people.map((p: { id: string }) => p.id)).toContain("p-gda-finance");
    expect((await api.call(cookies.admin, "DELETE", `/api/people/p-gda-finance/roles/${P}/finance`)).status).toBe(404);
  });
});
