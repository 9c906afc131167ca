import * as z from "zod";
import { nextMonth } from "../core/calendar.js";
import { draftMonthsDue, outboxMonthsDue, type RetentionRunCounts } from "../core/retention.js";
import { clock } from "../adapters/clock.js";
import { listProgrammes } from "../adapters/programmes.js";
import { anonymiseOutbox, draftsPage, outboxPage, recordRetentionRun, removeNeverSubmittedDraft, retentionState, saveRetentionState } from "../adapters/retention.js";
import { instrumented } from "../adapters/observability.js";

const CleanUpInput = z.object({
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
  /** For a run by hand in small steps: items per page and pages per run (the schedule sends neither). */
  pageSize: z.number().int().min(1).max(100).default(100),
  maxPages: z.number().int().positive().optional(),
});

/** Work budget of one run; what is left continues from the saved cursor the next day (the function may run 5 minutes). */
const BUDGET_MS = 120_000;

/** When a run stops: after its time budget, or after `maxPages` pages. */
type Budget = { pageSize: number; spent: () => boolean; page: () => void };

/**
 * Daily schedule target: removes the drafts past their programme's retention and anonymises the
 * outbox records past theirs, page by page, saving where it stopped (resumable), and records
 * the counts. Sessions and sign-in links are removed by DynamoDB TTL (stacks/Storage.ts); hour
 * confirmations and accounting documents are never touched here (docs/data-protection.md).
 */
export const handler = instrumented(async (event: unknown) => {
  const input = CleanUpInput.parse(event ?? {});
  const now = input.scheduledTime ? new Date(input.scheduledTime) : clock.now();
  const stopAt = Date.now() + BUDGET_MS;
  let pages = 0;
  const budget: Budget = { pageSize: input.pageSize, spent: () => Date.now() > stopAt || (input.maxPages !== undefined && pages >= input.maxPages), page: () => void pages++ };
  const counts: RetentionRunCounts = { draftsRemoved: 0, draftItemsRemoved: 0, outboxAnonymised: 0 };
  const complete = (await cleanDrafts(now, budget, counts)) && (await cleanOutbox(now, budget, counts));
  await recordRetentionRun(now, { ...counts, complete });
  return { at: now.toISOString(), ...counts, complete };
});

async function cleanDrafts(now: Date, budget: Budget, counts: RetentionRunCounts): Promise<boolean> {
  for (const programme of await listProgrammes()) {
    const scope = `DRAFTS#${programme.id}`;
    const state = await retentionState(scope);
    for (const month of draftMonthsDue(programme, now, state.doneThrough)) {
      let cursor = state.month === month ? state.cursor : undefined;
      do {
        const page = await draftsPage(programme.id, month, cursor, budget.pageSize);
        budget.page();
        for (const item of page.items) {
          if (item.version !== 1 || item.submittedAt) continue;
          const removed = await removeNeverSubmittedDraft(item.id as string);
          if (removed) counts.draftsRemoved += 1;
          counts.draftItemsRemoved += removed;
        }
        cursor = page.cursor;
        if (cursor && budget.spent()) {
          await saveRetentionState(scope, { doneThrough: state.doneThrough, month, cursor }, now);
          return false;
        }
      } while (cursor);
      state.doneThrough = month;
      await saveRetentionState(scope, { doneThrough: month }, now);
    }
  }
  return true;
}

async function cleanOutbox(now: Date, budget: Budget, counts: RetentionRunCounts): Promise<boolean> {
  const scope = "OUTBOX";
  const state = await retentionState(scope);
  const { months, before } = outboxMonthsDue(now, state.month);
  for (const month of months) {
    // Anonymised records leave the index, so each page starts again at the front of what is left.
    for (;;) {
      const page = await outboxPage(month, before, undefined, budget.pageSize);
      budget.page();
      for (const item of page.items) if (await anonymiseOutbox(item, now)) counts.outboxAnonymised += 1;
      if (!page.cursor) break;
      if (budget.spent()) {
        await saveRetentionState(scope, { month }, now);
        return false;
      }
    }
    // The month of `before` may still get records past retention tomorrow: it stays the starting point.
    if (month < before.slice(0, 7)) await saveRetentionState(scope, { month: nextMonth(month) }, now);
  }
  return true;
}
