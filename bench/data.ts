import { warsawInstant } from "../functions/core/calendar.js";
import { Person } from "../functions/core/person.js";
import { type Programme, seedProgramme } from "../functions/core/programme.js";
import { addSignature, contentHash, newReport, Report, type Visit } from "../functions/core/report.js";
import { newServiceOrder, type ServiceOrder } from "../functions/core/service-order.js";

/** A 1×1 PNG: the smallest drawn signature the schema accepts. */
export const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

export const BENCH_MONTH = "2026-11";

/** A bench programme: Kraków's rules under its own id, approvers and finance of the bench. */
export function benchProgramme(id = "bench-national"): Programme {
  const base = structuredClone(seedProgramme("krakow-aou")!);
  return {
    ...base,
    id,
    name: { pl: "Program krajowy (pomiar)", en: "National programme (benchmark)" },
    approverIds: [`${id}-approver`],
    deputyApproverId: `${id}-deputy`,
    coordinatorIds: [`${id}-coordinator`],
    financeEmails: ["finanse@bench.example.pl"],
  };
}

export function benchStaff(programme: Programme): Person[] {
  const p = programme.id;
  return [
    { id: `${p}-approver`, email: `zatwierdzajacy@${p}.example.pl`, name: "Zatwierdzający (pomiar)", role: "approver" as const },
    { id: `${p}-deputy`, email: `zastepca@${p}.example.pl`, name: "Zastępca (pomiar)", role: "approver" as const },
    { id: `${p}-coordinator`, email: `koordynator@${p}.example.pl`, name: "Koordynator (pomiar)", role: "coordinator" as const },
    { id: `${p}-finance`, email: `finanse@${p}.example.pl`, name: "Księgowość (pomiar)", role: "finance" as const },
  ].map(({ role, ...person }) => Person.parse({ ...person, roles: [{ programmeId: p, role }] }));
}

export const assistantId = (programmeId: string, a: number) => `${programmeId}-a${String(a).padStart(6, "0")}`;
export const beneficiaryCode = (a: number, b: number) => `BN-${String(a).padStart(6, "0")}-${b}`;

export function benchAssistant(programme: Programme, a: number): Person {
  return Person.parse({
    id: assistantId(programme.id, a),
    email: `asystent${a}@bench.example.pl`,
    name: `Asystentka Żółkiewska ${a}`,
    roles: [{ programmeId: programme.id, role: "assistant" }],
    contractNumber: `BEN/${a}/2026`,
    bankAccount: `61109010140000071219${String(a % 1_000_000).padStart(6, "0")}`,
  });
}

/** Assistant `a` serves beneficiary `b` (0-based) on days and hours that never overlap across beneficiaries. */
export function benchVisits(a: number, b: number, visits: number, month = BENCH_MONTH, stride = 6): Visit[] {
  const out: Visit[] = [];
  for (let i = 0; i < visits; i++) {
    // Working hours 08:00–20:00, 12 one-hour slots per day over days 1..28: slot = b + stride × i.
    const slot = b + stride * i;
    const day = 1 + (Math.floor(slot / 12) % 28);
    const hour = 8 + (slot % 12);
    const date = `${month}-${String(day).padStart(2, "0")}`;
    const hh = (h: number) => `${String(h).padStart(2, "0")}:00`;
    out.push({ id: `v${i}`, date, start: warsawInstant(date, hh(hour)), end: warsawInstant(date, hh(hour + 1)), scopeIds: ["t05-job-activation"], mode: "in_person" });
  }
  return out;
}

export function benchOrder(programme: Programme, a: number, b: number, orderedMinutes: number, month = BENCH_MONTH): ServiceOrder {
  return newServiceOrder({
    programmeId: programme.id,
    month,
    assistantId: assistantId(programme.id, a),
    beneficiaryCode: beneficiaryCode(a, b),
    orderedMinutes,
    issuedBy: `${programme.id}-coordinator`,
    issuedAt: `${month}-01T07:00:00.000Z`,
  });
}

/** A signed draft ready to submit, with `visits` one-hour visits. */
export function signedReport(programme: Programme, a: number, b: number, visits: number, month = BENCH_MONTH, stride = 6): Report {
  const draft = Report.parse({
    ...newReport({ programmeId: programme.id, month, assistantId: assistantId(programme.id, a), beneficiaryCode: beneficiaryCode(a, b) }),
    visits: benchVisits(a, b, visits, month, stride),
  });
  const hash = contentHash(draft);
  const signedAt = `${month}-28T18:00:00.000Z`;
  const one = addSignature(draft, { role: "beneficiary", signer: "A.K.", signedAt, evidence: "drawn", imageDataUrl: PNG, contentHash: hash }, programme);
  return addSignature(one, { role: "assistant", signer: `Asystentka ${a}`, signedAt, evidence: "drawn", imageDataUrl: PNG, contentHash: hash }, programme);
}
