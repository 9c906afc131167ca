import { SFNClient, StartExecutionCommand, DescribeExecutionCommand, SendTaskSuccessCommand, SendTaskFailureCommand } from "@aws-sdk/client-sfn";
import { traced } from "./observability.js";

let client: SFNClient | undefined;
const sfn = () => (client ??= traced(new SFNClient({ region: process.env.AWS_REGION ?? "eu-central-1" })));

/** ARN of a state machine from the function's environment, checked at first use. */
export function stateMachineArn(name: "APPROVAL_STATE_MACHINE_ARN" | "CYCLE_STATE_MACHINE_ARN"): string {
  const arn = process.env[name];
  if (!arn) throw new Error(`${name} is not set: the function is not linked to the state machine`);
  return arn;
}

/**
 * Starts a named execution. Names are the idempotency key (cycle-<programme>-<YYYY-MM>,
 * report-<reportId>-v<version>): a second start with the same name is reported, not repeated.
 */
export async function startNamedExecution(
  machine: "APPROVAL_STATE_MACHINE_ARN" | "CYCLE_STATE_MACHINE_ARN",
  name: string,
  input: unknown,
): Promise<{ executionArn?: string; alreadyStarted: boolean }> {
  try {
    const result = await sfn().send(
      new StartExecutionCommand({ stateMachineArn: stateMachineArn(machine), name, input: JSON.stringify(input) }),
    );
    return { executionArn: result.executionArn, alreadyStarted: false };
  } catch (error) {
    if ((error as Error).name === "ExecutionAlreadyExists") return { alreadyStarted: true };
    throw error;
  }
}

/** Status of a named execution, or undefined if it was never started. */
export async function describeNamedExecution(machine: "APPROVAL_STATE_MACHINE_ARN" | "CYCLE_STATE_MACHINE_ARN", name: string) {
  const executionArn = stateMachineArn(machine).replace(":stateMachine:", ":execution:") + `:${name}`;
  try {
    return await sfn().send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if ((error as Error).name === "ExecutionDoesNotExist") return undefined;
    throw error;
  }
}

export async function sendTaskSuccess(taskToken: string, output: unknown): Promise<void> {
  await sfn().send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
}

export async function sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void> {
  await sfn().send(new SendTaskFailureCommand({ taskToken, error, cause }));
}
