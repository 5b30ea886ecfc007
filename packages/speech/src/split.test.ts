import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { splitUtterances } from "./split.js";

const ids = Array.from({ length: 498 }, (_, i) => `utt-${String(i).padStart(3, "0")}`);

describe("splitUtterances", () => {
  test("same ids and seed → the same split, whatever the input order (fast-check)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.shuffledSubarray(ids, { minLength: ids.length }), (seed, shuffled) => {
        expect(splitUtterances(shuffled, { seed })).toEqual(splitUtterances(ids, { seed }));
      }),
      { numRuns: 30 },
    );
  });

  test("sets are disjoint, cover every id once, and have the requested sizes", () => {
    const s = splitUtterances(ids, { seed: 42, valid: 0.1, test: 0.2 });
    expect(s.test.length).toBe(Math.round(498 * 0.2));
    expect(s.valid.length).toBe(Math.round(498 * 0.1));
    expect([...s.train, ...s.valid, ...s.test].sort()).toEqual(ids);
  });

  test("different seeds give different splits", () => {
    expect(splitUtterances(ids, { seed: 1 }).test).not.toEqual(splitUtterances(ids, { seed: 2 }).test);
  });

  test("bad fractions, seeds and duplicates throw SPLIT_BAD_FRACTIONS", () => {
    expect(() => splitUtterances(ids, { seed: 1, valid: 0.6, test: 0.5 })).toThrowError(/SPLIT_BAD_FRACTIONS/);
    expect(() => splitUtterances(ids, { seed: 1, test: -0.1 })).toThrowError(/SPLIT_BAD_FRACTIONS/);
    expect(() => splitUtterances(ids, { seed: 1.5 })).toThrowError(/seed must be an integer/);
    expect(() => splitUtterances(["a", "b", "a"], { seed: 1 })).toThrowError(/"a" appears twice/);
  });
});
