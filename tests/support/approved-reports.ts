import { signedReport } from "../../bench/data.js";
import { reportItem, reportVersionItem, seedProgramme, writeInParallel } from "../../bench/seed.js";
import type { Programme } from "../../functions/core/programme.js";
import { approve, contentHash, submit } from "../../functions/core/report.js";

/** One assistant with `reports` beneficiaries, each report signed, submitted and approved at `now`, written straight into the table. */
export async function seedApprovedReports(programme: Programme, now: string, reports = 2): Promise<void> {
  await seedProgramme(programme, 1, reports, 600);
  const items: Record<string, unknown>[] = [];
  for (let b = 0; b < reports; b++) {
    const submitted = submit(signedReport(programme, 0, b, 2), { programme, otherVisits: [], order: { orderedMinutes: 600 } }, now);
    items.push(reportVersionItem(submitted), reportItem(approve(submitted, { by: `${programme.id}-approver`, version: 1, contentHash: contentHash(submitted) }, now), 10));
  }
  await writeInParallel(items);
}
