import { describe, expect, it } from "vitest";
import { dataExportScope, personDataExport, personDataFileName, requireDataExportAccess, type PersonData } from "../../functions/core/person-data.js";
import { newReport, type Report } from "../../functions/core/report.js";
import type { Person } from "../../functions/core/person.js";

const person = (id: string, roles: Person["roles"], centreAdmin?: boolean): Person => ({ id, email: `${id}@example.pl`, name: id, roles, active: true, ...(centreAdmin ? { centreAdmin } : {}) });
const anna = person("p-anna", [{ programmeId: "krakow-aou", role: "assistant" }, { programmeId: "wroclaw-ao", role: "assistant" }]);
const krakowAdmin = person("p-krakow-admin", [{ programmeId: "krakow-aou", role: "admin" }]);
const wroclawAdmin = person("p-wroclaw-admin", [{ programmeId: "wroclaw-ao", role: "admin" }]);
const coordinator = person("p-coordinator", [{ programmeId: "krakow-aou", role: "coordinator" }]);
const centre = person("p-centre", [], true);

const signed = (r: Report): Report => ({ ...r, signatures: [{ role: "beneficiary", signer: "A.K.", signedAt: "2026-11-30T10:00:00.000Z", evidence: "drawn", imageDataUrl: "data:image/png;base64,AAAA", contentHash: "0".repeat(64) }] });
const report = (programmeId: string, code: string) => signed(newReport({ programmeId, month: "2026-11", assistantId: anna.id, beneficiaryCode: code }));
const data: PersonData = {
  person: anna,
  contracts: [{ programmeId: "krakow-aou" }, { programmeId: "wroclaw-ao" }],
  contractChanges: [{ after: { programmeId: "wroclaw-ao" } }],
  reports: [
    { report: report("krakow-aou", "KR-AOU-001"), versions: [], auditEvents: [] },
    { report: report("wroclaw-ao", "WR-AO-001"), versions: [], auditEvents: [] },
  ],
  decisions: [],
  actions: [],
  personEvents: [],
  sessions: [],
  emails: [],
};

describe("a person's data export", () => {
  it.each([
    ["the person themself", anna, true],
    ["the centre's administrator", centre, true],
    ["an admin of one of the person's programmes", krakowAdmin, true],
    ["a coordinator of the person's programme", coordinator, false],
    ["an admin of another programme", person("p-gdansk-admin", [{ programmeId: "gdansk-aou", role: "admin" }]), false],
  ])("lets %s export: %s", (_who, viewer, allowed) => {
    if (allowed) expect(() => requireDataExportAccess(viewer, anna)).not.toThrow();
    else expect(() => requireDataExportAccess(viewer, anna)).toThrow(expect.objectContaining({ code: "FORBIDDEN", status: 403 }));
  });

  it("gives an admin of one programme only that programme's part, and the person and the centre everything", () => {
    expect(dataExportScope(krakowAdmin, anna)).toEqual(["krakow-aou"]);
    expect(dataExportScope(anna, anna)).toBe("all");
    expect(dataExportScope(centre, anna)).toBe("all");
    const krakow = personDataExport(data, krakowAdmin.id, new Date("2026-12-01T09:00:00.000Z"), dataExportScope(krakowAdmin, anna));
    expect(krakow.reports.map((r) => r.programmeId)).toEqual(["krakow-aou"]);
    expect(krakow.contracts).toEqual([{ programmeId: "krakow-aou" }]);
    expect(krakow.contractChanges).toEqual([]);
    expect(personDataExport(data, wroclawAdmin.id, new Date(), ["wroclaw-ao"]).reports.map((r) => r.programmeId)).toEqual(["wroclaw-ao"]);
    expect(personDataExport(data, anna.id, new Date()).reports).toHaveLength(2);
  });

  it("says who signed and when, but leaves the signature images in Karta", () => {
    const text = JSON.stringify(personDataExport(data, centre.id, new Date("2026-12-01T09:00:00.000Z")));
    expect(text).not.toContain("data:image");
    const [first] = personDataExport(data, centre.id, new Date()).reports;
    expect(first.signatures[0]).toMatchObject({ role: "beneficiary", signer: "A.K.", signedAt: "2026-11-30T10:00:00.000Z", image: expect.stringMatching(/not exported/) });
  });

  it("names the file after the person and the Warsaw date", () => {
    expect(personDataFileName("p-anna", new Date("2026-12-31T23:30:00.000Z"))).toBe("karta-dane-p-anna-2027-01-01.json");
  });
});
