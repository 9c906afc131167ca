import { APPROVAL_LINK_SECONDS, approvalsDueForReminder, type Approval } from "../../core/approval.js";
import { approvalUrl, signApprovalLink } from "../../core/approval-link.js";
import { after } from "../../core/auth.js";
import { warsawDate } from "../../core/calendar.js";
import { approvalEmail, type ApprovalEmailKind } from "../../core/email/approval-email.js";
import { approverDigestEmail, DIGEST_MAX_LINKS, type DigestEntry } from "../../core/email/approver-digest-email.js";
import type { Person } from "../../core/person.js";
import type { Programme } from "../../core/programme.js";
import type { Report } from "../../core/report.js";
import { pendingApprovalsOfProgramme, recordLink } from "../../adapters/approvals.js";
import { claimOutbox, releaseOutbox, sendOnce, type SendResult } from "../../adapters/email.js";
import { outboxKeys } from "../../adapters/keys.js";
import { findPerson } from "../../adapters/people.js";
import { logger } from "../../adapters/observability.js";
import { getReportVersion } from "../../adapters/reports.js";
import { versionChanges } from "../../core/version-changes.js";
import { appUrl } from "../../adapters/config.js";
import { linkSecret } from "../../adapters/secrets.js";

/**
 * E-mails one person a signed link to the approval. The link is recorded under its purpose
 * first (a re-run signs the same link), and the e-mail goes at most once per purpose.
 */
export async function emailApprovalLink(args: {
  approval: Approval;
  programme: Programme;
  personId: string;
  purpose: string;
  kind: ApprovalEmailKind;
  now: Date;
  /** The submitted version and its assistant, read by the caller (one batched read for all approvers). */
  report: Report & { contentHash: string };
  assistant: Person | undefined;
}): Promise<SendResult | "no-such-person"> {
  const { approval, personId, now, report, assistant } = args;
  const recipient = await findPerson(personId);
  if (!recipient) {
    logger.error("approver not found", { approvalId: approval.id, approverId: personId });
    return "no-such-person";
  }
  const { url, link } = await issueApprovalLink(approval, args.purpose, personId, now);
  // a resubmission says what changed since the returned version
  const previous = report.version > 1 ? await getReportVersion(report.id, report.version - 1).catch(() => undefined) : undefined;
  const mail = approvalEmail({
    ...(previous ? { changes: { since: previous.version, lines: versionChanges(previous, report, args.programme, "pl") } } : {}),
    kind: args.kind,
    recipientName: recipient.name,
    assistantName: assistant?.name ?? approval.assistantId,
    report,
    programme: args.programme,
    url,
    expiresAt: link.expiresAt,
  });
  return sendOnce({ outboxKey: outboxKeys.approvalMail(approval.id, args.purpose), to: [recipient.email], ...mail, now });
}

/**
 * The signed link to one approval for one person: recorded under its purpose first (a re-run
 * signs the same link, same expiry), then signed. Only the approval id and the signature go
 * into the URL, never the task token.
 */
export async function issueApprovalLink(approval: Approval, purpose: string, personId: string, now: Date) {
  const link = await recordLink(approval, purpose, { approverId: personId, issuedAt: now.toISOString(), expiresAt: after(now, APPROVAL_LINK_SECONDS) });
  return { link, url: approvalUrl(appUrl(), approval.id, signApprovalLink(linkSecret(), approval, link)) };
}

/** The purpose under which a day's digest records its link on each approval it lists. */
export const digestLinkPurpose = (warsawDay: string, personId: string) => `digest-${warsawDay}:${personId}`;

export type DigestResult = SendResult | "no-such-person" | "nothing-waiting";

/**
 * The person's one reminder digest of the programme for today (Warsaw), shared by the cycle's
 * daily check and every approval timeout: whoever comes first lists every pending approval
 * due for a reminder (`approvalsDueForReminder`; `include` is listed in any case), each with its
 * own signed link; later callers the same day find the outbox record and send nothing.
 * `claimant` must be stable across re-runs of the caller (see `sendOnce`).
 */
export async function emailApproverDigest(args: { programme: Programme; personId: string; escalation: boolean; now: Date; claimant: string; include?: Approval }): Promise<{ result: DigestResult; outboxKey: string; listed: number }> {
  const { programme, personId, now } = args;
  const day = warsawDate(now.toISOString());
  const outboxKey = outboxKeys.approverDigest(programme.id, personId, day);
  // Claimed before anything is built: thousands of timeouts may fire at the same instant, and
  // only one of them should read the queue and issue the links.
  const claim = await claimOutbox(outboxKey, args.claimant, now);
  if (claim !== "claimed") return { result: claim === "sent" ? "already-sent" : "in-progress", outboxKey, listed: 0 };
  const recipient = await findPerson(personId);
  if (!recipient) {
    logger.error("approver not found", { programmeId: programme.id, approverId: personId });
    await releaseOutbox(outboxKey, args.claimant);
    return { result: "no-such-person", outboxKey, listed: 0 };
  }
  const waiting = approvalsDueForReminder(await pendingApprovalsOfProgramme(programme.id), programme, now.toISOString(), args.escalation ? "deputy" : "approvers");
  if (args.include?.status === "pending" && !waiting.some((a) => a.id === args.include!.id)) waiting.unshift(args.include);
  if (!waiting.length) {
    await releaseOutbox(outboxKey, args.claimant);
    return { result: "nothing-waiting", outboxKey, listed: 0 };
  }
  // The oldest ones get links; the rest are counted and wait in the app's queue.
  const due = waiting.slice(0, DIGEST_MAX_LINKS);

  const names = new Map<string, string>();
  for (const a of due) if (!names.has(a.assistantId)) names.set(a.assistantId, (await findPerson(a.assistantId))?.name ?? a.assistantId);
  const purpose = digestLinkPurpose(day, personId);
  const entries: DigestEntry[] = [];
  let expiresAt = after(now, APPROVAL_LINK_SECONDS);
  // Links are recorded a few at a time: a digest may list hundreds of approvals.
  for (let i = 0; i < due.length; i += 16) {
    const issued = await Promise.all(due.slice(i, i + 16).map((a) => issueApprovalLink(a, purpose, personId, now)));
    issued.forEach(({ url, link }, j) => {
      const a = due[i + j];
      if (link.expiresAt < expiresAt) expiresAt = link.expiresAt;
      entries.push({ assistantName: names.get(a.assistantId)!, beneficiaryCode: a.beneficiaryCode, month: a.month, version: a.version, waitingSince: a.createdAt, url });
    });
  }
  const mail = approverDigestEmail({ recipientName: recipient.name, programmeName: programme.name.pl, escalation: args.escalation, entries, more: waiting.length - due.length, linksExpireAt: expiresAt, appUrl: appUrl() });
  const result = await sendOnce({ outboxKey, claimant: args.claimant, to: [recipient.email], ...mail, now });
  return { result, outboxKey, listed: entries.length };
}
