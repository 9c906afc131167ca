import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock, parseDuration } from "../../local/clock.js";
import { LocalStepFunctions, type InvokeMeta } from "../../local/sfn/engine.js";
import { createSfnHttpHandler } from "../../local/sfn/server.js";

const region = "eu-central-1";
const account = "123456789012";
const functionArn = (name: string) => `arn:aws:lambda:${region}:${account}:function:${name}`;
const machineArn = (name: string) => `arn:aws:states:${region}:${account}:stateMachine:${name}`;

// What CDK's LambdaInvoke adds to every task unless retryOnServiceExceptions is false.
const cdkRetry = {
  ErrorEquals: ["Lambda.ClientExecutionTimeoutException", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
};
const lambdaInvoke = (fn: string, rest: Record<string, unknown>) => ({
  Type: "Task",
  Resource: "arn:aws:states:::lambda:invoke",
  Parameters: { FunctionName: functionArn(fn), "Payload.$": "$" },
  Retry: [cdkRetry],
  ...rest,
});

const monthlyCycle = {
  StartAt: "Plan the month",
  States: {
    "Plan the month": lambdaInvoke("plan-month", {
      ResultSelector: { "deadline.$": "$.Payload.deadline", "reminders.$": "$.Payload.reminders" },
      ResultPath: "$.plan",
      Next: "Remind before the deadline",
    }),
    "Remind before the deadline": {
      Type: "Map",
      ItemsPath: "$.plan.reminders",
      MaxConcurrency: 1,
      ItemSelector: { "at.$": "$$.Map.Item.Value", "reminder.$": "$$.Map.Item.Index", "cycleId.$": "$.cycleId" },
      ItemProcessor: {
        ProcessorConfig: { Mode: "INLINE" },
        StartAt: "Wait for the reminder",
        States: {
          "Wait for the reminder": { Type: "Wait", TimestampPath: "$.at", Next: "Send reminders" },
          "Send reminders": lambdaInvoke("send-reminders", { OutputPath: "$.Payload", End: true }),
        },
      },
      ResultPath: "$.reminders",
      Next: "Wait for the deadline",
    },
    "Wait for the deadline": { Type: "Wait", TimestampPath: "$.plan.deadline", Next: "Close intake" },
    "Close intake": lambdaInvoke("close-intake", {
      ResultSelector: { "overdue.$": "$.Payload.overdue" },
      ResultPath: "$.intake",
      Next: "Anything overdue?",
    }),
    "Anything overdue?": {
      Type: "Choice",
      Choices: [{ Variable: "$.intake.overdue", NumericGreaterThan: 0, Next: "Tell the coordinator" }],
      Default: "Cycle closed",
    },
    "Tell the coordinator": lambdaInvoke("notify-coordinator", { ResultPath: null, Next: "Cycle closed" }),
    "Cycle closed": { Type: "Succeed" },
  },
};

const reportApproval = {
  StartAt: "Ask the approver",
  States: {
    "Ask the approver": {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
      Parameters: { FunctionName: functionArn("ask-approver"), Payload: { "token.$": "$$.Task.Token", "reportId.$": "$.reportId" } },
      TimeoutSeconds: 259200,
      ResultPath: "$.decision",
      Retry: [cdkRetry],
      // States.TaskFailed first: a timeout must still reach its own catcher, as in AWS.
      Catch: [
        { ErrorEquals: ["States.TaskFailed"], ResultPath: "$.failure", Next: "Decision failed" },
        { ErrorEquals: ["States.Timeout"], ResultPath: "$.timeout", Next: "Escalate to the deputy" },
      ],
      Next: "Approved?",
    },
    "Escalate to the deputy": lambdaInvoke("escalate", { ResultPath: null, End: true }),
    "Decision failed": { Type: "Fail", Error: "DecisionFailed", Cause: "The decision could not be taken" },
    "Approved?": {
      Type: "Choice",
      Choices: [{ Variable: "$.decision.outcome", StringEquals: "approved", Next: "Record the approval" }],
      Default: "Returned",
    },
    "Record the approval": lambdaInvoke("record-approval", {
      ResultSelector: { "approvalId.$": "$.Payload.approvalId" },
      ResultPath: "$.approval",
      Retry: [cdkRetry, { ErrorEquals: ["TransientError"], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 }],
      Catch: [{ ErrorEquals: ["ReportLockedError"], ResultPath: "$.error", Next: "Report locked" }],
      End: true,
    }),
    "Report locked": { Type: "Pass", End: true },
    Returned: { Type: "Fail", Error: "ReportReturned", Cause: "The approver returned the report" },
  },
};

const threeStates = {
  StartAt: "Start",
  States: {
    Start: { Type: "Pass", Result: { step: 1 }, ResultPath: "$.started", Next: "Pause" },
    Pause: { Type: "Wait", Seconds: 3600, Next: "Work" },
    Work: lambdaInvoke("work", { OutputPath: "$.Payload", End: true }),
  },
};

const machines = { MonthlyCycle: monthlyCycle, ReportApproval: reportApproval, ThreeStates: threeStates };

type Handler = (payload: any, meta: InvokeMeta) => unknown;
interface Call {
  name: string;
  payload: any;
  meta: InvokeMeta;
}

class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

const stacks: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((stack) => stack.close()));
});

async function startStack(options: { functions: Record<string, Handler>; dataDir?: string; clockFile?: string }) {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "karta-sfn-"));
  const clock = new VirtualClock({ file: options.clockFile ?? join(dataDir, "clock.json"), start: new Date("2025-03-01T07:00:00.000Z") });
  const calls: Call[] = [];
  const engine = new LocalStepFunctions({
    dataDir: join(dataDir, "executions"),
    clock,
    retryIntervalMs: 0,
    invokeFunction: async (arn, payload, meta) => {
      const name = arn.split(":").pop()!;
      calls.push({ name, payload, meta });
      const handler = options.functions[name];
      if (!handler) throw new Error(`No local function ${name}`);
      return handler(payload, meta);
    },
  });
  for (const [name, definition] of Object.entries(machines)) engine.registerStateMachine({ arn: machineArn(name), name, definition });
  const server: Server = createServer(createSfnHttpHandler(engine));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sfn = new SFNClient({
    endpoint,
    region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  let closed = false;
  const stack = {
    engine,
    clock,
    sfn,
    endpoint,
    calls,
    dataDir,
    callsTo: (name: string) => calls.filter((call) => call.name === name),
    describe: (executionArn: string) => sfn.send(new DescribeExecutionCommand({ executionArn })),
    async close() {
      if (closed) return;
      closed = true;
      sfn.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await engine.close();
      clock.close();
    },
  };
  stacks.push(stack);
  return stack;
}

const start = (stack: Awaited<ReturnType<typeof startStack>>, machine: keyof typeof machines, name: string, input: unknown) =>
  stack.sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn(machine), name, input: JSON.stringify(input) }));

const cycleFunctions = (): Record<string, Handler> => ({
  "plan-month": () => ({ deadline: "2025-04-04T22:00:00.000Z", reminders: ["2025-03-28T08:00:00.000Z", "2025-04-02T08:00:00.000Z"] }),
  "send-reminders": (payload) => ({ reminder: payload.reminder, sent: 3 }),
  "close-intake": () => ({ overdue: 2 }),
  "notify-coordinator": () => ({ sent: true }),
});

const approvalFunctions = (extra: Record<string, Handler> = {}): Record<string, Handler> => ({
  "ask-approver": () => ({ registered: true }),
  escalate: () => ({ escalated: true }),
  "record-approval": (payload) => ({ approvalId: `approval-${payload.reportId}` }),
  ...extra,
});

describe("local Step Functions through @aws-sdk/client-sfn", { timeout: 10_000 }, () => {
  it("runs the monthly cycle on the virtual clock: Waits and a Map of reminders follow the clock", async () => {
    const stack = await startStack({ functions: cycleFunctions() });
    const { executionArn } = await start(stack, "MonthlyCycle", "cycle-p1-2025-03", { cycleId: "p1-2025-03" });

    await stack.engine.idle();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await stack.describe(executionArn!)).status).toBe("RUNNING");
    expect(stack.calls.map((call) => call.name)).toEqual(["plan-month"]);

    stack.clock.set(new Date("2025-03-28T08:00:00.000Z"));
    await stack.engine.idle();
    expect(stack.callsTo("send-reminders").map((call) => call.payload)).toEqual([
      { at: "2025-03-28T08:00:00.000Z", reminder: 0, cycleId: "p1-2025-03" },
    ]);

    stack.clock.set(new Date("2025-04-04T21:59:59.000Z"));
    await stack.engine.idle();
    expect(stack.callsTo("send-reminders")).toHaveLength(2);
    expect(stack.callsTo("close-intake")).toHaveLength(0);
    expect((await stack.describe(executionArn!)).status).toBe("RUNNING");

    stack.clock.advance(parseDuration("1s"));
    const done = await stack.engine.waitForExecution(executionArn!);
    expect(done.status).toBe("SUCCEEDED");
    const described = await stack.describe(executionArn!);
    expect(described.stopDate?.toISOString()).toBe("2025-04-04T22:00:00.000Z");
    const output = JSON.parse(described.output!);
    expect(output.reminders).toEqual([
      { reminder: 0, sent: 3 },
      { reminder: 1, sent: 3 },
    ]);
    expect(output.intake).toEqual({ overdue: 2 });
    expect(stack.callsTo("notify-coordinator")).toHaveLength(1);
    // lambda:invoke hands the handler exactly the state input, as "Payload.$": "$" does in AWS.
    expect(stack.callsTo("close-intake")[0].payload.plan.deadline).toBe("2025-04-04T22:00:00.000Z");

    const listed = await stack.sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn("MonthlyCycle") }));
    expect(listed.executions?.map((e) => [e.name, e.status])).toEqual([["cycle-p1-2025-03", "SUCCEEDED"]]);
  });

  it("treats a repeated StartExecution like AWS: same name and input is harmless, anything else is refused", async () => {
    const stack = await startStack({ functions: { work: (payload) => payload } });
    const first = await start(stack, "ThreeStates", "cycle-p1-2025-03", { programme: "p1" });
    const again = await start(stack, "ThreeStates", "cycle-p1-2025-03", { programme: "p1" });
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);

    await expect(start(stack, "ThreeStates", "cycle-p1-2025-03", { programme: "p2" })).rejects.toMatchObject({
      name: "ExecutionAlreadyExists",
    });

    stack.clock.advance(parseDuration("1h"));
    expect((await stack.engine.waitForExecution(first.executionArn!)).status).toBe("SUCCEEDED");
    await expect(start(stack, "ThreeStates", "cycle-p1-2025-03", { programme: "p1" })).rejects.toMatchObject({
      name: "ExecutionAlreadyExists",
    });
    expect(stack.callsTo("work")).toHaveLength(1);
    const listed = await stack.sfn.send(new ListExecutionsCommand({ stateMachineArn: machineArn("ThreeStates") }));
    expect(listed.executions).toHaveLength(1);
  });

  it("answers unknown executions and state machines with the AWS errors", async () => {
    const stack = await startStack({ functions: {} });
    await expect(stack.describe(`arn:aws:states:${region}:${account}:execution:ThreeStates:nope`)).rejects.toMatchObject({
      name: "ExecutionDoesNotExist",
    });
    await expect(
      stack.sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn("Nope"), name: "x", input: "{}" })),
    ).rejects.toMatchObject({ name: "StateMachineDoesNotExist" });
    await expect(
      stack.sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn("ThreeStates"), name: "x", input: "{not json" })),
    ).rejects.toMatchObject({ name: "InvalidExecutionInput" });
  });

  it("answers operations it does not implement and malformed bodies with 400 and an AWS error type", async () => {
    const stack = await startStack({ functions: {} });
    const post = (target: string, body: string) =>
      fetch(stack.endpoint, { method: "POST", headers: { "x-amz-target": target, "content-type": "application/x-amz-json-1.0" }, body });
    const unknown = await post("AWSStepFunctions.CreateStateMachine", "{}");
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ __type: "UnknownOperationException" });
    const malformed = await post("AWSStepFunctions.DescribeExecution", "{nope");
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ __type: "SerializationException" });
  });

  it("waits for the approver's task token and continues on SendTaskSuccess", async () => {
    const stack = await startStack({ functions: approvalFunctions() });
    const { executionArn } = await start(stack, "ReportApproval", "report-r1-v1", { reportId: "r1" });
    await stack.engine.idle();
    const [ask] = stack.callsTo("ask-approver");
    expect(ask.payload.reportId).toBe("r1");
    expect(ask.payload.token).toMatch(/^LT1/);
    expect(ask.meta.taskToken).toBe(ask.payload.token);
    expect((await stack.describe(executionArn!)).status).toBe("RUNNING");

    await stack.sfn.send(new SendTaskHeartbeatCommand({ taskToken: ask.payload.token }));
    await stack.sfn.send(new SendTaskSuccessCommand({ taskToken: ask.payload.token, output: JSON.stringify({ outcome: "approved" }) }));
    expect((await stack.engine.waitForExecution(executionArn!)).status).toBe("SUCCEEDED");
    const output = JSON.parse((await stack.describe(executionArn!)).output!);
    expect(output).toEqual({ reportId: "r1", decision: { outcome: "approved" }, approval: { approvalId: "approval-r1" } });

    await expect(
      stack.sfn.send(new SendTaskSuccessCommand({ taskToken: ask.payload.token, output: "{}" })),
    ).rejects.toMatchObject({ name: "TaskDoesNotExist" });
    await expect(stack.sfn.send(new SendTaskSuccessCommand({ taskToken: "forged", output: "{}" }))).rejects.toMatchObject({
      name: "InvalidToken",
    });
    await expect(
      stack.sfn.send(new SendTaskSuccessCommand({ taskToken: `LT1${"A".repeat(43)}`, output: "{}" })),
    ).rejects.toMatchObject({ name: "TaskDoesNotExist" });
  });

  it("fails the callback task on SendTaskFailure and follows its States.TaskFailed catcher", async () => {
    const stack = await startStack({ functions: approvalFunctions() });
    const { executionArn } = await start(stack, "ReportApproval", "report-r2-v1", { reportId: "r2" });
    await stack.engine.idle();
    const [ask] = stack.callsTo("ask-approver");
    await stack.sfn.send(new SendTaskFailureCommand({ taskToken: ask.payload.token, error: "ApproverUnavailable", cause: "on leave" }));
    const done = await stack.engine.waitForExecution(executionArn!);
    expect(done).toMatchObject({ status: "FAILED", error: "DecisionFailed", cause: "The decision could not be taken" });
    const history = await stack.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(history.events?.map((e) => e.type)).toContain("TaskFailed");
    expect(stack.callsTo("escalate")).toHaveLength(0);
  });

  it("times the callback out on the virtual clock into its States.Timeout catcher", async () => {
    const stack = await startStack({ functions: approvalFunctions() });
    const { executionArn } = await start(stack, "ReportApproval", "report-r3-v1", { reportId: "r3" });
    await stack.engine.idle();
    const [ask] = stack.callsTo("ask-approver");

    stack.clock.advance(parseDuration("2d23h59m59s"));
    await stack.engine.idle();
    expect((await stack.describe(executionArn!)).status).toBe("RUNNING");

    stack.clock.advance(parseDuration("1s"));
    expect((await stack.engine.waitForExecution(executionArn!)).status).toBe("SUCCEEDED");
    const [escalate] = stack.callsTo("escalate");
    expect(escalate.payload.timeout.Error).toBe("States.Timeout");
    await expect(
      stack.sfn.send(new SendTaskSuccessCommand({ taskToken: ask.payload.token, output: "{}" })),
    ).rejects.toMatchObject({ name: "TaskTimedOut" });
    const history = await stack.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(history.events?.map((e) => e.type)).toContain("TaskTimedOut");
  });

  it("surfaces a handler's error as the Lambda error: Catch by its name, Retry, or fail the execution", async () => {
    let attempts = 0;
    const stack = await startStack({
      functions: approvalFunctions({
        "record-approval": (payload) => {
          if (payload.reportId === "locked") throw new NamedError("ReportLockedError", "Report locked is locked");
          if (payload.reportId === "flaky" && attempts++ === 0) throw new NamedError("TransientError", "try again");
          if (payload.reportId === "broken") throw new TypeError("cannot read approver");
          return { approvalId: `approval-${payload.reportId}` };
        },
      }),
    });
    const decide = async (reportId: string) => {
      const { executionArn } = await start(stack, "ReportApproval", `report-${reportId}-v1`, { reportId });
      await stack.engine.idle();
      const ask = stack.callsTo("ask-approver").find((call) => call.payload.reportId === reportId)!;
      await stack.sfn.send(new SendTaskSuccessCommand({ taskToken: ask.payload.token, output: JSON.stringify({ outcome: "approved" }) }));
      return stack.engine.waitForExecution(executionArn!);
    };

    const locked = await decide("locked");
    expect(locked.status).toBe("SUCCEEDED");
    const { error } = JSON.parse(locked.output!);
    expect(error.Error).toBe("ReportLockedError");
    expect(JSON.parse(error.Cause)).toMatchObject({ errorType: "ReportLockedError", errorMessage: "Report locked is locked" });

    const flaky = await decide("flaky");
    expect(JSON.parse(flaky.output!).approval).toEqual({ approvalId: "approval-flaky" });
    expect(stack.callsTo("record-approval").filter((call) => call.payload.reportId === "flaky")).toHaveLength(2);

    const broken = await decide("broken");
    expect(broken).toMatchObject({ status: "FAILED", error: "TypeError" });
    expect(JSON.parse(broken.cause!)).toMatchObject({ errorType: "TypeError", errorMessage: "cannot read approver" });
  });

  it("stops an execution: ABORTED, and its token no longer exists", async () => {
    const stack = await startStack({ functions: approvalFunctions() });
    const { executionArn } = await start(stack, "ReportApproval", "report-r4-v1", { reportId: "r4" });
    await stack.engine.idle();
    const [ask] = stack.callsTo("ask-approver");
    await stack.sfn.send(new StopExecutionCommand({ executionArn, error: "Superseded", cause: "v2 submitted" }));
    expect(await stack.describe(executionArn!)).toMatchObject({ status: "ABORTED", error: "Superseded" });
    await expect(
      stack.sfn.send(new SendTaskSuccessCommand({ taskToken: ask.payload.token, output: "{}" })),
    ).rejects.toMatchObject({ name: "TaskDoesNotExist" });
    await stack.engine.idle();
    expect(stack.callsTo("record-approval")).toHaveLength(0);
  });

  it("resumes journalled executions after a restart with the same task token and the original Wait deadline", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "karta-sfn-restart-"));
    const effects = new Map<string, number>();
    const idempotent = (name: string, handler: Handler): Handler => (payload, meta) => {
      const key = `${name}:${JSON.stringify(payload)}`;
      effects.set(key, (effects.get(key) ?? 0) + 1);
      return handler(payload, meta);
    };
    const functions = {
      ...Object.fromEntries(Object.entries({ ...cycleFunctions(), ...approvalFunctions() }).map(([name, fn]) => [name, idempotent(name, fn)])),
      work: idempotent("work", () => ({ worked: true })),
    };

    const before = await startStack({ functions, dataDir });
    const approval = await start(before, "ReportApproval", "report-r5-v1", { reportId: "r5" });
    const cycle = await start(before, "MonthlyCycle", "cycle-p1-2025-03", { cycleId: "p1-2025-03" });
    const pause = await start(before, "ThreeStates", "three-1", { n: 1 });
    await before.engine.idle();
    before.clock.advance(parseDuration("30m"));
    await before.engine.idle();
    const tokenBefore = before.callsTo("ask-approver")[0].payload.token;
    await before.close();

    const after = await startStack({ functions, dataDir });
    expect(after.clock.now().toISOString()).toBe("2025-03-01T07:30:00.000Z");
    expect((await after.describe(approval.executionArn!)).status).toBe("RUNNING");
    const resumed = await after.engine.resume();
    expect(resumed.sort()).toEqual([approval.executionArn, cycle.executionArn, pause.executionArn].sort());
    await after.engine.idle();

    const [askAgain] = after.callsTo("ask-approver");
    expect(askAgain.payload.token).toBe(tokenBefore);
    expect(effects.get(`ask-approver:${JSON.stringify({ token: tokenBefore, reportId: "r5" })}`)).toBe(2);
    expect(after.callsTo("plan-month")).toHaveLength(1);

    await after.sfn.send(new SendTaskSuccessCommand({ taskToken: tokenBefore, output: JSON.stringify({ outcome: "approved" }) }));
    expect((await after.engine.waitForExecution(approval.executionArn!)).status).toBe("SUCCEEDED");

    // The one-hour Wait started at 07:00 before the restart and still ends at 08:00.
    after.clock.set(new Date("2025-03-01T07:59:59.000Z"));
    await after.engine.idle();
    expect(after.callsTo("work")).toHaveLength(0);
    after.clock.set(new Date("2025-03-01T08:00:00.000Z"));
    expect((await after.engine.waitForExecution(pause.executionArn!)).status).toBe("SUCCEEDED");

    after.clock.set(new Date("2025-04-05T00:00:00.000Z"));
    expect((await after.engine.waitForExecution(cycle.executionArn!)).status).toBe("SUCCEEDED");
    expect(after.callsTo("send-reminders")).toHaveLength(2);
  });

  it("keeps a decision sent while the runtime was down and uses it when the execution resumes", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "karta-sfn-restart-"));
    const before = await startStack({ functions: approvalFunctions(), dataDir });
    const { executionArn } = await start(before, "ReportApproval", "report-r6-v1", { reportId: "r6" });
    await before.engine.idle();
    const token = before.callsTo("ask-approver")[0].payload.token;
    await before.close();

    const after = await startStack({ functions: approvalFunctions(), dataDir });
    await after.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ outcome: "approved" }) }));
    await after.engine.resume();
    expect((await after.engine.waitForExecution(executionArn!)).status).toBe("SUCCEEDED");
    expect(after.callsTo("ask-approver")).toHaveLength(0);
    expect(after.callsTo("record-approval")).toHaveLength(1);
  });

  it("counts history events and state transitions as AWS does for a three-state machine", async () => {
    const stack = await startStack({ functions: { work: () => ({ done: true }) } });
    const { executionArn } = await start(stack, "ThreeStates", "three", {});
    await stack.engine.idle();
    stack.clock.advance(parseDuration("1h"));
    await stack.engine.waitForExecution(executionArn!);

    const history = await stack.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(history.events?.map((e) => e.type)).toEqual([
      "ExecutionStarted",
      "PassStateEntered",
      "PassStateExited",
      "WaitStateEntered",
      "WaitStateExited",
      "TaskStateEntered",
      "TaskScheduled",
      "TaskStarted",
      "TaskSucceeded",
      "TaskStateExited",
      "ExecutionSucceeded",
    ]);
    expect(history.events?.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(history.events?.[10].timestamp?.toISOString()).toBe("2025-03-01T08:00:00.000Z");
    const machine = stack.engine.stats().stateMachines.find((m) => m.name === "ThreeStates")!;
    expect(machine).toMatchObject({ executions: 1, stateTransitions: 3, largestHistory: 11 });
  });
});
