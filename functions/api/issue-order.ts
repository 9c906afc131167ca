import { requireRole } from "../core/auth.js";
import { OrderInput } from "../core/api-inputs.js";
import { isActiveBeneficiary } from "../core/beneficiary.js";
import { BeneficiaryInactiveError, NotFoundError, PersonInactiveError } from "../core/errors.js";
import { contractPeriods, requireContractForMonth } from "../core/contract.js";
import { hasRole } from "../core/person.js";
import { newServiceOrder } from "../core/service-order.js";
import { getBeneficiary } from "../adapters/beneficiaries.js";
import { findContracts } from "../adapters/contracts.js";
import { findPerson } from "../adapters/people.js";
import { issueServiceOrder } from "../adapters/service-orders.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** PUT /api/programmes/{programmeId}/orders — the coordinator issues (or re-issues) an order; the assistant's contract must touch the month; the caseload limit is checked. */
export const handler = api(async (req) => {
  const coordinator = await signedIn(req);
  const programmeId = req.param("programmeId");
  requireRole(coordinator, "coordinator", programmeId);
  const input = req.json(OrderInput);
  const assistant = await findPerson(input.assistantId);
  if (!assistant || !hasRole(assistant, programmeId, "assistant")) throw new NotFoundError("assistant", input.assistantId);
  if (!assistant.active) throw new PersonInactiveError(assistant.id, assistant.name);
  requireContractForMonth(contractPeriods((await findContracts(assistant.id)).contracts, assistant), { assistantId: assistant.id, programmeId }, input.month);
  const beneficiary = await getBeneficiary(programmeId, input.beneficiaryCode);
  if (!isActiveBeneficiary(beneficiary)) throw new BeneficiaryInactiveError(beneficiary.code);
  const order = await issueServiceOrder(newServiceOrder({ ...input, programmeId, issuedBy: coordinator.id, issuedAt: req.now.toISOString() }));
  return json(200, { order });
});
