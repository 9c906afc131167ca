// One name per concept: the domain types come from functions/core (type-only, nothing of the
// server is bundled); the shapes below are what the JSON API adds around them.
export type { Report, Visit, Signature, SignatureRole, ReportStatus } from "../../../functions/core/report";
export type { Programme, ScopeCategory, ServiceModeId, Label } from "../../../functions/core/programme";
export type { ServiceOrder } from "../../../functions/core/service-order";
export type { Person, Role } from "../../../functions/core/person";
export type { Cycle, CycleCounts } from "../../../functions/core/cycle";
export type { Batch, BatchFileRecord } from "../../../functions/core/batch";
export type { ApprovalDecision } from "../../../functions/core/approval";
