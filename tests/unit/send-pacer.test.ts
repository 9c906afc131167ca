import { describe, expect, it } from "vitest";
import { createPacer, DEFAULT_SEND_RATE } from "../../functions/adapters/send-pacer.js";

/** A clock that moves only when the pacer sleeps: what each send waited is read off it. */
function fakeTime() {
  let now = 0;
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
    advance: (ms: number) => (now += ms),
    slept,
  };
}

describe("pacing e-mails to the account's send rate", () => {
  it("spaces sends evenly at the rate SES gives", async () => {
    const time = fakeTime();
    const pace = createPacer({ rate: async () => 4, now: time.now, sleep: time.sleep });
    const startedAt: number[] = [];
    for (let i = 0; i < 5; i++) {
      await pace();
      startedAt.push(time.now());
    }
    expect(startedAt).toEqual([0, 250, 500, 750, 1000]);
  });

  it("serialises concurrent senders into consecutive slots", async () => {
    let now = 0;
    const waits: number[] = [];
    const pace = createPacer({ rate: async () => 10, now: () => now, sleep: async (ms) => void waits.push(ms) });
    await Promise.all(Array.from({ length: 8 }, () => pace()));
    expect(waits.sort((a, b) => a - b)).toEqual([100, 200, 300, 400, 500, 600, 700]);
    now = 10_000; // a quiet while later the next send goes at once
    await pace();
    expect(waits).toHaveLength(7);
  });

  it("lets a burst go at once, then the rate", async () => {
    const time = fakeTime();
    const pace = createPacer({ rate: async () => 2, burst: 3, now: time.now, sleep: time.sleep });
    const startedAt: number[] = [];
    for (let i = 0; i < 5; i++) {
      await pace();
      startedAt.push(time.now());
    }
    expect(startedAt).toEqual([0, 0, 0, 500, 1000]);
  });

  it("asks the rate once per container", async () => {
    let asked = 0;
    const time = fakeTime();
    const pace = createPacer({ rate: async () => (asked++, 100), now: time.now, sleep: time.sleep });
    await Promise.all([pace(), pace(), pace()]);
    await pace();
    expect(asked).toBe(1);
  });

  it.each([
    ["the account cannot be asked", () => Promise.reject(new Error("AccessDenied"))],
    ["SES answers no rate", () => Promise.resolve(Number.NaN)],
    ["SES answers 0", () => Promise.resolve(0)],
  ])("sends at the safe default when %s", async (_, rate) => {
    const time = fakeTime();
    const pace = createPacer({ rate, now: time.now, sleep: time.sleep });
    await pace();
    await pace();
    expect(time.now()).toBe(1000 / DEFAULT_SEND_RATE);
  });
});
