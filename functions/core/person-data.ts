import { warsawDate } from "./calendar.js";
import type { AuditEvent } from "./audit-event.js";
import type { Approval } from "./approval.js";
import { ForbiddenError } from "./auth.js";
import { hasRole, type Person } from "./person.js";
import type { Report, Signature } from "./report.js";

/** Version of the export's layout, so a reader knows what the fields mean. */
export const PERSON_DATA_FORMAT = "karta-person-data/1";

/** What Karta holds about one person, as the adapters read it (GDPR art. 15). */
export interface PersonData {
  person: Person;
  contracts: { programmeId: string }[];
  contractChanges: { after: { programmeId: string } }[];
  reports: { report: Report; versions: Report[]; auditEvents: AuditEvent[] }[];
  /** Approvals the person decided (found through their own audit events). */
  decisions: Approval[];
  /** Audit events naming the person as the actor, on any report. */
  actions: AuditEvent[];
  /** Events about the person (earlier exports of their data). */
  personEvents: unknown[];
  sessions: { kind: "session" | "signInLink"; createdAt: string; expiresAt: string; usedAt?: string }[];
  emails: { outboxKey: string; subject?: string; status?: string; createdAt?: string; sentAt?: string }[];
}

/**
 * A signature as the export shows it: who signed, when and how, without the image. The
 * beneficiary's signature is the beneficiary's data, not the person's; both images stay in the
 * report card the centre can print (docs/data-protection.md).
 */
function signatureWithoutImage({ imageDataUrl, ...rest }: Signature): Omit<Signature, "imageDataUrl"> & { image?: string } {
  return { ...rest, ...(imageDataUrl ? { image: `PNG stored in Karta (${imageDataUrl.length} characters), not exported` } : {}) };
}

const withoutImages = (r: Report) => ({ ...r, signatures: r.signatures.map(signatureWithoutImage) });

/**
 * The programmes whose data a viewer may export: every one for the person themself and the
 * centre's administrator (the complete answer to an art. 15 request), otherwise the person's
 * programmes the viewer administers.
 */
export function dataExportScope(viewer: Pick<Person, "id" | "roles" | "centreAdmin">, subject: Pick<Person, "id" | "roles">): "all" | string[] {
  if (viewer.id === subject.id || viewer.centreAdmin) return "all";
  return [...new Set(subject.roles.map((r) => r.programmeId))].filter((p) => hasRole(viewer, p, "admin")).sort();
}

/** Only what belongs to the scope's programmes; an action counts when its report is among the exported reports or decisions. */
function scoped(data: PersonData, scope: "all" | string[]): PersonData {
  if (scope === "all") return data;
  const inScope = (programmeId: string) => scope.includes(programmeId);
  const reports = data.reports.filter((r) => inScope(r.report.programmeId));
  const decisions = data.decisions.filter((a) => inScope(a.programmeId));
  const reportIds = new Set([...reports.map((r) => r.report.id), ...decisions.map((a) => a.reportId)]);
  return {
    ...data,
    contracts: data.contracts.filter((c) => inScope(c.programmeId)),
    contractChanges: data.contractChanges.filter((c) => inScope(c.after.programmeId)),
    reports,
    decisions,
    actions: data.actions.filter((a) => reportIds.has(a.reportId)),
  };
}

/**
 * The export document: the person's data within `scope` (dataExportScope) with what it is and
 * who asked for it, in Polish and English.
 */
export function personDataExport(all: PersonData, exportedBy: string, now: Date, scope: "all" | string[] = "all") {
  const data = scoped(all, scope);
  return {
    format: PERSON_DATA_FORMAT,
    about: {
      pl: "Dane osobowe przechowywane w Karcie o tej osobie (art. 15 RODO): dane osoby, role, umowy, sprawozdania i wizyty, decyzje, zdarzenia audytu, sesje (bez tokenów) i wysłane do niej e-maile (bez treści). Obrazy podpisów nie są eksportowane.",
      en: "The personal data Karta holds about this person (GDPR art. 15): the person, roles, contracts, reports and visits, decisions, audit events, sessions (no tokens) and e-mails sent to them (no contents). Signature images are not exported.",
    },
    exportedAt: now.toISOString(),
    exportedBy,
    /** "all", or the programmes an admin of only some of the person's programmes may see (the centre's administrator exports everything). */
    scope,
    person: data.person,
    roles: data.person.roles,
    contracts: data.contracts,
    contractChanges: data.contractChanges,
    reports: data.reports.map(({ report, versions, auditEvents }) => ({ ...withoutImages(report), versions: versions.map(withoutImages), auditEvents })),
    decisions: data.decisions.map(({ links: _links, ...approval }) => approval),
    actions: data.actions,
    personEvents: data.personEvents,
    sessions: data.sessions,
    emails: data.emails,
  };
}

/** The file name of a person's export: `karta-dane-<personId>-<Warsaw date>.json`. */
export function personDataFileName(personId: string, now: Date): string {
  return `karta-dane-${personId}-${warsawDate(now.toISOString())}.json`;
}

/**
 * Who may export a person's data: the person themself, the centre's administrator, and an admin
 * of a programme the person has a role in (the controller's staff answering the request).
 */
export function requireDataExportAccess(viewer: Pick<Person, "id" | "roles" | "centreAdmin">, subject: Pick<Person, "id" | "roles">): void {
  if (viewer.id === subject.id || viewer.centreAdmin) return;
  if (subject.roles.some((r) => hasRole(viewer, r.programmeId, "admin"))) return;
  throw new ForbiddenError("admin of the person's programme, or the person themself");
}
