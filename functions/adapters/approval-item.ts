import { Approval } from "../core/approval.js";
import type { Item } from "./dynamo.js";
import { keys } from "./keys.js";

// Its own module, free of DynamoDB commands: the submission's transaction writes this item, and a
// read-only function that imports the reports adapter must not pull the approvals' updates in.

/** The stored item of a new approval: the approval, its keys, and its entry in the pending index. */
export function approvalItem(input: Approval): Item {
  const approval = Approval.parse(input);
  const pending = approval.status === "pending" ? keys.approvalPending(approval.programmeId, approval.createdAt, approval.id) : {};
  return { ...keys.approval(approval.id, approval.reportId, approval.version), ...pending, entity: "Approval", ...approval };
}
