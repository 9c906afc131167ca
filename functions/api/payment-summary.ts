import { PaymentFileRefusedError, payrollOf, transfersOf, type PaymentProblem } from "../core/exports/payments.js";
import { api, json } from "./lib/http.js";
import { paymentsOf } from "./lib/payments.js";

const problemsOf = (build: () => unknown): PaymentProblem[] | { code: string; pl: string; en: string }[] => {
  try {
    build();
    return [];
  } catch (error) {
    if (error instanceof PaymentFileRefusedError) return (error.details as { problems: PaymentProblem[] }).problems;
    if (error instanceof Error && "code" in error && "messages" in error) {
      const { code, messages } = error as unknown as { code: string; messages: { pl: string; en: string } };
      return [{ code, ...messages }];
    }
    throw error;
  }
};

/**
 * GET /api/batches/{batchId}/payroll?day=YYYY-MM-DD — the batch from gross to the bank for the
 * finance page: per assistant the gross, the deductions, the net estimate and the employer's cost,
 * with what stops the payroll file or the transfer file (every assistant and field listed).
 */
export const handler = api(async (req) => {
  const { header, payees, on, programme } = await paymentsOf(req);
  const payrollProblems = problemsOf(() => payrollOf(header, payees, on, programme.payments));
  const payroll = payrollProblems.length ? undefined : payrollOf(header, payees, on, programme.payments);
  return json(200, {
    batchId: header.batchId,
    programmeId: header.programmeId,
    month: header.month,
    on,
    estimate: true,
    transferAmount: programme.payments?.transferAmount ?? null,
    payees: payees.map((p) => ({ assistantId: p.assistantId, assistantName: p.assistantName, contractNumber: p.contractNumber, bankAccount: p.bankAccount ?? null, reports: p.reports, minutes: p.minutes, grossGrosze: p.grossGrosze })),
    payroll: payroll ? { rows: payroll.rows.map((r) => ({ assistantId: r.payee.assistantId, ...r.estimate })), totals: payroll.totals } : null,
    problems: { payroll: payrollProblems, transfers: problemsOf(() => transfersOf(header, payees, on, programme.payments)) },
  });
});
