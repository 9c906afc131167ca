import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestTable } from "../support/table.js";
import { warsawInstant } from "../../functions/core/calendar.js";
import { demoData } from "../../functions/core/demo-data.js";
import { AlreadyExistsError, OrdersImportError, VersionConflictError } from "../../functions/core/errors.js";
import { seedProgramme } from "../../functions/core/programme.js";
import { addSignature, addVisit, approve, contentHash, newReport, type Report, submit, visitsOfOtherReports } from "../../functions/core/report.js";
import { appendAuditEvent, auditEventsOfReport } from "../../functions/adapters/audit-events.js";
import { createBeneficiary } from "../../functions/adapters/beneficiaries.js";
import { peopleByProgrammeRole, personByEmail, getPerson, createPerson } from "../../functions/adapters/people.js";
import { createProgramme, getProgramme, listProgrammes } from "../../functions/adapters/programmes.js";
import {
  createReport,
  getReport,
  getReportVersion,
  putReportVersion,
  reportsByAssistantMonth,
  reportsByAssistantMonths,
  reportsByProgrammeMonth,
  reportsByProgrammeMonthStatus,
  reportsByProgrammeMonthStatusPage,
  reportVersions,
  saveReport,
  saveSubmission,
} from "../../functions/adapters/reports.js";
import { seedDemoData } from "../../functions/adapters/seed.js";
import { importServiceOrders, issueServiceOrder, ordersByAssistantMonth, ordersByProgrammeMonth } from "../../functions/adapters/service-orders.js";

const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ stop } = await startTestTable());
  // The demo month of the shared seed; tests use other months or ids for what they create.
  await seedDemoData("2026-11", "2026-11-01T07:00:00.000Z");
});

afterAll(async () => {
  await stop();
});

const krakow = () => structuredClone(seedProgramme("krakow-aou")!);
const visit = (id: string, date: string, from: string, to: string) => ({
  id,
  date,
  start: warsawInstant(date, from),
  end: warsawInstant(date, to),
  scopeIds: ["work"],
  mode: "in_person" as const,
});

function signedDraft(beneficiaryCode: string, month: string, visits: ReturnType<typeof visit>[]): Report {
  const programme = krakow();
  let report = newReport({ programmeId: "krakow-aou", month, assistantId: "p-anna-nowak", beneficiaryCode });
  for (const v of visits) report = addVisit(report, v, { programme, otherVisits: [], now: "2030-01-01T00:00:00.000Z" });
  const hash = contentHash(report);
  for (const role of ["beneficiary", "assistant"] as const) {
    report = addSignature(report, { role, signer: role, signedAt: "2026-10-30T16:00:00.000Z", evidence: "drawn", imageDataUrl: PNG, contentHash: hash }, programme);
  }
  return report;
}

describe("seed and lookups", () => {
  it("seeds the demo data once: a second run writes nothing", async () => {
    const again = await seedDemoData("2026-11", "2026-11-05T07:00:00.000Z");
    expect(again.written).toBe(0);
    const orders = await ordersByProgrammeMonth("krakow-aou", "2026-11");
    expect(orders).toHaveLength(24);
    expect(orders.every((o) => o.orderedMinutes === 360 && o.issuedAt === "2026-11-01T07:00:00.000Z")).toBe(true);
  });

  it("seeds a new month's orders without touching people or programmes", async () => {
    const result = await seedDemoData("2026-12", "2026-12-01T07:00:00.000Z");
    expect(result.written).toBe(demoData("2026-12").serviceOrders.length);
  });

  it("finds programmes, people by id, e-mail (any case) and role", async () => {
    expect((await getProgramme("krakow-aou")).maxBeneficiariesPerAssistant).toBe(6);
    expect((await listProgrammes()).map((p) => p.id).sort()).toEqual(["krakow-aou", "wroclaw-ao"]);
    expect((await personByEmail("Anna.Nowak@Asystent.Example.PL"))?.id).toBe("p-anna-nowak");
    expect((await getPerson("p-jan-zielinski")).name).toBe("Jan Zieliński");
    expect((await peopleByProgrammeRole("krakow-aou", "assistant")).map((p) => p.id).sort()).toEqual([
      "p-anna-nowak",
      "p-maria-wisniewska",
      "p-piotr-kowalski",
      "p-tomasz-wojcik",
    ]);
    expect((await peopleByProgrammeRole("wroclaw-ao", "approver")).map((p) => p.id).sort()).toEqual(["p-wroclaw-approver", "p-wroclaw-deputy"]);
  });

  it("finds an assistant's orders for a month", async () => {
    const orders = await ordersByAssistantMonth("p-jan-zielinski", "2026-11");
    expect(orders.map((o) => o.beneficiaryCode).sort()).toEqual(["WR-AO-004", "WR-AO-005"]);
  });
});

describe("conditional creates", () => {
  it("refuses a second programme, beneficiary or person with the same id", async () => {
    await expect(createProgramme(krakow())).rejects.toBeInstanceOf(AlreadyExistsError);
    await expect(createBeneficiary({ programmeId: "krakow-aou", code: "KR-AOU-001", initials: "Z.Z." })).rejects.toBeInstanceOf(AlreadyExistsError);
    const person = (await getPerson("p-anna-nowak"))!;
    await expect(createPerson({ ...person, name: "Someone Else" })).rejects.toBeInstanceOf(AlreadyExistsError);
  });

  it("refuses a second report with the same id", async () => {
    const report = newReport({ programmeId: "krakow-aou", month: "2026-09", assistantId: "p-anna-nowak", beneficiaryCode: "KR-AOU-001" });
    await createReport(report);
    await expect(createReport(report)).rejects.toBeInstanceOf(AlreadyExistsError);
  });

  it("refuses a 7th beneficiary for a Kraków assistant when issuing an order", async () => {
    await createBeneficiary({ programmeId: "krakow-aou", code: "KR-AOU-099", initials: "X.Y." });
    await expect(
      issueServiceOrder({ id: "o-x", programmeId: "krakow-aou", month: "2026-11", assistantId: "p-anna-nowak", beneficiaryCode: "KR-AOU-099", orderedMinutes: 360, issuedBy: "p-krakow-coordinator", issuedAt: "2026-11-02T08:00:00.000Z" }),
    ).rejects.toThrow(/more than 6 beneficiaries/);
  });

  it("appends audit events once per id", async () => {
    const event = { id: "e1", reportId: "r-audit", at: "2026-11-02T08:00:00.000Z", actorId: "p-anna-nowak", type: "report.created" as const };
    expect(await appendAuditEvent(event)).toBe(true);
    expect(await appendAuditEvent({ ...event, actorId: "someone-else" })).toBe(false);
    await appendAuditEvent({ ...event, id: "e2", at: "2026-11-03T08:00:00.000Z", type: "report.submitted", version: 1 });
    const events = await auditEventsOfReport("r-audit");
    expect(events.map((e) => [e.id, e.actorId])).toEqual([["e1", "p-anna-nowak"], ["e2", "p-anna-nowak"]]);
  });
});

describe("reports", () => {
  it("refuses a save based on an outdated revision", async () => {
    const programme = krakow();
    const { report, rev } = await createReport(newReport({ programmeId: "krakow-aou", month: "2026-08", assistantId: "p-anna-nowak", beneficiaryCode: "KR-AOU-002" }));
    const first = addVisit(report, visit("v1", "2026-08-10", "16:00", "17:00"), { programme, otherVisits: [], now: "2030-01-01T00:00:00.000Z" });
    const second = addVisit(report, visit("v2", "2026-08-11", "16:00", "17:00"), { programme, otherVisits: [], now: "2030-01-01T00:00:00.000Z" });
    expect((await saveReport(first, rev)).rev).toBe(2);
    await expect(saveReport(second, rev)).rejects.toBeInstanceOf(VersionConflictError);
    expect((await getReport(report.id)).report.visits.map((v) => v.id)).toEqual(["v1"]);
  });

  it("keeps submitted versions immutable and moves the status index", async () => {
    const programme = krakow();
    const stored = await createReport(signedDraft("KR-AOU-003", "2026-10", [visit("v1", "2026-10-12", "16:00", "18:00")]));
    const submitted = submit(stored.report, { programme, otherVisits: [], order: { orderedMinutes: 360 } }, "2026-10-30T17:00:00.000Z");
    const afterSubmit = await saveSubmission(submitted, stored.rev);
    expect(afterSubmit.rev).toBe(2);
    // A retry of the same submission is harmless for the version item…
    await expect(putReportVersion(submitted)).resolves.toBeUndefined();
    // …but a different content under the same version number is refused.
    await expect(putReportVersion({ ...submitted, visits: [visit("v1", "2026-10-12", "16:00", "19:00")] })).rejects.toBeInstanceOf(AlreadyExistsError);
    const version = await getReportVersion(submitted.id, 1);
    expect(version.contentHash).toBe(contentHash(submitted));
    expect(version.visits[0].end).toBe(warsawInstant("2026-10-12", "18:00"));

    expect((await reportsByProgrammeMonthStatus("krakow-aou", "2026-10", "submitted")).map((r) => r.report.id)).toEqual([submitted.id]);
    const approved = approve(submitted, { by: "p-krakow-approver", version: 1, contentHash: contentHash(submitted) }, "2026-11-04T09:00:00.000Z");
    await saveReport(approved, afterSubmit.rev);
    expect(await reportsByProgrammeMonthStatus("krakow-aou", "2026-10", "submitted")).toEqual([]);
    expect((await reportsByProgrammeMonthStatus("krakow-aou", "2026-10", "approved")).map((r) => r.report.status)).toEqual(["approved"]);
    expect((await reportVersions(submitted.id)).map((r) => [r.version, r.status])).toEqual([[1, "submitted"]]);
  });

  it("finds an assistant's reports for a month across beneficiaries and programmes, with visits", async () => {
    const a = signedDraft("KR-AOU-004", "2026-07", [visit("v1", "2026-07-10", "16:00", "17:00")]);
    const b = signedDraft("KR-AOU-005", "2026-07", [visit("v1", "2026-07-11", "16:00", "17:00")]);
    const wroclaw = { ...newReport({ programmeId: "wroclaw-ao", month: "2026-07", assistantId: "p-anna-nowak", beneficiaryCode: "WR-AO-001" }) };
    await createReport(a);
    await createReport(b);
    await createReport(wroclaw);
    await createReport(newReport({ programmeId: "krakow-aou", month: "2026-07", assistantId: "p-piotr-kowalski", beneficiaryCode: "KR-AOU-007" }));
    const mine = await reportsByAssistantMonth("p-anna-nowak", "2026-07");
    expect(mine.map((r) => r.report.beneficiaryCode).sort()).toEqual(["KR-AOU-004", "KR-AOU-005", "WR-AO-001"]);
    expect(visitsOfOtherReports(mine.map((r) => r.report), a.id).map((v) => v.start)).toEqual([warsawInstant("2026-07-11", "16:00")]);
    expect(await reportsByProgrammeMonth("krakow-aou", "2026-07")).toHaveLength(3);
  });

  it("reads an assistant's reports of consecutive months in one range, and only those months", async () => {
    for (const month of ["2026-01", "2026-02", "2026-03", "2026-04"]) {
      await createReport(newReport({ programmeId: "krakow-aou", month, assistantId: "p-ewa-range", beneficiaryCode: "KR-AOU-020" }));
      await createReport(newReport({ programmeId: "wroclaw-ao", month, assistantId: "p-ewa-range", beneficiaryCode: "WR-AO-020" }));
    }
    await createReport(newReport({ programmeId: "krakow-aou", month: "2026-02", assistantId: "p-ewa-range2", beneficiaryCode: "KR-AOU-021" }));
    const months = (reports: { report: { month: string } }[]) => reports.map((r) => r.report.month).sort();
    expect(months(await reportsByAssistantMonths("p-ewa-range", "2026-02", "2026-03"))).toEqual(["2026-02", "2026-02", "2026-03", "2026-03"]);
    expect(months(await reportsByAssistantMonths("p-ewa-range", "2026-04", "2026-04"))).toEqual(["2026-04", "2026-04"]);
    expect(months(await reportsByAssistantMonth("p-ewa-range", "2026-01"))).toEqual(["2026-01", "2026-01"]);
    expect(await reportsByAssistantMonths("p-ewa-range", "2026-05", "2026-06")).toEqual([]);
  });

  it("pages through a status index", async () => {
    for (const code of ["KR-AOU-010", "KR-AOU-011", "KR-AOU-012"]) {
      await createReport(newReport({ programmeId: "krakow-aou", month: "2026-06", assistantId: "p-piotr-kowalski", beneficiaryCode: code }));
    }
    const first = await reportsByProgrammeMonthStatusPage("krakow-aou", "2026-06", "draft", { limit: 2 });
    expect(first.reports).toHaveLength(2);
    expect(first.cursor).toBeDefined();
    const second = await reportsByProgrammeMonthStatusPage("krakow-aou", "2026-06", "draft", { limit: 2, cursor: first.cursor });
    expect([...first.reports, ...second.reports].map((r) => r.report.beneficiaryCode)).toEqual(["KR-AOU-010", "KR-AOU-011", "KR-AOU-012"]);
  });
});

describe("orders import", () => {
  const file = (rows: string[]) => new TextEncoder().encode(["e-mail asystenta;kod uczestnika;godziny", ...rows].join("\n"));

  it("writes every order of a good file", async () => {
    const progress: number[] = [];
    const orders = await importServiceOrders({
      programmeId: "wroclaw-ao",
      month: "2027-01",
      fileName: "styczen.csv",
      bytes: file(["katarzyna.lewandowska@asystent.example.pl;WR-AO-001;20", "jan.zielinski@asystent.example.pl;WR-AO-004;12,5"]),
      issuedBy: "p-wroclaw-coordinator",
      now: "2027-01-02T08:00:00.000Z",
      onProgress: (written) => progress.push(written),
    });
    expect(orders).toHaveLength(2);
    expect(progress).toEqual([2]);
    expect((await ordersByProgrammeMonth("wroclaw-ao", "2027-01")).map((o) => [o.beneficiaryCode, o.orderedMinutes]).sort()).toEqual([
      ["WR-AO-001", 1200],
      ["WR-AO-004", 750],
    ]);
  });

  it("writes nothing when any row is wrong", async () => {
    const error = await importServiceOrders({
      programmeId: "wroclaw-ao",
      month: "2027-02",
      fileName: "luty.csv",
      bytes: file(["katarzyna.lewandowska@asystent.example.pl;WR-AO-001;20", "jan.zielinski@asystent.example.pl;WR-AO-999;12"]),
      issuedBy: "p-wroclaw-coordinator",
      now: "2027-02-02T08:00:00.000Z",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OrdersImportError);
    expect((error as OrdersImportError).messages.en).toContain("row 3");
    expect(await ordersByProgrammeMonth("wroclaw-ao", "2027-02")).toEqual([]);
  });
});

describe("reads together", () => {
  it("reads a hundred large items although a BatchGetItem answer stops at 16 MB, each parsed in the order asked", async () => {
    const { putItem, readTogether } = await import("../../functions/adapters/dynamo.js");
    // 100 items of ~300 KB (signature images make report versions this large): ~30 MB in all
    const filler = "x".repeat(300_000);
    const keys = Array.from({ length: 100 }, (_, i) => ({ pk: `BIGREAD#${i}`, sk: "ITEM" }));
    for (const [i, key] of keys.entries()) await putItem({ ...key, n: i, filler });
    const missing = { pk: "BIGREAD#none", sk: "ITEM" };

    const values = await readTogether([...keys.slice(0, 99), missing].map((key) => ({ key, parse: (item: Record<string, unknown> | undefined) => item?.n ?? null })));

    expect(values).toEqual([...Array.from({ length: 99 }, (_, i) => i), null]);
  });
});
