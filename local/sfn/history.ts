import type { LocalGroup } from "./rewrite.js";

/** The part of the runner's event log this module reads (the package does not export its type). */
type EventLog =
  | { type: "StateEntered" | "StateExited"; state: { name: string; input: unknown; output?: unknown } }
  | { type: "StateFailed"; state: { name: string }; Error: string; Cause: unknown }
  | { type: "StateRetried"; state: { name: string }; retry: { retrier: unknown; attempt: number } }
  | { type: "StateCaught"; state: { name: string } };

/** One event of an execution's history, named and shaped as GetExecutionHistory returns it. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: string;
  type: string;
  [details: string]: unknown;
}

export type PendingHistoryEvent = Omit<HistoryEvent, "id" | "previousEventId">;
export type NewHistoryEvent = Omit<PendingHistoryEvent, "timestamp"> & { timestamp?: string };

export interface RunHistoryHooks {
  now(): Date;
  /** A state was entered or retried: the billed unit of Standard workflows. */
  transition(): void;
  /** Work the runner does on its own (a retry pause) starts (+1) or ends (-1). */
  busy(delta: number): void;
}

const json = (value: unknown) => JSON.stringify(value ?? null);
const defaultMaxAttempts = 3;

/**
 * Translates the runner's event log of one run (the execution, or one Map iteration) into AWS
 * history events. Events that local handlers produce while a state runs (TaskScheduled, Map
 * iterations…) are held until the runner reports the state's end, so the order matches AWS.
 */
export class RunHistory {
  private readonly held = new Map<string, PendingHistoryEvent[]>();
  private readonly attempts = new Map<string, number[]>();
  private readonly pausing = new Set<string>();

  constructor(
    private readonly group: LocalGroup,
    private readonly sink: (event: PendingHistoryEvent) => void,
    private readonly hooks: RunHistoryHooks,
  ) {}

  /** Records an event of a state that is still running. */
  hold(stateName: string, event: NewHistoryEvent): void {
    const list = this.held.get(stateName) ?? [];
    list.push({ ...event, timestamp: event.timestamp ?? this.hooks.now().toISOString() });
    this.held.set(stateName, list);
  }

  async consume(events: AsyncGenerator<unknown>): Promise<void> {
    try {
      for await (const event of events) this.handle(event as EventLog);
    } finally {
      this.hooks.busy(-this.pausing.size);
      this.pausing.clear();
    }
  }

  private handle(event: EventLog): void {
    const stamp = () => this.hooks.now().toISOString();
    switch (event.type) {
      case "StateEntered": {
        const { name } = event.state;
        const type = this.typeOf(name);
        this.attempts.delete(name);
        this.hooks.transition();
        this.sink({ type: `${type}StateEntered`, timestamp: stamp(), stateEnteredEventDetails: { name, input: json(event.state.input) } });
        if (type === "Parallel") this.sink({ type: "ParallelStateStarted", timestamp: stamp() });
        return;
      }
      case "StateExited": {
        const { name } = event.state;
        const type = this.typeOf(name);
        this.flush(name);
        if (type === "Parallel") this.sink({ type: "ParallelStateSucceeded", timestamp: stamp() });
        this.sink({ type: `${type}StateExited`, timestamp: stamp(), stateExitedEventDetails: { name, output: json(event.state.output) } });
        return;
      }
      case "StateFailed": {
        const { name } = event.state;
        this.flush(name);
        if (this.typeOf(name) === "Parallel") {
          this.sink({ type: "ParallelStateFailed", timestamp: stamp(), parallelStateFailedEventDetails: { error: event.Error, cause: String(event.Cause) } });
        }
        if (this.willRetry(name, event.Error)) {
          this.pausing.add(name);
          this.hooks.busy(1);
        }
        return;
      }
      case "StateRetried": {
        const { name } = event.state;
        const retriers = this.group.retriers.get(name) ?? [];
        const counts = this.attempts.get(name) ?? retriers.map(() => 0);
        const index = retriers.indexOf(event.retry.retrier as never);
        if (index >= 0) counts[index]++;
        this.attempts.set(name, counts);
        this.hooks.transition();
        if (this.pausing.delete(name)) this.hooks.busy(-1);
        return;
      }
      default:
        return;
    }
  }

  // Mirrors the runner's retrier matching, to know whether it is about to pause in real time.
  private willRetry(stateName: string, error: string): boolean {
    const retriers = this.group.retriers.get(stateName) ?? [];
    if (error === "States.Runtime") return false;
    const counts = this.attempts.get(stateName) ?? retriers.map(() => 0);
    for (const [i, retrier] of retriers.entries()) {
      const matches = retrier.ErrorEquals.some(
        (name) => name === error || name === "States.ALL" || (name === "States.TaskFailed" && error !== "States.Timeout"),
      );
      if (matches) return counts[i] < (retrier.MaxAttempts ?? defaultMaxAttempts);
    }
    return false;
  }

  private flush(stateName: string): void {
    for (const event of this.held.get(stateName) ?? []) this.sink(event);
    this.held.delete(stateName);
  }

  private typeOf(stateName: string): string {
    return this.group.types.get(stateName) ?? "Task";
  }
}
