import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ClockMovedBackwardsError, InvalidDurationError, VirtualClock, parseDuration } from "../../local/clock.js";

const start = new Date("2025-03-01T08:00:00.000Z");
const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe("parseDuration", () => {
  it.each([
    ["3d", 3 * 86_400_000],
    ["6h", 6 * 3_600_000],
    ["30m", 30 * 60_000],
    ["45s", 45_000],
    ["1d12h", 36 * 3_600_000],
    ["2h30m15s", 2 * 3_600_000 + 30 * 60_000 + 15_000],
    ["500ms", 500],
    ["0s", 0],
  ])("reads %s as %i ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "3", "d", "3x", "-1d", "1.5h", "12h1d", "3 d", "1d 2h"])("refuses %j with a clear error", (text) => {
    expect(() => parseDuration(text)).toThrow(InvalidDurationError);
    expect(() => parseDuration(text)).toThrow(/use e\.g\. 3d, 6h/);
  });
});

describe("VirtualClock", () => {
  it("stands still unless moved", async () => {
    const clock = new VirtualClock({ start });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clock.now()).toEqual(start);
    clock.advance(parseDuration("1d"));
    expect(clock.now().toISOString()).toBe("2025-03-02T08:00:00.000Z");
  });

  it("resolves waitUntil when the clock reaches the instant, not before", async () => {
    const clock = new VirtualClock({ start });
    const wait = clock.waitUntil(new Date("2025-03-01T09:00:00.000Z"));
    expect(await settled(wait)).toBe(false);
    clock.advance(parseDuration("59m"));
    expect(await settled(wait)).toBe(false);
    clock.advance(parseDuration("1m"));
    expect(await settled(wait)).toBe(true);
  });

  it("resolves at once for an instant already past", async () => {
    const clock = new VirtualClock({ start });
    expect(await settled(clock.waitUntil(new Date("2025-02-01T00:00:00Z")))).toBe(true);
    expect(await settled(clock.waitUntil(start))).toBe(true);
  });

  it("rejects a wait when its signal aborts", async () => {
    const clock = new VirtualClock({ start });
    const controller = new AbortController();
    const wait = clock.waitUntil(new Date("2025-04-01T00:00:00Z"), controller.signal);
    controller.abort(new Error("stopped"));
    await expect(wait).rejects.toThrow("stopped");
    expect(clock.pendingWaits()).toBe(0);
  });

  it("never moves backwards", () => {
    const clock = new VirtualClock({ start });
    clock.advance(1_000);
    expect(() => clock.set(start)).toThrow(ClockMovedBackwardsError);
    expect(() => clock.advance(-1)).toThrow();
    expect(clock.now().getTime()).toBe(start.getTime() + 1_000);
  });

  it("tells listeners about every change and lets them unsubscribe", () => {
    const clock = new VirtualClock({ start });
    const seen: string[] = [];
    const stop = clock.onChange((now) => seen.push(now.toISOString()));
    clock.advance(parseDuration("1h"));
    stop();
    clock.advance(parseDuration("1h"));
    expect(seen).toEqual(["2025-03-01T09:00:00.000Z"]);
  });

  it("resumes from the saved instant after a restart", () => {
    const file = join(mkdtempSync(join(tmpdir(), "karta-clock-")), "clock.json");
    const first = new VirtualClock({ file, start });
    first.advance(parseDuration("3d"));
    first.close();

    const second = new VirtualClock({ file, start: new Date("2030-01-01T00:00:00Z") });
    expect(second.now().toISOString()).toBe("2025-03-04T08:00:00.000Z");
    expect(JSON.parse(readFileSync(file, "utf8")).now).toBe("2025-03-04T08:00:00.000Z");
  });

  it("starts at the given start when no file exists yet", () => {
    const file = join(mkdtempSync(join(tmpdir(), "karta-clock-")), "nested", "clock.json");
    expect(new VirtualClock({ file, start }).now()).toEqual(start);
  });

  it("flows with real time in realtime mode", async () => {
    const clock = new VirtualClock({ start, realtime: true });
    const wait = clock.waitUntil(new Date(start.getTime() + 30));
    await wait;
    expect(clock.now().getTime()).toBeGreaterThanOrEqual(start.getTime() + 30);
    clock.close();
  });
});
