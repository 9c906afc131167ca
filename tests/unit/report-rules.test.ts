import { describe, expect, it } from "vitest";
import { Beneficiary } from "../../functions/core/beneficiary.js";
import { warsawInstant } from "../../functions/core/calendar.js";
import {
  CaseloadExceededError,
  DomainError,
  InvalidTransitionError,
  JustificationRequiredError,
  messageFor,
  NightVisitNotAllowedError,
  NoServiceOrderError,
  OrderExceededError,
  OverOrderExplanationRequiredError,
  ReportEmptyError,
  ReportLockedError,
  ReturnReasonRequiredError,
  ServiceModeNotAllowedError,
  SignatureEvidenceNotAcceptedError,
  SignatureMissingError,
  SignatureStaleError,
  SignatureTooLargeError,
  StaleVersionError,
  UnknownScopeError,
  VisitCrossesMidnightError,
  VisitDateMismatchError,
  VisitEndBeforeStartError,
  VisitOutsideMonthError,
  VisitInFutureError,
  VisitOverlapError,
  VisitTooLongError,
} from "../../functions/core/errors.js";
import { type Programme, seedProgramme } from "../../functions/core/programme.js";
import {
  addSignature,
  addVisit,
  approve,
  contentHash,
  newReport,
  type OtherVisit,
  priceReport,
  removeVisit,
  Report,
  reportId,
  reportProblems,
  returnReport,
  setOverOrderExplanation,
  submit,
  updateVisit,
  validateForSubmission,
  type Visit,
  visitMinutes,
} from "../../functions/core/report.js";
import { checkCaseload, newServiceOrder } from "../../functions/core/service-order.js";

const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

const krakow = (): Programme => structuredClone(seedProgramme("krakow-aou")!);
const wroclaw = (): Programme => structuredClone(seedProgramme("wroclaw-ao")!);

function visit(id: string, date: string, from: string, to: string, extra: Partial<Visit> & { endDate?: string } = {}): Visit {
  const { endDate, ...rest } = extra;
  return {
    id,
    date,
    start: warsawInstant(date, from),
    end: warsawInstant(endDate ?? date, to),
    scopeIds: ["t05-job-activation"],
    mode: "in_person",
    ...rest,
  };
}

function draft(visits: Visit[], over: Partial<Report> = {}, programmeId = "krakow-aou"): Report {
  const base = newReport({ programmeId, month: "2026-11", assistantId: "p-anna-nowak", beneficiaryCode: "KR-AOU-001" });
  return Report.parse({ ...base, visits, ...over });
}

function signed(report: Report, programme: Programme): Report {
  const hash = contentHash(report);
  const withBeneficiary = addSignature(report, { role: "beneficiary", signer: "A.K.", signedAt: "2026-11-30T16:00:00.000Z", evidence: "drawn", imageDataUrl: PNG, contentHash: hash }, programme);
  return addSignature(withBeneficiary, { role: "assistant", signer: "Anna Nowak", signedAt: "2026-11-30T16:01:00.000Z", evidence: "drawn", imageDataUrl: PNG, contentHash: hash }, programme);
}

const order = (orderedMinutes = 6 * 60) => ({ orderedMinutes });
/** Long after every visit of these tests (the future-visit rule has its own tests). */
const NOW = "2030-01-01T00:00:00.000Z";
const ctx = (programme: Programme, otherVisits: OtherVisit[] = [], orderedMinutes = 6 * 60) => ({ programme, otherVisits, order: order(orderedMinutes), now: NOW });

function caught(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error("expected an error");
}

describe("visit rules", () => {
  const rules: [string, () => Programme, Visit, new (...args: never[]) => DomainError, string][] = [
    ["a visit in the next month", krakow, visit("v1", "2026-12-01", "16:00", "17:00"), VisitOutsideMonthError, "VISIT_OUTSIDE_MONTH"],
    ["a visit ending before it starts", krakow, visit("v1", "2026-11-10", "17:00", "16:00"), VisitEndBeforeStartError, "VISIT_END_NOT_AFTER_START"],
    ["a zero-length visit", krakow, visit("v1", "2026-11-10", "17:00", "17:00"), VisitEndBeforeStartError, "VISIT_END_NOT_AFTER_START"],
    ["a 9-hour visit in Kraków (max 8 h)", krakow, visit("v1", "2026-11-10", "09:00", "18:00"), VisitTooLongError, "VISIT_TOO_LONG"],
    ["a 13-hour visit in Wrocław (max 12 h)", wroclaw, visit("v1", "2026-11-10", "08:00", "21:00", { scopeIds: ["everyday"] }), VisitTooLongError, "VISIT_TOO_LONG"],
    ["a Kraków visit crossing midnight", krakow, visit("v1", "2026-11-10", "21:00", "01:00", { endDate: "2026-11-11" }), VisitCrossesMidnightError, "VISIT_CROSSES_MIDNIGHT"],
    ["a Kraków visit at night", krakow, visit("v1", "2026-11-10", "05:00", "07:00"), NightVisitNotAllowedError, "NIGHT_VISIT_NOT_ALLOWED"],
    ["a Kraków visit running past 22:00", krakow, visit("v1", "2026-11-10", "20:00", "22:30"), NightVisitNotAllowedError, "NIGHT_VISIT_NOT_ALLOWED"],
    ["a remote visit without justification", krakow, visit("v1", "2026-11-10", "16:00", "17:00", { mode: "remote" }), JustificationRequiredError, "JUSTIFICATION_REQUIRED"],
    ["a visit without the beneficiary, unjustified", krakow, visit("v1", "2026-11-10", "16:00", "17:00", { mode: "without_beneficiary" }), JustificationRequiredError, "JUSTIFICATION_REQUIRED"],
    ["a mode Wrocław does not offer", wroclaw, visit("v1", "2026-11-10", "16:00", "17:00", { mode: "without_beneficiary", justification: "x", scopeIds: ["everyday"] }), ServiceModeNotAllowedError, "SERVICE_MODE_NOT_ALLOWED"],
    ["an unknown scope", krakow, visit("v1", "2026-11-10", "16:00", "17:00", { scopeIds: ["gardening"] }), UnknownScopeError, "UNKNOWN_SCOPE"],
    ["a date that is not the start's Warsaw date", krakow, { ...visit("v1", "2026-11-10", "16:00", "17:00"), date: "2026-11-11" }, VisitDateMismatchError, "VISIT_DATE_MISMATCH"],
  ];

  it.each(rules)("refuses %s", (_name, programme, v, ErrorClass, code) => {
    const error = caught(() => addVisit(draft([]), v, { programme: programme(), otherVisits: [], now: NOW }));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.code).toBe(code);
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(messageFor(error, "pl")).toBe(error.messages.pl);
    expect(messageFor(error, "en")).toBe(error.messages.en);
    expect(error.messages.pl).not.toBe(error.messages.en);
    expect(error.messages.pl.length).toBeGreaterThan(30);
    expect(reportProblems(signed(draft([v]), programme()), ctx(programme())).some((p) => p instanceof ErrorClass)).toBe(true);
  });

  it("accepts a remote visit with a justification", () => {
    const report = addVisit(draft([]), visit("v1", "2026-11-10", "16:00", "17:00", { mode: "remote", justification: "Uczestnik w szpitalu, rozmowa telefoniczna" }), { programme: krakow(), otherVisits: [], now: NOW });
    expect(report.visits).toHaveLength(1);
  });

  it("accepts a Kraków visit ending exactly at 22:00 and one starting at 06:00", () => {
    const programme = krakow();
    const a = addVisit(draft([]), visit("v1", "2026-11-10", "20:00", "22:00"), { programme, otherVisits: [], now: NOW });
    const b = addVisit(a, visit("v2", "2026-11-11", "06:00", "08:00"), { programme, otherVisits: [], now: NOW });
    expect(b.visits.map((v) => v.id)).toEqual(["v1", "v2"]);
  });

  it("accepts a Wrocław night intervention across midnight and the autumn DST change (9 h)", () => {
    const programme = wroclaw();
    const night = visit("v1", "2026-10-24", "22:00", "06:00", { endDate: "2026-10-25", scopeIds: ["intervention"] });
    const report = addVisit(Report.parse({ ...draft([], {}, "wroclaw-ao"), month: "2026-10" }), night, { programme, otherVisits: [], now: NOW });
    expect(visitMinutes(report.visits[0])).toBe(540);
    expect(priceReport(report, programme)).toMatchObject({ minutes: 540, rateGrosze: 5200, amountGrosze: 46_800 });
  });

  it("counts a night visit across the spring DST change as 7 h", () => {
    const v = visit("v1", "2027-03-27", "22:00", "06:00", { endDate: "2027-03-28" });
    expect(visitMinutes(v)).toBe(420);
  });
});

describe("visits in the future (issue 15, case 7)", () => {
  // Wednesday 18 November 2026, 10:00 in Warsaw (09:00 UTC)
  const now = "2026-11-18T09:00:00.000Z";

  it("refuses a visit dated the 28th logged on the 18th, saying when it ends and what time it is now, in Warsaw time", () => {
    const error = caught(() => addVisit(draft([]), visit("v1", "2026-11-28", "10:00", "12:00"), { programme: krakow(), otherVisits: [], now }));
    expect(error).toBeInstanceOf(VisitInFutureError);
    expect(error.code).toBe("VISIT_IN_FUTURE");
    expect(error.status).toBe(422);
    expect(messageFor(error, "pl")).toContain("28.11.2026, 12:00");
    expect(messageFor(error, "pl")).toContain("18.11.2026, 10:00");
    expect(messageFor(error, "en")).toContain("in the future");
  });

  it("refuses a visit of today that has not ended yet, and accepts one ending right now", () => {
    const programme = krakow();
    expect(() => addVisit(draft([]), visit("v1", "2026-11-18", "09:30", "10:15"), { programme, otherVisits: [], now })).toThrow(VisitInFutureError);
    expect(addVisit(draft([]), visit("v1", "2026-11-18", "09:00", "10:00"), { programme, otherVisits: [], now }).visits).toHaveLength(1);
  });

  it("refuses at submission a draft whose visit ends after the time of submitting", () => {
    const programme = krakow();
    const report = signed(draft([visit("v1", "2026-11-28", "10:00", "12:00")]), programme);
    expect(() => submit(report, { programme, otherVisits: [], order: order() }, now)).toThrow(VisitInFutureError);
    expect(submit(report, { programme, otherVisits: [], order: order() }, "2026-11-28T11:00:00.000Z").status).toBe("submitted");
  });
});

describe("overlaps", () => {
  it("refuses a visit overlapping the same assistant's visit for another beneficiary", () => {
    const other: OtherVisit = { reportId: reportId("krakow-aou", "2026-11", "p-anna-nowak", "KR-AOU-002"), visitId: "x1", start: warsawInstant("2026-11-10", "16:30"), end: warsawInstant("2026-11-10", "18:00") };
    const error = caught(() => addVisit(draft([]), visit("v1", "2026-11-10", "16:00", "17:00"), { programme: krakow(), otherVisits: [other], now: NOW }));
    expect(error).toBeInstanceOf(VisitOverlapError);
    expect(error.details).toMatchObject({ visitId: "v1", other: { visitId: "x1" } });
    // Warsaw wall time, as the assistant typed it — not UTC ISO instants (an hour off in winter)
    expect(messageFor(error, "pl")).toContain("10.11.2026, 16:30–18:00, czas polski");
    expect(messageFor(error, "pl")).not.toMatch(/T\d{2}:\d{2}/);
  });

  it("refuses an overlap with a visit in another programme found at submission", () => {
    const programme = krakow();
    const report = signed(draft([visit("v1", "2026-11-10", "16:00", "17:00")]), programme);
    const other: OtherVisit = { reportId: "r-wroclaw", visitId: "w1", start: warsawInstant("2026-11-10", "15:00"), end: warsawInstant("2026-11-10", "16:01") };
    expect(() => validateForSubmission(report, ctx(programme, [other]))).toThrow(VisitOverlapError);
  });

  it("refuses two overlapping visits in the same report", () => {
    const programme = krakow();
    const first = addVisit(draft([]), visit("v1", "2026-11-10", "16:00", "17:00"), { programme, otherVisits: [], now: NOW });
    expect(() => addVisit(first, visit("v2", "2026-11-10", "16:59", "18:00"), { programme, otherVisits: [], now: NOW })).toThrow(VisitOverlapError);
  });

  it("accepts back-to-back visits", () => {
    const programme = krakow();
    const other: OtherVisit = { reportId: "r-other", visitId: "x1", start: warsawInstant("2026-11-10", "15:00"), end: warsawInstant("2026-11-10", "16:00") };
    const report = signed(draft([visit("v1", "2026-11-10", "16:00", "17:00"), visit("v2", "2026-11-10", "17:00", "18:00")]), programme);
    expect(reportProblems(report, ctx(programme, [other]))).toEqual([]);
  });

  it("ignores stored copies of the report's own visits passed as other visits", () => {
    const programme = krakow();
    const report = signed(draft([visit("v1", "2026-11-10", "16:00", "17:00")]), programme);
    const ownCopy: OtherVisit = { reportId: report.id, visitId: "v1", start: report.visits[0].start, end: report.visits[0].end };
    expect(reportProblems(report, ctx(programme, [ownCopy]))).toEqual([]);
  });
});

describe("service orders", () => {
  const orderFor = (code: string) =>
    newServiceOrder({ programmeId: "krakow-aou", month: "2026-11", assistantId: "p-anna-nowak", beneficiaryCode: code, orderedMinutes: 360, issuedBy: "p-krakow-coordinator", issuedAt: "2026-11-01T07:00:00.000Z" });
  const six = () => ["KR-AOU-001", "KR-AOU-002", "KR-AOU-003", "KR-AOU-004", "KR-AOU-005", "KR-AOU-006"].map(orderFor);

  it("refuses a 7th beneficiary for a Kraków assistant", () => {
    const error = caught(() => checkCaseload(six(), orderFor("KR-AOU-007"), krakow()));
    expect(error).toBeInstanceOf(CaseloadExceededError);
    expect(error.messages.pl).toContain("6");
    expect(error.messages.en).toContain("Assign the beneficiary to another assistant");
  });

  it("accepts the 6th beneficiary and a re-issued order for one already assigned", () => {
    expect(() => checkCaseload(six().slice(0, 5), orderFor("KR-AOU-006"), krakow())).not.toThrow();
    expect(() => checkCaseload(six(), orderFor("KR-AOU-003"), krakow())).not.toThrow();
  });

  it("gives the same order the same id", () => {
    expect(orderFor("KR-AOU-001").id).toBe(orderFor("KR-AOU-001").id);
    expect(orderFor("KR-AOU-001").id).not.toBe(orderFor("KR-AOU-002").id);
  });
});

describe("hours against the order", () => {
  it("refuses hours above the order where the policy is refuse (Wrocław)", () => {
    const programme = wroclaw();
    const report = signed(draft([visit("v1", "2026-11-10", "08:00", "12:00", { scopeIds: ["everyday"] })], {}, "wroclaw-ao"), programme);
    expect(() => validateForSubmission(report, ctx(programme, [], 180))).toThrow(OrderExceededError);
  });

  it("asks for an explanation where the policy is explain (Kraków), then accepts it", () => {
    const programme = krakow();
    const report = signed(draft([visit("v1", "2026-11-10", "12:00", "19:00")]), programme);
    expect(() => validateForSubmission(report, ctx(programme, [], 360))).toThrow(OverOrderExplanationRequiredError);
    const explained = setOverOrderExplanation(report, "Pilna sprawa mieszkaniowa, uzgodniona z koordynatorem");
    expect(contentHash(explained)).toBe(contentHash(report));
    expect(() => validateForSubmission(explained, ctx(programme, [], 360))).not.toThrow();
  });

  it("refuses a report without an order and an empty report", () => {
    const programme = krakow();
    expect(() => validateForSubmission(signed(draft([visit("v1", "2026-11-10", "16:00", "17:00")]), programme), { programme, otherVisits: [], now: NOW, order: undefined })).toThrow(NoServiceOrderError);
    expect(() => validateForSubmission(signed(draft([]), programme), ctx(programme))).toThrow(ReportEmptyError);
  });
});

describe("signatures", () => {
  it("requires both signatures", () => {
    const programme = krakow();
    const report = draft([visit("v1", "2026-11-10", "16:00", "17:00")]);
    const problems = reportProblems(report, ctx(programme));
    expect(problems.filter((p) => p instanceof SignatureMissingError).map((p) => (p.details as { role: string }).role)).toEqual(["beneficiary", "assistant"]);
  });

  it("binds a signature to the content hash: a signature on other content is refused", () => {
    const programme = krakow();
    const report = draft([visit("v1", "2026-11-10", "16:00", "17:00")]);
    const otherHash = contentHash(draft([visit("v1", "2026-11-10", "16:00", "17:30")]));
    expect(() => addSignature(report, { role: "beneficiary", signer: "A.K.", signedAt: "2026-11-30T16:00:00.000Z", evidence: "drawn", imageDataUrl: PNG, contentHash: otherHash }, programme)).toThrow(SignatureStaleError);
  });

  it("drops signatures when a visit changes, and finds stale ones if content changed behind its back", () => {
    const programme = krakow();
    const report = signed(draft([visit("v1", "2026-11-10", "16:00", "17:00")]), programme);
    expect(report.signatures).toHaveLength(2);
    const edited = updateVisit(report, visit("v1", "2026-11-10", "16:00", "17:30"), { programme, otherVisits: [], now: NOW });
    expect(edited.signatures).toEqual([]);
    const tampered = Report.parse({ ...report, visits: [visit("v1", "2026-11-10", "16:00", "17:30")] });
    expect(reportProblems(tampered, ctx(programme)).filter((p) => p instanceof SignatureStaleError)).toHaveLength(2);
  });

  it("refuses evidence the programme does not accept and oversized images", () => {
    const programme = wroclaw();
    const report = draft([], {}, "wroclaw-ao");
    const hash = contentHash(report);
    expect(() => addSignature(report, { role: "beneficiary", signer: "B.M.", signedAt: "2026-11-30T16:00:00.000Z", evidence: "paper_scan", paperScanKey: "scans/1.pdf", contentHash: hash }, programme)).toThrow(SignatureEvidenceNotAcceptedError);
    const huge = "data:image/png;base64," + "A".repeat(200_000);
    expect(() => addSignature(report, { role: "beneficiary", signer: "B.M.", signedAt: "2026-11-30T16:00:00.000Z", evidence: "drawn", imageDataUrl: huge, contentHash: hash }, programme)).toThrow(SignatureTooLargeError);
  });
});

describe("content hash", () => {
  it("is a stable SHA-256 of the content, independent of visit order, signatures and status", () => {
    const a = draft([visit("v1", "2026-11-10", "16:00", "17:00"), visit("v2", "2026-11-12", "16:00", "17:00")]);
    const b = draft([visit("v2", "2026-11-12", "16:00", "17:00"), visit("v1", "2026-11-10", "16:00", "17:00")]);
    expect(contentHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(contentHash(a)).toBe(contentHash(b));
    expect(contentHash({ ...a, status: "submitted" })).toBe(contentHash(a));
    expect(contentHash(signed(a, krakow()))).toBe(contentHash(a));
    expect(contentHash({ ...a, version: 2 })).not.toBe(contentHash(a));
    expect(contentHash(draft([visit("v1", "2026-11-10", "16:00", "17:01")]))).not.toBe(contentHash(draft([visit("v1", "2026-11-10", "16:00", "17:00")])));
  });
});

describe("lifecycle", () => {
  const now = "2026-11-30T17:00:00.000Z";
  const submitted = () => {
    const programme = krakow();
    return submit(signed(draft([visit("v1", "2026-11-10", "16:00", "17:00")]), programme), ctx(programme), now);
  };
  const decision = (report: Report) => ({ by: "p-krakow-approver", version: report.version, contentHash: contentHash(report) });

  it("submits a valid draft, on time before the deadline and late after it", () => {
    const report = submitted();
    expect(report).toMatchObject({ status: "submitted", version: 1, submittedAt: now, late: false });
    const programme = krakow();
    const late = submit(signed(draft([visit("v1", "2026-11-10", "16:00", "17:00")]), programme), ctx(programme), "2026-12-03T23:00:00.000Z");
    expect(late.late).toBe(true);
    const lastMinute = submit(signed(draft([visit("v1", "2026-11-10", "16:00", "17:00")]), programme), ctx(programme), "2026-12-03T22:59:59.000Z");
    expect(lastMinute.late).toBe(false);
  });

  it("refuses edits after submission and after approval", () => {
    const programme = krakow();
    const report = submitted();
    expect(() => addVisit(report, visit("v2", "2026-11-12", "16:00", "17:00"), { programme, otherVisits: [], now: NOW })).toThrow(ReportLockedError);
    const approved = approve(report, decision(report), "2026-12-04T09:00:00.000Z");
    expect(approved).toMatchObject({ status: "approved", decidedBy: "p-krakow-approver", decidedAt: "2026-12-04T09:00:00.000Z" });
    expect(() => removeVisit(approved, "v1", krakow())).toThrow(ReportLockedError);
    expect(() => submit(approved, ctx(programme), now)).toThrow(InvalidTransitionError);
    expect(() => approve(approved, decision(approved), now)).toThrow(InvalidTransitionError);
  });

  it("requires a reason to return a report", () => {
    const report = submitted();
    expect(() => returnReport(report, { ...decision(report), reason: "  " }, now)).toThrow(ReturnReasonRequiredError);
  });

  it("starts a new version when a returned report is corrected, and refuses decisions on the old one", () => {
    const programme = krakow();
    const v1 = submitted();
    const returned = returnReport(v1, { ...decision(v1), reason: "Brak zakresu usługi w wizycie z 10.11" }, "2026-12-04T09:00:00.000Z");
    expect(returned).toMatchObject({ status: "returned", version: 1, returnReason: "Brak zakresu usługi w wizycie z 10.11" });
    const corrected = updateVisit(returned, visit("v1", "2026-11-10", "16:00", "17:00", { scopeIds: ["t05-job-activation", "work"] }), { programme, otherVisits: [], now: NOW });
    expect(corrected).toMatchObject({ status: "draft", version: 2, signatures: [] });
    const v2 = submit(signed(corrected, programme), ctx(programme), "2026-12-05T09:00:00.000Z");
    expect(v2).toMatchObject({ status: "submitted", version: 2 });
    expect(v2.returnReason).toBeUndefined();
    const error = caught(() => approve(v2, decision(v1), "2026-12-06T09:00:00.000Z"));
    expect(error).toBeInstanceOf(StaleVersionError);
    expect(error.messages.en).toContain("version 1");
    expect(approve(v2, decision(v2), "2026-12-06T09:00:00.000Z").status).toBe("approved");
  });

  it("refuses a decision whose content hash differs from the submitted content", () => {
    const report = submitted();
    expect(() => approve(report, { ...decision(report), contentHash: "0".repeat(64) }, now)).toThrow(StaleVersionError);
  });
});

describe("pricing", () => {
  it("prices 36 h at 96 zł as 3 456,00 zł", () => {
    const visits = Array.from({ length: 12 }, (_, i) => visit(`v${i}`, `2026-11-${String(i + 2).padStart(2, "0")}`, "14:00", "17:00"));
    expect(priceReport(draft(visits), krakow())).toMatchObject({ minutes: 2160, rateGrosze: 9600, amountGrosze: 345_600 });
  });

  // Its speed (≤ 2 ms CPU) is a benchmark target (npm run bench), not a timed test.
  it("validates and prices a valid 60-visit report without a problem", () => {
    const programme = { ...krakow(), maxVisitMinutes: 24 * 60 };
    const visits = Array.from({ length: 60 }, (_, i) => visit(`v${i}`, `2026-11-${String((i % 30) + 1).padStart(2, "0")}`, i < 30 ? "08:00" : "12:00", i < 30 ? "09:00" : "13:00"));
    const report = signed(draft(visits), programme);
    const context = ctx(programme, [], 60 * 60);
    expect(reportProblems(report, context)).toEqual([]);
    expect(() => validateForSubmission(report, context)).not.toThrow();
    expect(priceReport(report, programme)).toMatchObject({ minutes: 3600, amountGrosze: 576_000 });
  });
});

describe("beneficiary data", () => {
  it("keeps only a code and initials and refuses anything else (GDPR art. 9)", () => {
    expect(Beneficiary.parse({ programmeId: "krakow-aou", code: "kr-aou-001", initials: "A.K." })).toEqual({ programmeId: "krakow-aou", code: "KR-AOU-001", initials: "A.K.", active: true });
    expect(Beneficiary.safeParse({ programmeId: "krakow-aou", code: "KR-AOU-001", initials: "A.K.", pesel: "90010112345" }).success).toBe(false);
    expect(Beneficiary.safeParse({ programmeId: "krakow-aou", code: "KR-AOU-001", initials: "Anna Kowalska" }).success).toBe(false);
  });
});
