import { describe, expect, it } from "vitest";
import { timeForAnotherPage } from "../../functions/workflow/lib/time-budget.js";

describe("paginated steps' time budget", () => {
  it.each([
    ["a fresh 300 s invocation", 300_000, true],
    ["one with 61 s left", 61_000, true],
    ["one with a minute or less left", 60_000, false],
  ])("takes another page in %s", (_, remaining, expected) => {
    expect(timeForAnotherPage({ getRemainingTimeInMillis: () => remaining })).toBe(expected);
  });

  it("takes one page per call when called without a Lambda context", () => {
    expect(timeForAnotherPage(undefined)).toBe(false);
  });
});
