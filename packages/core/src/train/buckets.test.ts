import { describe, expect, test } from "vitest";
import { lengthBuckets } from "./buckets.js";

describe("lengthBuckets", () => {
  const lengths = [5, 1, 3, 2, 4, 6, 1];

  test("without shuffling: sorted by length (stable), cut into batches of batchSize", () => {
    // by length: #1 (1), #6 (1), #3 (2), #2 (3), #4 (4), #0 (5), #5 (6)
    expect(lengthBuckets(lengths, { batchSize: 3, shuffle: false })(0)).toEqual([[1, 6, 3], [2, 4, 0], [5]]);
  });

  test("with shuffling: every example once per epoch, each batch a run of neighbouring lengths", () => {
    const plan = lengthBuckets(lengths, { batchSize: 3, seed: 4 });
    const sizes = [...lengths].sort((a, b) => a - b);
    const epochs = [0, 1, 2, 3].map((e) => plan(e));
    for (const batches of epochs) {
      expect(
        batches
          .flat()
          .slice()
          .sort((a, b) => a - b),
      ).toEqual([0, 1, 2, 3, 4, 5, 6]);
      // The batch contents are the sorted runs [1,1,2], [3,4,5], [6] in some order.
      const runs = batches.map((b) => b.map((i) => lengths[i]!).sort((p, q) => p - q)).sort((p, q) => p[0]! - q[0]!);
      expect(runs).toEqual([sizes.slice(0, 3), sizes.slice(3, 6), sizes.slice(6)]);
    }
    expect(plan(2)).toEqual(lengthBuckets(lengths, { batchSize: 3, seed: 4 })(2)); // a function of (seed, epoch)
    expect(new Set(epochs.map((b) => JSON.stringify(b))).size).toBeGreaterThan(1);
  });

  test("bad options name the value", () => {
    expect(() => lengthBuckets([], { batchSize: 2 })).toThrow("no examples");
    expect(() => lengthBuckets([1, 2], { batchSize: 0 })).toThrow("batchSize must be a positive integer, got 0");
    expect(() => lengthBuckets([1, -2], { batchSize: 1 })).toThrow("length of example 1 is -2");
  });
});
