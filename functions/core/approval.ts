import { createHash } from "node:crypto";
import * as z from "zod";
import { addWorkingDays, Instant, Month, warsawDate, warsawInstant, warsawWall, workingDaysBetween } from "./calendar.js";
import { BeneficiaryCode } from "./beneficiary.js";
import { DomainError } from "./errors.js";
import { PersonId } from "./person.js";
import type { Programme } from "./programme.js";
import { approve, returnReport, type Report } from "./report.js";

/** A link e-mailed to one person: the signature binds it to that person and the expiry. */
export const ApprovalLink = z.object({
  approverId: PersonId,
  issuedAt: Instant,
  expiresAt: Instant,
});
export type ApprovalLink = z.infer<typeof ApprovalLink>;

export const ApprovalOutcome = z.enum(["approved", "returned"]);
export type ApprovalOutcome = z.infer<typeof ApprovalOutcome>;

export const ApprovalDecision = z.object({
  outcome: ApprovalOutcome,
  reason: z.string().optional(),
  by: PersonId,
  at: Instant,
  /** "link:<approver the link was made for>" or "session". */
  via: z.string().max(200),
});
export type ApprovalDecision = z.infer<typeof ApprovalDecision>;

/** The request for a decision on one submitted report version (one per version, id derived from it). */
export const Approval = z.object({
  id: z.string().regex(/^a[0-9a-f]{24}$/),
  reportId: z.string().min(1),
  version: z.number().int().positive(),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  programmeId: z.string().min(1),
  month: Month,
  assistantId: PersonId,
  beneficiaryCode: BeneficiaryCode,
  status: z.enum(["pending", "approved", "returned", "superseded"]),
  createdAt: Instant,
  /** Links handed out, by purpose (`ask:<person>`, `remind-1:<person>`…); a link verifies against one of them. */
  links: z.record(z.string(), ApprovalLink).default({}),
  decision: ApprovalDecision.optional(),
});
export type Approval = z.infer<typeof Approval>;

/** What the approver sends, from the link's form or the web app. */
export const DecisionInput = z.object({
  outcome: z.enum(["approve", "return"]),
  reason: z.string().trim().max(2000).optional(),
});
export type DecisionInput = z.infer<typeof DecisionInput>;

/** What the "Ask the approver" task returns (SendTaskSuccess output). */
export type TaskDecision = { outcome: ApprovalOutcome | "superseded"; reason?: string; by?: string; at?: string };

/** An approval link is valid 7 days after it is issued. */
export const APPROVAL_LINK_SECONDS = 7 * 24 * 60 * 60;

export class ApprovalLinkInvalidError extends DomainError {
  constructor() {
    super("APPROVAL_LINK_INVALID", 403, {
      pl: "Ten link do zatwierdzenia jest nieprawidłowy (niepełny lub zmieniony). Otwórz link dokładnie tak, jak przyszedł w wiadomości, albo zatwierdź sprawozdanie w aplikacji.",
      en: "This approval link is not valid (incomplete or altered). Open the link exactly as it came in the e-mail, or decide in the web app.",
    });
  }
}

export class ApprovalLinkExpiredError extends DomainError {
  constructor(expiresAt: string) {
    super("APPROVAL_LINK_EXPIRED", 410, {
      pl: `Ten link do zatwierdzenia wygasł (${expiresAt}). Zaloguj się do aplikacji i rozpatrz sprawozdanie z listy oczekujących.`,
      en: `This approval link expired (${expiresAt}). Sign in to the web app and decide on the report from the pending list.`,
    }, { details: { expiresAt } });
  }
}

export class ApprovalAlreadyDecidedError extends DomainError {
  constructor(approvalId: string, outcome?: string) {
    super("APPROVAL_ALREADY_DECIDED", 410, {
      pl: `To sprawozdanie zostało już rozpatrzone (${outcome === "approved" ? "zatwierdzone" : outcome === "returned" ? "zwrócone do poprawy" : "decyzja zapisana"}). Link można użyć tylko raz; nic nie zmieniono.`,
      en: `This report has already been decided (${outcome ?? "decision recorded"}). A link can be used once; nothing was changed.`,
    }, { details: { approvalId, outcome } });
  }
}

export class ApprovalSupersededError extends DomainError {
  constructor(approvalId: string, version: number) {
    super("APPROVAL_SUPERSEDED", 409, {
      pl: `Ten link dotyczy wersji ${version} sprawozdania, która nie jest już aktualna. Rozpatrz aktualną wersję z nowej wiadomości lub w aplikacji; nic nie zmieniono.`,
      en: `This link is for version ${version} of the report, which is no longer current. Decide on the current version from the newer e-mail or in the web app; nothing was changed.`,
    }, { details: { approvalId, version } });
  }
}

/** The approval id of a report version: deterministic, so preparing it twice finds the same record. */
export function approvalId(reportId: string, version: number): string {
  return "a" + createHash("sha256").update(`${reportId}\u0000${version}`).digest("hex").slice(0, 24);
}

/** A new pending approval for a submitted version. */
export function newApproval(report: Report & { contentHash: string }, now: Date): Approval {
  return Approval.parse({
    id: approvalId(report.id, report.version),
    reportId: report.id,
    version: report.version,
    contentHash: report.contentHash,
    programmeId: report.programmeId,
    month: report.month,
    assistantId: report.assistantId,
    beneficiaryCode: report.beneficiaryCode,
    status: "pending",
    createdAt: now.toISOString(),
    links: {},
  });
}

/**
 * The approval workflow's execution for a submitted report version: its name (the idempotency
 * key: a retried start finds it) and its input, the ask's explicit timeout counted from the
 * submission, so a retry computes the same input.
 */
export function approvalExecution(
  report: Pick<Report, "id" | "version" | "programmeId" | "submittedAt">,
  programme: Pick<Programme, "approvalTimeoutWorkingDays" | "extraDaysOff">,
) {
  if (!report.submittedAt) throw new Error(`report ${report.id} v${report.version} has no submission time`);
  return {
    name: `report-${report.id}-v${report.version}`,
    input: {
      reportId: report.id,
      version: report.version,
      programmeId: report.programmeId,
      approval: { approvalId: approvalId(report.id, report.version), attempt: 0, timeoutSeconds: approvalTimeoutSeconds(new Date(report.submittedAt), programme) },
    },
  };
}

/**
 * Seconds from `now` to the same Warsaw wall time `approvalTimeoutWorkingDays` working days
 * later: the explicit timeout of "Ask the approver".
 */
export function approvalTimeoutSeconds(now: Date, programme: Pick<Programme, "approvalTimeoutWorkingDays" | "extraDaysOff">): number {
  const wall = warsawWall(now.getTime());
  const until = warsawInstant(addWorkingDays(wall.date, programme.approvalTimeoutWorkingDays, programme.extraDaysOff), wall.time);
  return Math.max(60, Math.round((Date.parse(until) - now.getTime()) / 1000));
}

/** Who gets the e-mail after the n-th timeout: the approvers first, then also the deputy. */
export function reminderRecipients(programme: Pick<Programme, "approverIds" | "deputyApproverId">, attempt: number): { personId: string; escalation: boolean }[] {
  const approvers = programme.approverIds.map((personId) => ({ personId, escalation: false }));
  if (attempt < 2 || !programme.deputyApproverId || programme.approverIds.includes(programme.deputyApproverId)) return approvers;
  return [...approvers, { personId: programme.deputyApproverId, escalation: true }];
}

/**
 * The pending approvals a reminder digest lists, oldest first, counted in working days from
 * the Warsaw date the approval was asked for to today's (so every digest of a day lists the
 * same approvals, whenever it goes out):
 * - to the approvers: waiting at least the sooner of `approverReminderAfterWorkingDays` (the
 *   cycle's daily check) and `approvalTimeoutWorkingDays` (the first timeout of the approval);
 * - to the deputy: waiting at least two timeouts, `2 × approvalTimeoutWorkingDays` (escalation).
 */
export function approvalsDueForReminder(
  approvals: readonly Approval[],
  programme: Pick<Programme, "approverReminderAfterWorkingDays" | "approvalTimeoutWorkingDays" | "extraDaysOff">,
  now: string,
  to: "approvers" | "deputy",
): Approval[] {
  const today = warsawDate(now);
  const after = to === "deputy" ? 2 * programme.approvalTimeoutWorkingDays : Math.min(programme.approverReminderAfterWorkingDays, programme.approvalTimeoutWorkingDays);
  return approvals
    .filter((a) => a.status === "pending" && workingDaysBetween(warsawDate(a.createdAt), today, programme.extraDaysOff) >= after)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** Refuses a decision on an approval that is no longer open, or on a version that is no longer current. */
export function assertOpen(approval: Approval, currentReport: Pick<Report, "version">): void {
  if (approval.status === "superseded" || currentReport.version !== approval.version) throw new ApprovalSupersededError(approval.id, approval.version);
  if (approval.status !== "pending") throw new ApprovalAlreadyDecidedError(approval.id, approval.decision?.outcome);
}

/** Applies an approver's decision to the report version the approval was made for. */
export function decide(
  approval: Approval,
  report: Report,
  input: DecisionInput,
  actor: { by: string; via: string },
  now: Date,
): { report: Report; decision: ApprovalDecision } {
  assertOpen(approval, report);
  const at = now.toISOString();
  const base = { by: actor.by, version: approval.version, contentHash: approval.contentHash };
  if (input.outcome === "approve") {
    return { report: approve(report, base, at), decision: { outcome: "approved", by: actor.by, at, via: actor.via } };
  }
  const decided = returnReport(report, { ...base, reason: input.reason ?? "" }, at);
  return { report: decided, decision: { outcome: "returned", reason: decided.returnReason, by: actor.by, at, via: actor.via } };
}
