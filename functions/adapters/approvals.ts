import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { Approval, ApprovalAlreadyDecidedError, ApprovalSupersededError, type ApprovalDecision, type ApprovalLink } from "../core/approval.js";
import { NotFoundError } from "../core/errors.js";
import { createIfAbsent, documentClient, getItem, isConditionFailed, queryAll, tableName, withoutKeys, type Item } from "./dynamo.js";
import { approvalItem } from "./approval-item.js";
import { keys, queries } from "./keys.js";

export { approvalItem };

/** An approval with the task token of the waiting "Ask the approver" (kept here, never e-mailed). */
export type StoredApproval = { approval: Approval; taskToken?: string };

const parse = (i: Item): StoredApproval => {
  const { taskToken, tokenAt: _tokenAt, ...rest } = withoutKeys(i);
  return { approval: Approval.parse(rest), taskToken: taskToken as string | undefined };
};
const keyOf = (a: Pick<Approval, "id" | "reportId" | "version">) => keys.approval(a.id, a.reportId, a.version);

/**
 * Creates the approval unless it exists; returns the stored one. A submission writes it in its
 * transaction (reports.saveSubmission); this creates it for a version submitted without one.
 */
export async function createApprovalIfAbsent(input: Approval): Promise<StoredApproval> {
  await createIfAbsent(approvalItem(input));
  return getApproval(input.id);
}

/** The approval, or undefined (the id is only the partition key: no report id needed). */
export async function findApproval(approvalId: string): Promise<StoredApproval | undefined> {
  const item = await getItem(keys.approvalById(approvalId));
  return item ? parse(item) : undefined;
}

export async function getApproval(approvalId: string): Promise<StoredApproval> {
  const found = await findApproval(approvalId);
  if (!found) throw new NotFoundError("approval", approvalId);
  return found;
}

/**
 * The programme's pending approvals, oldest first (sparse gsi2 entry; an index read may lag a
 * decision by a moment, so the status is checked again here).
 */
export async function pendingApprovalsOfProgramme(programmeId: string): Promise<Approval[]> {
  return (await queryAll(queries.pendingApprovalsOfProgramme(programmeId))).map((i) => parse(i).approval).filter((a) => a.status === "pending");
}

/** Every approval of a report, oldest version first. */
export async function approvalsOfReport(reportId: string): Promise<StoredApproval[]> {
  return (await queryAll(queries.approvalsOfReport(reportId))).map(parse);
}

async function update(approval: Pick<Approval, "id" | "reportId" | "version">, input: Omit<ConstructorParameters<typeof UpdateCommand>[0], "TableName" | "Key">) {
  const key = keyOf(approval);
  const result = await documentClient().send(
    new UpdateCommand({ TableName: tableName(), Key: { pk: key.pk, sk: key.sk }, ReturnValues: "ALL_NEW", ...input }),
  );
  return parse(result.Attributes!);
}

/**
 * Stores the waiting task's token (a re-run or a new ask after a reminder replaces it); returns
 * the approval. A submission writes its approval; for a version submitted without one (before
 * submissions did), `create` makes it first.
 */
export async function registerTaskToken(
  approval: Pick<Approval, "id" | "reportId" | "version">,
  token: string,
  now: Date,
  create?: () => Promise<Approval>,
): Promise<StoredApproval> {
  const register = () =>
    update(approval, {
      UpdateExpression: "SET taskToken = :t, tokenAt = :now",
      ConditionExpression: "attribute_exists(pk)",
      ExpressionAttributeValues: { ":t": token, ":now": now.toISOString() },
    });
  try {
    return await register();
  } catch (error) {
    if (!create || !isConditionFailed(error)) throw error;
    await createApprovalIfAbsent(await create());
    return register();
  }
}

/**
 * Records a link under its purpose unless one is recorded already, so a re-run signs the same
 * link (same expiry) as the first run; returns the link as stored.
 */
export async function recordLink(approval: Pick<Approval, "id" | "reportId" | "version">, purpose: string, link: ApprovalLink): Promise<ApprovalLink> {
  const stored = await update(approval, {
    UpdateExpression: "SET links.#p = if_not_exists(links.#p, :link)",
    ConditionExpression: "attribute_exists(pk)",
    ExpressionAttributeNames: { "#p": purpose },
    ExpressionAttributeValues: { ":link": link },
  });
  return stored.approval.links[purpose];
}

/** Records the decision if the approval is still pending: of two concurrent decisions exactly one wins. */
export async function recordDecision(approval: Approval, decision: ApprovalDecision): Promise<StoredApproval> {
  try {
    return await update(approval, {
      UpdateExpression: "SET #status = :outcome, decision = :decision REMOVE gsi2pk, gsi2sk",
      ConditionExpression: "#status = :pending",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":outcome": decision.outcome, ":decision": decision, ":pending": "pending" },
    });
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
    const { approval: now } = await getApproval(approval.id);
    if (now.status === "superseded") throw new ApprovalSupersededError(approval.id, approval.version);
    throw new ApprovalAlreadyDecidedError(approval.id, now.decision?.outcome);
  }
}

/** Marks a still-pending approval superseded (its report moved on); true when it changed. */
export async function markSuperseded(approval: Approval): Promise<boolean> {
  try {
    await update(approval, {
      UpdateExpression: "SET #status = :superseded REMOVE gsi2pk, gsi2sk",
      ConditionExpression: "#status = :pending",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: { ":superseded": "superseded", ":pending": "pending" },
    });
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}
