import { approvalId } from "../core/approval.js";
import { isApproverOf, programmesWithRole, requireRole } from "../core/auth.js";
import { monthOf, previousMonth } from "../core/calendar.js";
import { MonthQuery } from "../core/api-inputs.js";
import { frozenPricing, pricedTotals } from "../core/report.js";
import { findPerson } from "../adapters/people.js";
import { getProgramme } from "../adapters/programmes.js";
import { reportsByProgrammeMonthStatus } from "../adapters/reports.js";
import { api, json } from "./lib/http.js";
import { signedIn } from "./lib/session.js";

/** GET /api/approvals?month=YYYY-MM — submitted reports awaiting the signed-in approver (default: this and the two previous months). */
export const handler = api(async (req) => {
  const person = await signedIn(req);
  requireRole(person, "approver");
  const { month } = req.queryAs(MonthQuery);
  const thisMonth = monthOf(req.now.toISOString());
  const months = month ? [month] : [previousMonth(previousMonth(thisMonth)), previousMonth(thisMonth), thisMonth];
  const programmes = (await Promise.all(programmesWithRole(person, "approver").map(getProgramme))).filter((p) => isApproverOf(person, p));
  const pending = [];
  for (const programme of programmes) {
    for (const m of months) {
      for (const { report } of await reportsByProgrammeMonthStatus(programme.id, m, "submitted")) {
        const assistant = await findPerson(report.assistantId);
        const price = pricedTotals(frozenPricing(report, programme));
        pending.push({
          approvalId: approvalId(report.id, report.version),
          report,
          assistantName: assistant?.name ?? report.assistantId,
          minutes: price.minutes,
          amountGrosze: price.amountGrosze,
        });
      }
    }
  }
  return json(200, { pending });
});
