import { requireAnyRole } from "../../core/auth.js";
import { batchHeader } from "../../core/batch.js";
import { IsoDate, warsawDate } from "../../core/calendar.js";
import { getBatch } from "../../adapters/batches.js";
import { payeesOfBatch } from "../../adapters/payments.js";
import { getProgramme } from "../../adapters/programmes.js";
import * as z from "zod";
import type { HttpRequest } from "./http.js";
import { signedIn } from "./session.js";

const PaymentDayQuery = z.object({ day: IsoDate.optional(), lang: z.string().optional() });

/**
 * What both payment routes start from (finance, admin of the batch's programme): the batch, its
 * programme, the file header, the payees and the day of payment (`?day=YYYY-MM-DD`, by default
 * today in Warsaw) — the day decides the rates and the assistant's age.
 */
export async function paymentsOf(req: HttpRequest) {
  const person = await signedIn(req);
  const batch = await getBatch(req.param("batchId"));
  requireAnyRole(person, batch.programmeId, ["finance", "admin"]);
  const { day } = req.queryAs(PaymentDayQuery);
  const programme = await getProgramme(batch.programmeId);
  const header = batchHeader(batch, programme);
  return { person, batch, programme, header, payees: await payeesOfBatch(batch), on: day ?? warsawDate(req.now.toISOString()) };
}
