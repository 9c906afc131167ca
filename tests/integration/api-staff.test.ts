import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import { startTestStack, type TestStack } from "../support/local-stack.js";
import { apiClient } from "./api-helpers.js";

const startAt = new Date(warsawInstant("2026-11-20", "10:00"));
let stack: TestStack;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ startAt });
  api = apiClient(stack);
});
afterAll(async () => stack?.dispose());

describe("programmes, people, orders and the cycle for staff", () => {
  it("shows an assistant their programme's rules and own orders, and nothing of the staff routes", async () => {
    const anna = await api.signIn("anna.nowak@asystent.example.pl");
    const programmes = await api.call(anna, "GET", "/api/programmes");
    expect(programmes.json.programmes.map((p: { id: string }) => p.id)).toEqual(["krakow-aou"]);
    expect((await api.call(anna, "GET", "/api/programmes/wroclaw-ao")).status).toBe(403);
    const orders = await api.call(anna, "GET", "/api/orders?month=2026-11");
    expect(orders.json.orders).toHaveLength(6);
    expect(orders.json.orders.every((o: { assistantId: string }) => o.assistantId === "p-anna-nowak")).toBe(true);
    for (const path of ["/api/programmes/krakow-aou/people", "/api/programmes/krakow-aou/orders", "/api/programmes/krakow-aou/reports", "/api/programmes/krakow-aou/cycles/2026-11"]) {
      expect((await api.call(anna, "GET", path)).status, path).toBe(403);
    }
  });

  it("lets the coordinator see and issue orders within the caseload, and see the cycle", async () => {
    const coordinator = await api.signIn("koordynator@mops-krakow.example.pl");
    const all = await api.call(coordinator, "GET", "/api/programmes/krakow-aou/orders?month=2026-11");
    expect(all.json.orders).toHaveLength(24);
    const reissued = await api.call(coordinator, "PUT", "/api/programmes/krakow-aou/orders", { month: "2026-11", assistantId: "p-anna-nowak", beneficiaryCode: "KR-AOU-001", orderedMinutes: 480 });
    expect(reissued.status, reissued.text).toBe(200);
    expect(reissued.json.order).toMatchObject({ orderedMinutes: 480, issuedBy: "p-krakow-coordinator" });
    const seventh = await api.call(coordinator, "PUT", "/api/programmes/krakow-aou/orders", { month: "2026-11", assistantId: "p-anna-nowak", beneficiaryCode: "KR-AOU-007", orderedMinutes: 60 });
    expect(seventh.status).toBe(422);
    expect(seventh.json.error.code).toBe("CASELOAD_EXCEEDED");
    expect((await api.call(coordinator, "PUT", "/api/programmes/wroclaw-ao/orders", { month: "2026-11", assistantId: "p-jan-zielinski", beneficiaryCode: "WR-AO-004", orderedMinutes: 60 })).status).toBe(403);
    const cycle = await api.call(coordinator, "GET", "/api/programmes/krakow-aou/cycles/2026-11");
    expect(cycle.status, cycle.text).toBe(200);
    expect(cycle.json).toMatchObject({ programmeId: "krakow-aou", month: "2026-11" });
  });

  it("lets an admin add a person to their own programme only", async () => {
    const admin = await api.signIn("admin@mops-krakow.example.pl");
    const person = { id: "p-new-assistant", email: "Nowy.Asystent@Example.pl", name: "Nowy Asystent", roles: [{ programmeId: "krakow-aou", role: "assistant" }] };
    const created = await api.call(admin, "POST", "/api/programmes/krakow-aou/people", person);
    expect(created.status, created.text).toBe(201);
    expect(created.json.person.email).toBe("nowy.asystent@example.pl");
    const listed = await api.call(admin, "GET", "/api/programmes/krakow-aou/people?role=assistant");
    expect(listed.json.people.map((p: { id: string }) => p.id)).toContain("p-new-assistant");
    const elsewhere = await api.call(admin, "POST", "/api/programmes/krakow-aou/people", { ...person, id: "p-x", email: "x@example.pl", roles: [{ programmeId: "wroclaw-ao", role: "admin" }] });
    expect(elsewhere.status).toBe(403);
    await api.signIn("nowy.asystent@example.pl");
  });
});
