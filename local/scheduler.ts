import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { CronExpressionParser } from "cron-parser";
import type { LocalSchedule } from "./template.js";

/** Converts an EventBridge Scheduler expression "cron(m h dom mon dow year)" to 5-field cron. */
export function toCron(expression: string): string {
  const match = expression.match(/^cron\((.+)\)$/);
  if (!match) throw new Error(`Only cron() schedules run locally, got ${expression}`);
  const [minute, hour, dom, month, dow] = match[1].trim().split(/\s+/);
  return [minute, hour, dom, month, dow].join(" ");
}

/** Fire instants of a schedule in (after, until], in order. */
export function fireTimes(schedule: LocalSchedule, after: Date, until: Date): Date[] {
  const cron = CronExpressionParser.parse(toCron(schedule.expression), {
    currentDate: after,
    endDate: until,
    tz: schedule.timezone,
  });
  const times: Date[] = [];
  while (cron.hasNext()) {
    const next = cron.next().toDate();
    if (next > until) break;
    times.push(next);
  }
  return times;
}

/**
 * EventBridge Scheduler on the virtual clock: whenever the clock moves, every schedule whose
 * fire time passed invokes its target with the input (scheduled-time substituted). The last
 * checked instant is persisted, so a restart neither skips nor repeats a fire.
 */
export class LocalScheduler {
  private checkedUntil: Date;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly schedules: LocalSchedule[],
    private readonly opts: { stateFile: string; now: () => Date; fire: (targetArn: string, input: unknown) => Promise<void>; log: (line: string) => void },
  ) {
    const saved = existsSync(opts.stateFile) ? JSON.parse(readFileSync(opts.stateFile, "utf8")) : undefined;
    this.checkedUntil = saved?.checkedUntil ? new Date(saved.checkedUntil) : opts.now();
    this.persist();
  }

  /** Runs due schedules; calls are serialised so fires happen in order. */
  tick(): Promise<void> {
    this.running = this.running.then(() => this.runDue()).catch((error) => this.opts.log(`scheduler: ${(error as Error).message}`));
    return this.running;
  }

  private async runDue() {
    const now = this.opts.now();
    if (now <= this.checkedUntil) return;
    const due = this.schedules
      .flatMap((schedule) => fireTimes(schedule, this.checkedUntil, now).map((at) => ({ schedule, at })))
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const { schedule, at } of due) {
      const input = JSON.parse(schedule.input.replaceAll("<aws.scheduler.scheduled-time>", at.toISOString().replace(/\.\d{3}Z$/, "Z")));
      this.opts.log(`scheduler: ${schedule.logicalId} fires for ${at.toISOString()}`);
      await this.opts.fire(schedule.targetArn, input);
      this.checkedUntil = at;
      this.persist();
    }
    this.checkedUntil = now;
    this.persist();
  }

  private persist() {
    const tmp = `${this.opts.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify({ checkedUntil: this.checkedUntil.toISOString() }));
    renameSync(tmp, this.opts.stateFile);
  }
}
