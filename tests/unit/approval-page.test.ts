// Issue 15, case 8: the approver sees everything they approve — every visit with its
// justification and note, both signatures (image and time) and, for a resubmission, what changed.
import { describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import { approvalFormPage } from "../../functions/core/approval-page.js";
import { seedProgramme } from "../../functions/core/programme.js";
import { newReport, Report, type Visit } from "../../functions/core/report.js";
import { reportSummary } from "../../functions/core/report-summary.js";
import { versionChanges } from "../../functions/core/version-changes.js";

const programme = seedProgramme("krakow-aou")!;
const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
const HASH = "a".repeat(64);

const visit = (id: string, date: string, from: string, to: string, extra: Partial<Visit> = {}): Visit => ({
  id,
  date,
  start: warsawInstant(date, from),
  end: warsawInstant(date, to),
  scopeIds: ["t01-contacts"],
  mode: "in_person",
  ...extra,
});

const version = (n: number, visits: Visit[]) =>
  Report.parse({
    ...newReport({ programmeId: "krakow-aou", month: "2026-11", assistantId: "p-anna-nowak", beneficiaryCode: "KR-AOU-001" }),
    status: "submitted",
    version: n,
    visits,
    signatures: [
      { role: "beneficiary", signer: "A.K.", signedAt: "2026-11-30T16:05:00.000Z", evidence: "drawn", imageDataUrl: PNG, contentHash: HASH },
      { role: "assistant", signer: "Anna Nowak", signedAt: "2026-11-30T16:06:00.000Z", evidence: "drawn", imageDataUrl: PNG, contentHash: HASH },
    ],
  });

const v1 = version(1, [visit("v1", "2026-11-10", "16:00", "17:00"), visit("v2", "2026-11-12", "10:00", "11:00", { note: "Spotkanie w urzędzie." })]);
const v2 = version(2, [
  visit("v1", "2026-11-10", "16:00", "17:30", { mode: "remote", justification: "Uczestnik w szpitalu." }),
  visit("v3", "2026-11-13", "09:00", "10:00"),
]);

describe("what changed since the returned version", () => {
  it("names each visit added, removed and changed, in Warsaw time", () => {
    expect(versionChanges(v1, v2, programme, "pl")).toEqual([
      "Zmieniono wizytę 10.11.2026, 16:00–17:00: godziny 10.11.2026, 16:00–17:00 → 10.11.2026, 16:00–17:30; forma osobiście → zdalnie; uzasadnienie „(brak)” → „Uczestnik w szpitalu.”.",
      expect.stringMatching(/^Dodano wizytę: 13\.11\.2026, 09:00–10:00, osobiście, /),
      expect.stringMatching(/^Usunięto wizytę: 12\.11\.2026, 10:00–11:00, osobiście, /),
    ]);
  });

  it("says so when only the signatures are new", () => {
    expect(versionChanges(v1, version(2, v1.visits), programme, "pl")).toEqual(["Wizyty są takie same jak w wersji zwróconej (zmieniono tylko podpisy)."]);
    expect(versionChanges(v1, version(2, v1.visits), programme, "en")[0]).toContain("only the signatures are new");
  });
});

describe("the approval link page", () => {
  const s = reportSummary(v2, programme, "Anna Nowak", "pl");
  const page = approvalFormPage({
    lang: "pl",
    facts: s.facts,
    visits: s.visits,
    signatures: s.signatures,
    changes: { since: 1, lines: versionChanges(v1, v2, programme, "pl") },
    formAction: "/approve/a?sig=x",
    otherLanguageUrl: "/approve/a?sig=x&lang=en",
  });

  it("shows every visit with its justification and note", () => {
    expect(page).toContain("10.11.2026, 16:00–17:30");
    expect(page).toContain("Uzasadnienie: Uczestnik w szpitalu.");
    const withNote = approvalFormPage({ lang: "pl", facts: [], visits: reportSummary(v1, programme, "Anna Nowak", "pl").visits, signatures: [], formAction: "/a", otherLanguageUrl: "/b" });
    expect(withNote).toContain("Notatka: Spotkanie w urzędzie.");
  });

  it("shows both signatures with image and Warsaw time", () => {
    expect(page.match(/<img src="data:image\/png;base64,/g)).toHaveLength(2);
    expect(page).toContain("Podpis uczestnika</strong>: A.K., podpisano 30.11.2026, 17:05");
    expect(page).toContain("Podpis asystenta</strong>: Anna Nowak, podpisano 30.11.2026, 17:06");
  });

  it("shows what changed since the returned version, before the visits", () => {
    expect(page.indexOf("Co się zmieniło od wersji 1")).toBeGreaterThan(0);
    expect(page.indexOf("Co się zmieniło od wersji 1")).toBeLessThan(page.indexOf("<h2>Wizyty</h2>"));
  });
});
