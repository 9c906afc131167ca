import * as z from "zod";

/** The approval's part of the execution state (`$.approval`): in the input (core approvalExecution), then from "Remind". */
export const ApprovalStep = z.object({ approvalId: z.string().min(1), attempt: z.number().int().min(0), timeoutSeconds: z.number().int().positive() });
export type ApprovalStep = z.infer<typeof ApprovalStep>;

/** The execution input: one submitted report version. */
export const ApprovalExecution = z.object({ reportId: z.string().min(1), version: z.number().int().positive(), programmeId: z.string().min(1) });

export const TaskDecisionSchema = z.object({
  outcome: z.enum(["approved", "returned", "superseded"]),
  reason: z.string().optional(),
  by: z.string().optional(),
  at: z.string().optional(),
});
