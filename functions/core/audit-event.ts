import * as z from "zod";
import { Instant } from "./calendar.js";

/** An append-only record of something that happened to a report: who, when, which version and content hash. */
export const AuditEvent = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  reportId: z.string().min(1),
  at: Instant,
  actorId: z.string().min(1),
  type: z.enum([
    "report.created",
    "report.edited",
    "report.signed",
    "report.submitted",
    "report.approved",
    "report.returned",
    "report.overdue",
    "report.exported",
    "report.set_aside",
    "approval.requested",
    "approval.reminded",
    "approval.escalated",
    "approval.link_opened",
  ]),
  version: z.number().int().positive().optional(),
  contentHash: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** Where the action came from (web session, approval link id, workflow step). */
  via: z.string().max(200).optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** An append-only record of a batch file handed out for download or generated: who, when, which file and which SHA-256. */
export const BatchAuditEvent = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  batchId: z.string().min(1),
  at: Instant,
  actorId: z.string().min(1),
  /** A stored file handed out (its key, version and URL expiry), or a payment file generated on request (issue 17: neither). */
  type: z.enum(["batch.file_downloaded", "batch.payment_file_generated"]),
  name: z.string().min(1),
  key: z.string().min(1).optional(),
  versionId: z.string().min(1).optional(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** When the handed-out URL stops working. */
  expiresAt: Instant.optional(),
  via: z.string().max(200).optional(),
});
export type BatchAuditEvent = z.infer<typeof BatchAuditEvent>;
