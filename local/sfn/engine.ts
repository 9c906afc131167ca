import "./polyfill.js";
import { createHmac, randomUUID } from "node:crypto";
import { ExecutionAbortedError, ExecutionError, StateMachine } from "aws-local-stepfunctions";
import type { VirtualClock } from "../clock.js";
import { SfnApiError, StateError } from "./errors.js";
import { RunHistory, type HistoryEvent, type PendingHistoryEvent } from "./history.js";
import { Journal, type ExecutionRecord, type ExecutionStatus, type TaskTokenRecord } from "./journal.js";
import {
  taskTokenPlaceholder,
  toLocalDefinition,
  withTaskToken,
  type AslDefinition,
  type CallbackTask,
  type LambdaTask,
  type LocalDefinition,
  type LocalGroup,
  type LocalTask,
  type MapTask,
  type WaitTask,
} from "./rewrite.js";

export type { ExecutionStatus } from "./journal.js";
export type { HistoryEvent } from "./history.js";

export interface InvokeMeta {
  stateName: string;
  executionArn: string;
  /** Set for `lambda:invoke.waitForTaskToken` tasks. */
  taskToken?: string;
}

export interface LocalStepFunctionsOptions {
  dataDir: string;
  clock: VirtualClock;
  invokeFunction(functionArn: string, payload: unknown, meta: InvokeMeta): Promise<unknown>;
  log?: (line: string) => void;
  /** Real milliseconds to pause before every Retry attempt instead of IntervalSeconds × BackoffRate. */
  retryIntervalMs?: number;
  /** The text of an S3 object, for a Distributed Map's ItemReader (s3:getObject). */
  readObject?(bucket: string, key: string): Promise<string>;
}

export interface StateMachineRegistration {
  arn: string;
  name: string;
  /** The ASL object AWS runs (JSONPath, inline Maps). */
  definition: object;
}

export interface StartExecutionInput {
  stateMachineArn: string;
  name?: string;
  /** JSON text as in the AWS API; any other value is serialised. Defaults to "{}". */
  input?: unknown;
}

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  /** JSON text, as the AWS API returns it. */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}

export type ExecutionListItem = Pick<ExecutionDescription, "executionArn" | "stateMachineArn" | "name" | "status" | "startDate" | "stopDate">;

export interface ListExecutionsInput {
  stateMachineArn: string;
  statusFilter?: ExecutionStatus;
  maxResults?: number;
  nextToken?: string;
}

export interface GetExecutionHistoryInput {
  executionArn: string;
  maxResults?: number;
  nextToken?: string;
  reverseOrder?: boolean;
}

export type HistoryEventOutput = Omit<HistoryEvent, "timestamp"> & { timestamp: Date };

export interface StateMachineStats {
  stateMachineArn: string;
  name: string;
  executions: number;
  byStatus: Record<ExecutionStatus, number>;
  /** Billed unit of Standard workflows: states entered plus retries, over all executions. */
  stateTransitions: number;
  largestHistory: number;
}

export interface SfnStats {
  executions: number;
  stateTransitions: number;
  largestHistory: number;
  stateMachines: StateMachineStats[];
}

interface Registered {
  arn: string;
  name: string;
  local: LocalDefinition;
}

interface Live {
  record: ExecutionRecord;
  machine: Registered;
  controller: AbortController;
  stopReason?: "stopped" | "timedOut" | "closing";
  context: Record<string, unknown>;
  done?: Promise<void>;
}

interface Scope {
  live: Live;
  group: LocalGroup;
  /** Position of this run in the execution: "" at the top, `/<Map>#<visit>[<index>]` inside Map iterations. */
  path: string;
  history: RunHistory;
  visits: Map<string, number>;
}

interface TokenWaiter {
  changed: Promise<void>;
  notify(): void;
}

type Outcome = { status: Exclude<ExecutionStatus, "RUNNING">; output?: string; error?: string; cause?: string };

const region = "eu-central-1";
const tokenPattern = /^LT1[A-Za-z0-9_-]{43}$/;
const namePattern = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;
const roleArn = "arn:aws:iam::000000000000:role/karta-local-step-functions";
const never = new Promise<never>(() => {});

class ExecutionStoppedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "ExecutionStopped";
  }
}

/**
 * Runs the state machines of the synthesised stacks locally, with the semantics of the Step
 * Functions API: executions named and idempotent, callback tokens, Waits and task timeouts on
 * the virtual clock, a journal on disk so a restart resumes unfinished executions.
 */
export class LocalStepFunctions {
  private readonly clock: VirtualClock;
  private readonly journal: Journal;
  private readonly secret: Buffer;
  private readonly machines = new Map<string, Registered>();
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly live = new Map<string, Live>();
  private readonly tokens = new Map<string, string>();
  private readonly tokenWaiters = new Map<string, TokenWaiter>();
  private readonly settledListeners = new Map<string, ((description: ExecutionDescription) => void)[]>();
  private readonly runners = new WeakMap<LocalGroup, StateMachine>();
  private readonly selectors = new WeakMap<MapTask, StateMachine>();
  private readonly timeoutError: Promise<new () => Error>;
  private busy = 0;
  private closed = false;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    this.clock = options.clock;
    this.journal = new Journal(options.dataDir);
    this.secret = this.journal.secret();
    for (const record of this.journal.loadAll()) {
      this.records.set(record.executionArn, record);
      for (const token of Object.keys(record.tokens)) this.tokens.set(token, record.executionArn);
    }
    this.timeoutError = statesTimeoutErrorClass();
  }

  registerStateMachine(machine: StateMachineRegistration): void {
    arnParts(machine.arn, "stateMachine");
    this.machines.set(machine.arn, { arn: machine.arn, name: machine.name, local: toLocalDefinition(machine.definition as AslDefinition) });
  }

  async startExecution(input: StartExecutionInput): Promise<{ executionArn: string; startDate: Date }> {
    if (this.closed) throw new Error("LocalStepFunctions is closed");
    const machine = this.machines.get(input.stateMachineArn);
    if (!machine) throw new SfnApiError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${input.stateMachineArn}'`);
    const name = input.name ?? randomUUID();
    if (!namePattern.test(name)) throw new SfnApiError("InvalidName", `Invalid Name: '${name}'`);
    const text = input.input === undefined ? "{}" : typeof input.input === "string" ? input.input : JSON.stringify(input.input);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new SfnApiError("InvalidExecutionInput", `Invalid State Machine Execution Input: '${text.slice(0, 100)}'`);
    }
    const [, partition, , regionPart, account, , smName] = arnParts(machine.arn, "stateMachine");
    const executionArn = `arn:${partition}:states:${regionPart}:${account}:execution:${smName}:${name}`;
    const existing = this.records.get(executionArn);
    if (existing) {
      if (existing.status === "RUNNING" && canonical(JSON.parse(existing.input)) === canonical(parsed)) {
        return { executionArn, startDate: new Date(existing.startDate) };
      }
      throw new SfnApiError("ExecutionAlreadyExists", `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      input: text,
      status: "RUNNING",
      startDate: this.clock.now().toISOString(),
      runs: 0,
      stateTransitions: 0,
      tokens: {},
      waits: {},
      history: [],
    };
    this.records.set(executionArn, record);
    this.journal.save(record);
    this.launch(record, machine);
    return { executionArn, startDate: new Date(record.startDate) };
  }

  describeExecution({ executionArn }: { executionArn: string }): ExecutionDescription {
    return describe(this.record(executionArn));
  }

  listExecutions(input: ListExecutionsInput): { executions: ExecutionListItem[]; nextToken?: string } {
    if (!this.machines.has(input.stateMachineArn) && ![...this.records.values()].some((r) => r.stateMachineArn === input.stateMachineArn)) {
      throw new SfnApiError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${input.stateMachineArn}'`);
    }
    const all = [...this.records.values()]
      .filter((r) => r.stateMachineArn === input.stateMachineArn && (!input.statusFilter || r.status === input.statusFilter))
      .sort((a, b) => b.startDate.localeCompare(a.startDate) || b.name.localeCompare(a.name))
      .map((r) => {
        const { executionArn, stateMachineArn, name, status, startDate, stopDate } = describe(r);
        return { executionArn, stateMachineArn, name, status, startDate, stopDate };
      });
    return page(all, input.maxResults, input.nextToken, "executions");
  }

  getExecutionHistory(input: GetExecutionHistoryInput): { events: HistoryEventOutput[]; nextToken?: string } {
    const events = this.record(input.executionArn).history.map((event) => ({ ...event, timestamp: new Date(event.timestamp) }));
    if (input.reverseOrder) events.reverse();
    return page(events, input.maxResults, input.nextToken, "events");
  }

  sendTaskSuccess({ taskToken, output }: { taskToken: string; output: unknown }): Record<string, never> {
    const text = typeof output === "string" ? output : JSON.stringify(output ?? null);
    try {
      JSON.parse(text);
    } catch {
      throw new SfnApiError("InvalidOutput", "Invalid Output: the task output must be JSON");
    }
    this.settleToken(taskToken, { status: "SUCCEEDED", output: text });
    return {};
  }

  sendTaskFailure({ taskToken, error, cause }: { taskToken: string; error?: string; cause?: string }): Record<string, never> {
    this.settleToken(taskToken, { status: "FAILED", error: error ?? "", cause: cause ?? "" });
    return {};
  }

  sendTaskHeartbeat({ taskToken }: { taskToken: string }): Record<string, never> {
    const { record, token } = this.pendingToken(taskToken);
    token.lastHeartbeatAt = this.clock.now().toISOString();
    this.journal.save(record);
    this.tokenWaiters.get(taskToken)?.notify();
    return {};
  }

  stopExecution({ executionArn, error, cause }: { executionArn: string; error?: string; cause?: string }): { stopDate: Date } {
    const record = this.record(executionArn);
    if (record.status === "RUNNING") {
      const live = this.live.get(executionArn);
      if (live) live.stopReason = "stopped";
      this.finish(record, { status: "ABORTED", error, cause });
      live?.controller.abort(new ExecutionStoppedError("Execution stopped"));
    }
    return { stopDate: new Date(record.stopDate!) };
  }

  /** Re-runs every journalled RUNNING execution from its input; returns their ARNs. */
  async resume(): Promise<string[]> {
    if (this.closed) throw new Error("LocalStepFunctions is closed");
    const resumed: string[] = [];
    for (const record of this.records.values()) {
      if (record.status !== "RUNNING" || this.live.has(record.executionArn)) continue;
      const machine = this.machines.get(record.stateMachineArn);
      if (!machine) {
        this.options.log?.(`[sfn] cannot resume ${record.executionArn}: state machine not registered`);
        continue;
      }
      this.options.log?.(`[sfn] resuming ${record.executionArn}`);
      this.launch(record, machine);
      resumed.push(record.executionArn);
    }
    return resumed;
  }

  /** Resolves once the execution is no longer RUNNING. */
  waitForExecution(executionArn: string): Promise<ExecutionDescription> {
    const record = this.record(executionArn);
    if (record.status !== "RUNNING") return Promise.resolve(describe(record));
    return new Promise((resolve) => {
      const listeners = this.settledListeners.get(executionArn) ?? [];
      listeners.push(resolve);
      this.settledListeners.set(executionArn, listeners);
    });
  }

  /**
   * Resolves when no execution is doing work: every running one waits for the clock or a task
   * token. Useful after moving the clock ("advance a day, then look").
   */
  async idle(): Promise<void> {
    let quietTurns = 0;
    while (quietTurns < 3) {
      await new Promise((resolve) => setImmediate(resolve));
      quietTurns = this.busy === 0 ? quietTurns + 1 : 0;
    }
  }

  stats(): SfnStats {
    const byMachine = new Map<string, StateMachineStats>();
    for (const machine of this.machines.values()) byMachine.set(machine.arn, emptyStats(machine.arn, machine.name));
    for (const record of this.records.values()) {
      const stats = byMachine.get(record.stateMachineArn) ?? emptyStats(record.stateMachineArn, record.stateMachineArn.split(":").pop()!);
      stats.executions++;
      stats.byStatus[record.status]++;
      stats.stateTransitions += record.stateTransitions;
      stats.largestHistory = Math.max(stats.largestHistory, record.history.length);
      byMachine.set(record.stateMachineArn, stats);
    }
    const stateMachines = [...byMachine.values()];
    return {
      executions: stateMachines.reduce((sum, s) => sum + s.executions, 0),
      stateTransitions: stateMachines.reduce((sum, s) => sum + s.stateTransitions, 0),
      largestHistory: Math.max(0, ...stateMachines.map((s) => s.largestHistory)),
      stateMachines,
    };
  }

  /** Stops every run without changing its journalled status, so `resume()` picks it up again. */
  async close(): Promise<void> {
    this.closed = true;
    const running = [...this.live.values()];
    for (const live of running) {
      live.stopReason = "closing";
      live.controller.abort(new ExecutionStoppedError("Local Step Functions closed"));
    }
    await Promise.allSettled(running.map((live) => live.done));
    for (const record of this.records.values()) if (record.status === "RUNNING") this.journal.save(record);
  }

  private launch(record: ExecutionRecord, machine: Registered): void {
    const live: Live = {
      record,
      machine,
      controller: new AbortController(),
      context: {
        LocalExecution: {
          Id: record.executionArn,
          Input: JSON.parse(record.input),
          Name: record.name,
          RoleArn: roleArn,
          StartTime: record.startDate,
          RedriveCount: 0,
        },
        StateMachine: { Id: machine.arn, Name: machine.name },
        LocalTask: { Token: taskTokenPlaceholder },
      },
    };
    this.live.set(record.executionArn, live);
    live.done = this.run(live)
      .catch((error) => this.options.log?.(`[sfn] ${record.executionArn} crashed: ${(error as Error).stack ?? error}`))
      .finally(() => this.live.delete(record.executionArn));
  }

  private async run(live: Live): Promise<void> {
    const { record, machine } = live;
    this.busy++;
    let busy = true;
    const timeoutWait = new AbortController();
    try {
      await this.timeoutError;
      // The runner never notices a signal aborted before it starts: do not start at all.
      if (live.controller.signal.aborted) return;
      record.runs++;
      record.stateTransitions = 0;
      record.history = [];
      this.append(record, { type: "ExecutionStarted", executionStartedEventDetails: { input: record.input, roleArn } });
      this.journal.save(record);
      this.options.log?.(`[sfn] ${record.runs > 1 ? "re-running" : "started"} ${record.executionArn}`);

      const scope = this.scope(live, machine.local.root, "", (event) => this.append(record, event));
      const execution = this.runner(scope.group).run(JSON.parse(record.input), {
        overrides: this.overrides(scope),
        context: live.context,
        _rootAbortSignal: live.controller.signal,
      } as never);
      const drained = scope.history.consume(execution.eventLogs);
      if (machine.local.timeoutSeconds) {
        const deadline = new Date(Date.parse(record.startDate) + machine.local.timeoutSeconds * 1000);
        this.clock.waitUntil(deadline, timeoutWait.signal).then(
          () => {
            live.stopReason = "timedOut";
            this.finish(record, { status: "TIMED_OUT", error: "States.Timeout", cause: "The execution ran longer than its TimeoutSeconds" });
            live.controller.abort(new ExecutionStoppedError("Execution timed out"));
          },
          () => {},
        );
      }
      this.busy--;
      busy = false;

      let outcome: Outcome | undefined;
      try {
        const output = await execution.result;
        outcome = { status: "SUCCEEDED", output: JSON.stringify(output ?? null) };
      } catch (error) {
        outcome = failureOf(error);
      }
      if (live.stopReason) outcome = undefined;
      this.busy++;
      busy = true;
      await drained;
      if (outcome) this.finish(record, outcome);
    } finally {
      timeoutWait.abort();
      if (busy) this.busy--;
    }
  }

  private finish(record: ExecutionRecord, outcome: Outcome): void {
    if (record.status !== "RUNNING") return;
    Object.assign(record, outcome, { stopDate: this.clock.now().toISOString() });
    for (const token of Object.values(record.tokens)) if (token.status === "PENDING") token.status = "CLOSED";
    const details: Record<Outcome["status"], [string, object]> = {
      SUCCEEDED: ["executionSucceededEventDetails", { output: outcome.output }],
      FAILED: ["executionFailedEventDetails", { error: outcome.error, cause: outcome.cause }],
      ABORTED: ["executionAbortedEventDetails", { error: outcome.error, cause: outcome.cause }],
      TIMED_OUT: ["executionTimedOutEventDetails", { error: outcome.error, cause: outcome.cause }],
    };
    const [key, value] = details[outcome.status];
    const type = { SUCCEEDED: "ExecutionSucceeded", FAILED: "ExecutionFailed", ABORTED: "ExecutionAborted", TIMED_OUT: "ExecutionTimedOut" }[outcome.status];
    this.append(record, { type, [key]: value }, true);
    this.journal.save(record);
    this.options.log?.(`[sfn] ${outcome.status} ${record.executionArn}${outcome.error ? ` (${outcome.error})` : ""}`);
    const description = describe(record);
    for (const listener of this.settledListeners.get(record.executionArn) ?? []) listener(description);
    this.settledListeners.delete(record.executionArn);
  }

  private append(record: ExecutionRecord, event: Omit<PendingHistoryEvent, "timestamp"> & { timestamp?: string }, closing = false): void {
    if (record.status !== "RUNNING" && !closing) return;
    const id = record.history.length + 1;
    record.history.push({ ...event, id, previousEventId: id - 1, timestamp: event.timestamp ?? this.clock.now().toISOString() } as HistoryEvent);
  }

  private scope(live: Live, group: LocalGroup, path: string, sink: (event: PendingHistoryEvent) => void): Scope {
    const history = new RunHistory(group, sink, {
      now: () => this.clock.now(),
      transition: () => live.record.status === "RUNNING" && live.record.stateTransitions++,
      busy: (delta) => (this.busy += delta),
    });
    return { live, group, path, history, visits: new Map() };
  }

  private runner(group: LocalGroup): StateMachine {
    let runner = this.runners.get(group);
    if (!runner) {
      runner = new StateMachine(group.definition as never, { validationOptions: { noValidate: true } });
      this.runners.set(group, runner);
    }
    return runner;
  }

  private overrides(scope: Scope) {
    const handlers = Object.fromEntries(
      [...scope.group.tasks.values()].map((task) => [task.name, (input: unknown) => this.runTask(scope, task, input as Wrapped) as never]),
    );
    const retryIntervalOverrides =
      this.options.retryIntervalMs === undefined
        ? undefined
        : Object.fromEntries([...scope.group.retriers.keys()].map((name) => [name, this.options.retryIntervalMs!]));
    return { taskResourceLocalHandlers: handlers, retryIntervalOverrides };
  }

  private async runTask(scope: Scope, task: LocalTask, input: Wrapped): Promise<unknown> {
    const signal = scope.live.controller.signal;
    // A stopped execution may still be retried by the runner: never start an effect after a stop.
    if (signal.aborted) throw signal.reason;
    switch (task.kind) {
      case "lambda":
        return this.lambdaTask(scope, task, input);
      case "callback":
        return this.callbackTask(scope, task, input);
      case "wait":
        return this.waitTask(scope, task, input);
      case "map":
        return this.mapTask(scope, task, input);
    }
  }

  private async lambdaTask(scope: Scope, task: LambdaTask, wrapped: Wrapped): Promise<unknown> {
    this.nextVisit(scope, task.name);
    const { functionArn, payload } = invocationOf(task, wrapped);
    const timeoutSeconds = task.hasTimeoutPath ? Number(wrapped.timeout) : task.timeoutSeconds;
    const resource = resourceOf(task);
    scope.history.hold(task.name, {
      type: "TaskScheduled",
      taskScheduledEventDetails: { resourceType: "lambda", resource, region, parameters: JSON.stringify(wrapped.params ?? wrapped.input), timeoutInSeconds: timeoutSeconds },
    });
    scope.history.hold(task.name, { type: "TaskStarted", taskStartedEventDetails: { resourceType: "lambda", resource } });
    let result: unknown;
    try {
      result = await this.invoke(functionArn, payload, { stateName: task.name, executionArn: scope.live.record.executionArn }, timeoutSeconds);
    } catch (error) {
      const failure = await this.asStateError(error);
      const timedOut = failure.name === "States.Timeout";
      scope.history.hold(task.name, {
        type: timedOut ? "TaskTimedOut" : "TaskFailed",
        [timedOut ? "taskTimedOutEventDetails" : "taskFailedEventDetails"]: { resourceType: "lambda", resource, error: failure.name, cause: failure.message },
      });
      throw failure;
    }
    const output = task.integration === "invoke" ? lambdaResponse(result) : result;
    scope.history.hold(task.name, { type: "TaskSucceeded", taskSucceededEventDetails: { resourceType: "lambda", resource, output: JSON.stringify(output) } });
    return output;
  }

  private async callbackTask(scope: Scope, task: CallbackTask, wrapped: Wrapped): Promise<unknown> {
    const { record } = scope.live;
    const key = this.nextVisit(scope, task.name);
    const taskToken = this.tokenFor(record.executionArn, key);
    const params = withTaskToken((wrapped.params ?? {}) as Record<string, unknown>, taskToken);
    const resource = "invoke.waitForTaskToken";
    let token = record.tokens[taskToken];
    if (!token) {
      const now = this.clock.now().toISOString();
      token = {
        key,
        stateName: task.name,
        startedAt: now,
        lastHeartbeatAt: now,
        timeoutSeconds: task.hasTimeoutPath ? Number(wrapped.timeout) : task.timeoutSeconds,
        heartbeatSeconds: task.hasHeartbeatPath ? Number(wrapped.heartbeat) : task.heartbeatSeconds,
        status: "PENDING",
      };
      record.tokens[taskToken] = token;
      this.tokens.set(taskToken, record.executionArn);
      this.journal.save(record);
    }
    scope.history.hold(task.name, {
      type: "TaskScheduled",
      taskScheduledEventDetails: {
        resourceType: "lambda",
        resource,
        region,
        parameters: JSON.stringify(params),
        timeoutInSeconds: token.timeoutSeconds,
        heartbeatInSeconds: token.heartbeatSeconds,
      },
    });
    scope.history.hold(task.name, { type: "TaskStarted", taskStartedEventDetails: { resourceType: "lambda", resource } });
    if (token.status === "PENDING") {
      const waiter = this.tokenWaiter(taskToken);
      try {
        const response = await this.invoke(String(params.FunctionName), "Payload" in params ? params.Payload : {}, {
          stateName: task.name,
          executionArn: record.executionArn,
          taskToken,
        }).catch(async (error) => {
          const failure = await this.asStateError(error);
          if (token.status === "PENDING") Object.assign(token, { status: "FAILED", error: failure.name, cause: failure.message });
          this.journal.save(record);
          throw failure;
        });
        scope.history.hold(task.name, { type: "TaskSubmitted", taskSubmittedEventDetails: { resourceType: "lambda", resource, output: JSON.stringify(lambdaResponse(response)) } });
        await this.awaitToken(scope.live, token, waiter);
      } finally {
        this.tokenWaiters.delete(taskToken);
      }
    }
    switch (token.status) {
      case "SUCCEEDED":
        scope.history.hold(task.name, { type: "TaskSucceeded", taskSucceededEventDetails: { resourceType: "lambda", resource, output: token.output } });
        return JSON.parse(token.output!);
      case "FAILED":
        scope.history.hold(task.name, { type: "TaskFailed", taskFailedEventDetails: { resourceType: "lambda", resource, error: token.error, cause: token.cause } });
        throw new StateError(token.error ?? "", token.cause ?? "");
      case "TIMED_OUT":
        scope.history.hold(task.name, { type: "TaskTimedOut", taskTimedOutEventDetails: { resourceType: "lambda", resource, error: token.error, cause: token.cause } });
        throw new (await this.timeoutError)();
      default:
        throw scope.live.controller.signal.reason ?? new ExecutionStoppedError("Execution stopped");
    }
  }

  /** Waits until the token is settled, times out on the virtual clock, or the execution stops. */
  private async awaitToken(live: Live, token: TaskTokenRecord, waiter: TokenWaiter): Promise<void> {
    while (token.status === "PENDING") {
      const timeoutAt = token.timeoutSeconds ? Date.parse(token.startedAt) + token.timeoutSeconds * 1000 : Infinity;
      const heartbeatAt = token.heartbeatSeconds ? Date.parse(token.lastHeartbeatAt) + token.heartbeatSeconds * 1000 : Infinity;
      const dueAt = Math.min(timeoutAt, heartbeatAt);
      if (this.clock.now().getTime() >= dueAt) {
        Object.assign(token, {
          status: "TIMED_OUT",
          error: "States.Timeout",
          cause: dueAt === heartbeatAt ? "No heartbeat within HeartbeatSeconds" : "The task was not settled within TimeoutSeconds",
        });
        this.journal.save(live.record);
        return;
      }
      const stop = new AbortController();
      const signal = AbortSignal.any([live.controller.signal, stop.signal]);
      const stopped = new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
      try {
        await Promise.race([waiter.changed, Number.isFinite(dueAt) ? this.clock.waitUntil(new Date(dueAt), signal) : never, stopped]);
      } catch (error) {
        if (live.controller.signal.aborted) throw live.controller.signal.reason;
        throw error;
      } finally {
        stop.abort();
        stopped.catch(() => {});
      }
    }
  }

  private async waitTask(scope: Scope, task: WaitTask, wrapped: Wrapped): Promise<unknown> {
    const { record } = scope.live;
    const key = this.nextVisit(scope, task.name);
    let until: Date;
    const timestamp = task.timestamp ?? wrapped.timestamp;
    if (timestamp !== undefined) {
      until = new Date(typeof timestamp === "string" ? timestamp : NaN);
      if (Number.isNaN(until.getTime())) throw new StateError("States.Runtime", `Wait "${task.name}": ${JSON.stringify(timestamp)} is not a timestamp`);
    } else {
      const seconds = task.seconds ?? wrapped.seconds;
      if (typeof seconds !== "number" || !(seconds >= 0)) {
        throw new StateError("States.Runtime", `Wait "${task.name}": ${JSON.stringify(seconds)} is not a number of seconds`);
      }
      if (!record.waits[key]) {
        record.waits[key] = new Date(this.clock.now().getTime() + seconds * 1000).toISOString();
        this.journal.save(record);
      }
      until = new Date(record.waits[key]);
    }
    await this.clock.waitUntil(until, scope.live.controller.signal);
    return wrapped.input;
  }

  private async mapTask(scope: Scope, task: MapTask, wrapped: Wrapped): Promise<unknown[]> {
    const key = this.nextVisit(scope, task.name);
    const distributed = task.distributed;
    const items = distributed?.reads ? await this.readItems(task, wrapped) : wrapped.items;
    if (!Array.isArray(items)) throw new StateError("States.Runtime", `Map "${task.name}": ItemsPath does not point to an array`);
    const limit = Number(task.maxConcurrency ?? wrapped.maxConcurrency ?? 0) || Infinity;
    const hold = (event: Parameters<RunHistory["hold"]>[1]) => scope.history.hold(task.name, event);
    // A Distributed Map's iterations are child workflow executions: the parent's history shows
    // the map run only, never an event per item (which is what keeps it under 25,000 events).
    const holdIteration = distributed ? () => {} : hold;
    const mapRunArn = distributed ? `${scope.live.record.executionArn.replace(":execution:", ":mapRun:")}/${distributed.label ?? task.name}:${key}` : "";
    hold(distributed ? { type: "MapRunStarted", mapRunStartedEventDetails: { mapRunArn } } : { type: "MapStateStarted", mapStateStartedEventDetails: { length: items.length } });
    const tolerated = distributed ? toleratedFailures(distributed, items.length) : 0;
    const stop = new AbortController();
    const signal = AbortSignal.any([scope.live.controller.signal, stop.signal]);
    const results: unknown[] = new Array(items.length);
    let failure: Error | undefined;
    let failed = 0;
    let next = 0;
    const iterate = async (index: number) => {
      const details = { name: task.name, index };
      const itemInput = task.itemSelector === undefined ? items[index] : await this.selectItem(scope.live, task, wrapped.input, items[index], index);
      if (signal.aborted) return;
      holdIteration({ type: "MapIterationStarted", mapIterationStartedEventDetails: details });
      const sink = distributed ? () => {} : (event: PendingHistoryEvent) => scope.history.hold(task.name, event);
      const child = this.scope(scope.live, task.iterator, `${key}[${index}]`, sink);
      const execution = this.runner(task.iterator).run(itemInput as never, {
        overrides: this.overrides(child),
        context: scope.live.context,
        _rootAbortSignal: signal,
      } as never);
      const drained = child.history.consume(execution.eventLogs);
      try {
        results[index] = await execution.result;
        await drained;
        holdIteration({ type: "MapIterationSucceeded", mapIterationSucceededEventDetails: details });
      } catch (error) {
        await drained;
        if (error instanceof ExecutionAbortedError) {
          holdIteration({ type: "MapIterationAborted", mapIterationAbortedEventDetails: details });
          return;
        }
        holdIteration({ type: "MapIterationFailed", mapIterationFailedEventDetails: details });
        const cause = error instanceof ExecutionError ? (error.cause as Error) : (error as Error);
        failed++;
        if (distributed) {
          results[index] = { Error: cause.name, Cause: cause.message };
          if (failed <= tolerated) return;
          failure ??= new StateError(
            "States.ExceedToleratedFailureThreshold",
            `The specified tolerated failure threshold was exceeded (item ${index}: ${cause.name}: ${errorMessageOf(cause.message)})`,
          );
        } else {
          failure ??= cause;
        }
        stop.abort(failure);
      }
    };
    const worker = async () => {
      while (next < items.length && !signal.aborted) await iterate(next++);
    };
    try {
      await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
    } catch (error) {
      failure ??= error as Error;
    }
    if (scope.live.controller.signal.aborted) throw scope.live.controller.signal.reason;
    if (failure) {
      hold(distributed ? { type: "MapRunFailed", mapRunFailedEventDetails: { error: failure.name, cause: failure.message } } : { type: "MapStateFailed" });
      throw failure;
    }
    hold(distributed ? { type: "MapRunSucceeded" } : { type: "MapStateSucceeded" });
    return results;
  }

  /** A Distributed Map's items: the JSON array its ItemReader names in S3. */
  private async readItems(task: MapTask, wrapped: Wrapped): Promise<unknown> {
    const { Bucket, Key } = wrapped.reader ?? {};
    if (typeof Bucket !== "string" || typeof Key !== "string") {
      throw new StateError("States.Runtime", `Distributed Map "${task.name}": ItemReader Parameters need a Bucket and a Key (got ${JSON.stringify(wrapped.reader)})`);
    }
    if (!this.options.readObject) throw new StateError("States.Runtime", `Distributed Map "${task.name}": no object store to read s3://${Bucket}/${Key}`);
    let items: unknown;
    try {
      // work in flight, like a Lambda call: `idle()` must not answer while the plan is read
      this.busy++;
      items = JSON.parse(await this.options.readObject(Bucket, Key).finally(() => this.busy--));
    } catch (error) {
      throw new StateError("States.ItemReaderFailed", `Distributed Map "${task.name}": s3://${Bucket}/${Key}: ${(error as Error).message}`);
    }
    if (!Array.isArray(items)) throw new StateError("States.ItemReaderFailed", `Distributed Map "${task.name}": s3://${Bucket}/${Key} is not a JSON array`);
    return items;
  }

  /** Evaluates ItemSelector with `$$.Map.Item` the way the runner evaluates any payload template. */
  private async selectItem(live: Live, task: MapTask, input: unknown, item: unknown, index: number): Promise<unknown> {
    let selector = this.selectors.get(task);
    if (!selector) {
      selector = new StateMachine({ StartAt: "Select", States: { Select: { Type: "Pass", Parameters: task.itemSelector, End: true } } } as never, {
        validationOptions: { noValidate: true },
      });
      this.selectors.set(task, selector);
    }
    try {
      return await selector.run(input as never, { context: { ...live.context, Map: { Item: { Index: index, Value: item } } } as never }).result;
    } catch (error) {
      throw error instanceof ExecutionError ? (error.cause as Error) : error;
    }
  }

  private async invoke(functionArn: string, payload: unknown, meta: InvokeMeta, timeoutSeconds?: number): Promise<unknown> {
    this.busy++;
    let timer: NodeJS.Timeout | undefined;
    try {
      const call = this.options.invokeFunction(functionArn, roundTrip(payload), meta);
      if (!timeoutSeconds) return roundTrip(await call);
      const TimeoutError = await this.timeoutError;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TimeoutError()), Math.min(timeoutSeconds * 1000, 2_147_483_647));
      });
      return roundTrip(await Promise.race([call, timedOut]));
    } finally {
      clearTimeout(timer);
      this.busy--;
    }
  }

  /** A handler's exception as Step Functions reports a Lambda function error. */
  private async asStateError(error: unknown): Promise<Error> {
    if (error instanceof (await this.timeoutError)) return error as Error;
    const thrown = error instanceof Error ? error : new Error(String(error));
    const errorType = thrown.name || "Error";
    return new StateError(errorType, JSON.stringify({ errorType, errorMessage: thrown.message, trace: thrown.stack?.split("\n") ?? [] }));
  }

  private settleToken(taskToken: string, outcome: Pick<TaskTokenRecord, "status" | "output" | "error" | "cause">): void {
    const { record, token } = this.pendingToken(taskToken);
    Object.assign(token, outcome);
    this.journal.save(record);
    this.tokenWaiters.get(taskToken)?.notify();
  }

  private pendingToken(taskToken: string): { record: ExecutionRecord; token: TaskTokenRecord } {
    if (typeof taskToken !== "string" || !tokenPattern.test(taskToken)) throw new SfnApiError("InvalidToken", "Invalid Token");
    const executionArn = this.tokens.get(taskToken);
    const record = executionArn ? this.records.get(executionArn) : undefined;
    const token = record?.tokens[taskToken];
    if (!record || !token) throw new SfnApiError("TaskDoesNotExist", "Task Does Not Exist");
    if (token.status === "TIMED_OUT") throw new SfnApiError("TaskTimedOut", "Task Timed Out");
    if (token.status !== "PENDING" || record.status !== "RUNNING") throw new SfnApiError("TaskDoesNotExist", "Task Does Not Exist");
    return { record, token };
  }

  private tokenWaiter(taskToken: string): TokenWaiter {
    let resolve!: () => void;
    const waiter: TokenWaiter = {
      changed: new Promise<void>((done) => (resolve = done)),
      notify: () => {
        const previous = resolve;
        waiter.changed = new Promise<void>((done) => (resolve = done));
        previous();
      },
    };
    this.tokenWaiters.set(taskToken, waiter);
    return waiter;
  }

  private nextVisit(scope: Scope, stateName: string): string {
    const visit = scope.visits.get(stateName) ?? 0;
    scope.visits.set(stateName, visit + 1);
    return `${scope.path}/${stateName}#${visit}`;
  }

  // Same place in the same execution → same token, so a resumed run re-registers the token the app stored.
  private tokenFor(executionArn: string, key: string): string {
    return `LT1${createHmac("sha256", this.secret).update(`${executionArn}\n${key}`).digest("base64url")}`;
  }

  private record(executionArn: string): ExecutionRecord {
    const record = this.records.get(executionArn);
    if (!record) {
      if (!/^arn:[\w-]+:states:/.test(executionArn ?? "")) throw new SfnApiError("InvalidArn", `Invalid Arn: '${executionArn}'`);
      throw new SfnApiError("ExecutionDoesNotExist", `Execution Does Not Exist: '${executionArn}'`);
    }
    return record;
  }
}

/** The parameters object every rewritten task receives (see rewrite.ts). */
/** The message of a Lambda error's cause (`{"errorType","errorMessage","trace"}`), or the cause itself. */
function errorMessageOf(cause: string): string {
  try {
    const parsed = JSON.parse(cause);
    return typeof parsed?.errorMessage === "string" ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}

/** How many iterations may fail before a Distributed Map fails (none unless the state says). */
function toleratedFailures(config: { toleratedFailureCount?: number; toleratedFailurePercentage?: number }, items: number): number {
  const byCount = config.toleratedFailureCount ?? 0;
  const byPercentage = config.toleratedFailurePercentage === undefined ? 0 : Math.floor((config.toleratedFailurePercentage / 100) * items);
  return Math.max(byCount, byPercentage);
}

interface Wrapped {
  input: unknown;
  params?: unknown;
  timeout?: unknown;
  heartbeat?: unknown;
  seconds?: unknown;
  timestamp?: unknown;
  items?: unknown;
  reader?: { Bucket?: unknown; Key?: unknown };
  maxConcurrency?: unknown;
}

function invocationOf(task: LambdaTask, wrapped: Wrapped): { functionArn: string; payload: unknown } {
  if (task.integration === "direct") return { functionArn: task.resource, payload: "params" in wrapped ? wrapped.params : wrapped.input };
  const params = (wrapped.params ?? {}) as Record<string, unknown>;
  return { functionArn: String(params.FunctionName), payload: "Payload" in params ? params.Payload : {} };
}

function resourceOf(task: LambdaTask): string {
  return task.integration === "invoke" ? "invoke" : task.resource.split(":").slice(6).join(":");
}

function lambdaResponse(payload: unknown) {
  const requestId = randomUUID();
  return {
    ExecutedVersion: "$LATEST",
    Payload: payload ?? null,
    SdkHttpMetadata: {
      AllHttpHeaders: { "X-Amz-Executed-Version": ["$LATEST"], "x-amzn-RequestId": [requestId], "Content-Type": ["application/json"] },
      HttpHeaders: { "X-Amz-Executed-Version": "$LATEST", "x-amzn-RequestId": requestId, "Content-Type": "application/json" },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

function roundTrip(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

function failureOf(error: unknown): Outcome {
  const cause = error instanceof ExecutionError ? (error.cause as Error) : (error as Error);
  return { status: "FAILED", error: cause?.name ?? "Error", cause: cause?.message ?? String(error) };
}

function describe(record: ExecutionRecord): ExecutionDescription {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: new Date(record.startDate),
    stopDate: record.stopDate ? new Date(record.stopDate) : undefined,
    input: record.input,
    output: record.output,
    error: record.error,
    cause: record.cause,
  };
}

function emptyStats(stateMachineArn: string, name: string): StateMachineStats {
  return {
    stateMachineArn,
    name,
    executions: 0,
    byStatus: { RUNNING: 0, SUCCEEDED: 0, FAILED: 0, TIMED_OUT: 0, ABORTED: 0 },
    stateTransitions: 0,
    largestHistory: 0,
  };
}

function page<T, K extends string>(items: T[], maxResults: number | undefined, nextToken: string | undefined, key: K) {
  const start = nextToken ? Number(Buffer.from(nextToken, "base64url").toString()) || 0 : 0;
  const size = maxResults && maxResults > 0 ? maxResults : 1000;
  const end = start + size;
  return {
    [key]: items.slice(start, end),
    nextToken: end < items.length ? Buffer.from(String(end)).toString("base64url") : undefined,
  } as { [P in K]: T[] } & { nextToken?: string };
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

function arnParts(arn: string, kind: "stateMachine"): string[] {
  const parts = String(arn).split(":");
  if (parts.length !== 7 || parts[0] !== "arn" || parts[2] !== "states" || parts[5] !== kind) {
    throw new SfnApiError("InvalidArn", `Invalid Arn: '${arn}'`);
  }
  return parts;
}

/**
 * The runner tells a task timeout from other failures by its class (States.TaskFailed must not
 * match it) but does not export it; one 1 ms timeout of a throwaway Task yields it.
 */
async function statesTimeoutErrorClass(): Promise<new () => Error> {
  let release!: () => void;
  const pending = new Promise<null>((done) => (release = () => done(null)));
  const probe = new StateMachine(
    { StartAt: "Probe", States: { Probe: { Type: "Task", Resource: "arn:aws:lambda:local:000000000000:function:probe", TimeoutSeconds: 0.001, End: true } } } as never,
    { validationOptions: { noValidate: true } },
  );
  try {
    await probe.run(null, { overrides: { taskResourceLocalHandlers: { Probe: () => pending } } }).result;
  } catch (error) {
    const cause = error instanceof ExecutionError ? (error.cause as Error) : undefined;
    if (cause?.name === "States.Timeout") return cause.constructor as new () => Error;
  } finally {
    release();
  }
  return class StatesTimeoutError extends Error {
    constructor() {
      super("States.Timeout");
      this.name = "States.Timeout";
    }
  };
}
