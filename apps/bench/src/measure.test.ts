import { describe, expect, test } from "vitest";
import { measure, summarize, wantsMore } from "./measure.js";

describe("summarize", () => {
  test("median of an odd count is the middle value; extremes and count", () => {
    expect(summarize([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, n: 3 });
  });

  test("median of an even count is the mean of the middle two", () => {
    expect(summarize([4, 1, 10, 2]).median).toBe(3);
  });

  test("empty or non-finite samples are refused", () => {
    expect(() => summarize([])).toThrow(RangeError);
    expect(() => summarize([1, Number.NaN])).toThrow(/non-finite/);
  });
});

describe("repetition plan", () => {
  test("runs at least min, then stops at max or once the budget is spent", () => {
    expect(wantsMore(4, 1e9, 5, 15, 5000)).toBe(true);
    expect(wantsMore(5, 4999, 5, 15, 5000)).toBe(true);
    expect(wantsMore(5, 5000, 5, 15, 5000)).toBe(false);
    expect(wantsMore(15, 0, 5, 15, 5000)).toBe(false);
  });

  test("measure runs the warm-ups, then the repetitions, and returns one duration each", async () => {
    let calls = 0;
    const plan = { minWarmups: 2, maxWarmups: 2, warmupBudgetMs: 1e9, minReps: 4, maxReps: 4, budgetMs: 1e9 };
    const t = await measure(async () => {
      calls++;
    }, plan);
    expect(calls).toBe(6);
    expect(t.warmupsMs).toHaveLength(2);
    expect(t.repsMs).toHaveLength(4);
    expect(t.repsMs.every((ms) => ms >= 0)).toBe(true);
  });
});
