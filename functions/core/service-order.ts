import { createHash } from "node:crypto";
import * as z from "zod";
import { Instant, Month } from "./calendar.js";
import { BeneficiaryCode } from "./beneficiary.js";
import { CaseloadExceededError } from "./errors.js";
import { PersonId } from "./person.js";
import { type Programme, ProgrammeId } from "./programme.js";

/** The coordinator's "formularz zlecenia usługi": hours for one assistant × beneficiary × month. */
export const ServiceOrder = z.object({
  id: z.string().min(1),
  programmeId: ProgrammeId,
  month: Month,
  assistantId: PersonId,
  beneficiaryCode: BeneficiaryCode,
  orderedMinutes: z.number().int().positive().max(744 * 60),
  issuedBy: PersonId,
  issuedAt: Instant,
});
export type ServiceOrder = z.infer<typeof ServiceOrder>;

/** The deterministic order id: one order per programme × month × assistant × beneficiary (re-issuing replaces it). */
export function serviceOrderId(programmeId: string, month: string, assistantId: string, beneficiaryCode: string): string {
  return "o" + createHash("sha256").update([programmeId, month, assistantId, beneficiaryCode].join("\u0000")).digest("hex").slice(0, 24);
}

/** Builds an order with its deterministic id. */
export function newServiceOrder(input: Omit<ServiceOrder, "id">): ServiceOrder {
  return ServiceOrder.parse({ ...input, id: serviceOrderId(input.programmeId, input.month, input.assistantId, input.beneficiaryCode) });
}

/** Refuses an order that would give the assistant more beneficiaries in the month than the programme allows. */
export function checkCaseload(
  existingOrdersOfAssistantForMonth: readonly Pick<ServiceOrder, "programmeId" | "month" | "assistantId" | "beneficiaryCode">[],
  newOrder: Pick<ServiceOrder, "programmeId" | "month" | "assistantId" | "beneficiaryCode">,
  programme: Pick<Programme, "id" | "maxBeneficiariesPerAssistant">,
): void {
  const codes = new Set(
    existingOrdersOfAssistantForMonth
      .filter((o) => o.programmeId === programme.id && o.month === newOrder.month && o.assistantId === newOrder.assistantId)
      .map((o) => o.beneficiaryCode),
  );
  codes.add(newOrder.beneficiaryCode);
  if (codes.size > programme.maxBeneficiariesPerAssistant) {
    throw new CaseloadExceededError(newOrder.assistantId, newOrder.month, programme.maxBeneficiariesPerAssistant, newOrder.beneficiaryCode);
  }
}
