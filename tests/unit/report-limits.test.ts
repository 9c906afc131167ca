import { describe, expect, it } from "vitest";
import { warsawInstant } from "../../functions/core/calendar.js";
import { ReportTooLargeError, TooManyVisitsError } from "../../functions/core/errors.js";
import { seedProgramme, type Programme } from "../../functions/core/programme.js";
import {
  addVisit,
  MAX_REPORT_BYTES,
  MAX_SIGNATURE_IMAGE_CHARS,
  MAX_VISITS_PER_REPORT,
  newReport,
  Report,
  reportBytes,
  requireStorableSize,
  type Visit,
} from "../../functions/core/report.js";

const programme = (): Programme => structuredClone(seedProgramme("krakow-aou")!);
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
/** Visit i: 20 minutes, 5 a day from 08:00, from 1 November. */
const visit = (i: number, extra: Partial<Visit> = {}): Visit => {
  const date = `2026-11-${String(1 + Math.floor(i / 5)).padStart(2, "0")}`;
  const start = 8 * 60 + (i % 5) * 60;
  return { id: `v${i}`, date, start: warsawInstant(date, hhmm(start)), end: warsawInstant(date, hhmm(start + 20)), scopeIds: ["t05-job-activation"], mode: "in_person", ...extra };
};
const draft = (visits: Visit[]): Report =>
  Report.parse({ ...newReport({ programmeId: "krakow-aou", month: "2026-11", assistantId: "p-anna-nowak", beneficiaryCode: "KR-AOU-001" }), visits });
const ctx = { programme: programme(), otherVisits: [], now: "2026-12-01T10:00:00.000Z" };
const signature = (role: "beneficiary" | "assistant") => ({
  role,
  signer: "Anna Nowak",
  signedAt: "2026-12-01T09:00:00.000Z",
  evidence: "drawn" as const,
  imageDataUrl: "data:image/png;base64," + "A".repeat(MAX_SIGNATURE_IMAGE_CHARS - 22),
  contentHash: "0".repeat(64),
});

describe("report size limits", () => {
  it(`holds ${MAX_VISITS_PER_REPORT} visits (4 a day for 31 days) and refuses one more`, () => {
    const full = draft(Array.from({ length: MAX_VISITS_PER_REPORT - 1 }, (_, i) => visit(i)));
    const last = addVisit(full, visit(MAX_VISITS_PER_REPORT - 1), ctx);
    expect(last.visits).toHaveLength(MAX_VISITS_PER_REPORT);
    expect(() => addVisit(last, visit(MAX_VISITS_PER_REPORT, { date: "2026-11-30", start: warsawInstant("2026-11-30", "19:00"), end: warsawInstant("2026-11-30", "19:20") }), ctx)).toThrow(TooManyVisitsError);
  });

  it("fits two maximum-size signatures and the most visits with ordinary notes in one item", () => {
    const report = draft(Array.from({ length: MAX_VISITS_PER_REPORT }, (_, i) => visit(i, { note: "Zakupy, apteka, spacer; rozmowa o planie tygodnia.".padEnd(120, ".") })));
    const signedReport = { ...report, signatures: [signature("beneficiary"), signature("assistant")] };
    expect(reportBytes(signedReport)).toBeLessThan(MAX_REPORT_BYTES);
    expect(() => requireStorableSize(signedReport)).not.toThrow();
  });

  it("refuses a report over the item budget with 413 naming the limit", () => {
    const big = draft(Array.from({ length: 100 }, (_, i) => visit(i, { note: "€".repeat(500), justification: "€".repeat(1000) })));
    expect(reportBytes(big)).toBeGreaterThan(MAX_REPORT_BYTES);
    const error = (() => {
      try {
        requireStorableSize(big);
      } catch (e) {
        return e as ReportTooLargeError;
      }
    })();
    expect(error).toBeInstanceOf(ReportTooLargeError);
    expect(error!.status).toBe(413);
    expect(error!.messages.en).toContain(String(MAX_REPORT_BYTES));
    expect(error!.messages.pl).toContain(String(MAX_REPORT_BYTES));
  });

  it("stays below DynamoDB's 400 KB item with room for the keys", () => {
    expect(MAX_REPORT_BYTES).toBeLessThanOrEqual(400 * 1024 - 8 * 1024);
  });
});
