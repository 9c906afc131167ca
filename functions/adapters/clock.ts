/**
 * "Now" for handlers. In AWS it is the system clock; the embedded local stack runs handlers in
 * its own process and points this at its virtual clock, so Waits, schedules and handlers agree.
 * Core code never reads it: handlers pass `now` into functions/core.
 */
let source: () => Date = () => new Date();

export const clock = {
  now: (): Date => source(),
  /** Used only by the local runtime and tests. */
  use(next: () => Date): void {
    source = next;
  },
};
