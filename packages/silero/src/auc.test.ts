import { describe, expect, it } from "vitest";
import { rocAuc } from "./auc.js";

describe("rocAuc", () => {
  it("counts the positive–negative pairs ranked right (hand-computed)", () => {
    // positives 0.35, 0.8 vs negatives 0.1, 0.4: 0.35>0.1, 0.35<0.4, 0.8>0.1, 0.8>0.4 → 3 of 4 pairs.
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
  });

  it("counts a tie as half a pair", () => {
    // positives 0.5, 0.9 vs negatives 0.5, 0.2: 0.5=0.5 (½), 0.5>0.2, 0.9>0.5, 0.9>0.2 → 3.5 of 4.
    expect(rocAuc([0.5, 0.5, 0.2, 0.9], [1, 0, 0, 1])).toBe(0.875);
  });

  it("is 1 for a perfect ranking, 0 for a reversed one and 0.5 for constant scores", () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.3, 0.3, 0.3], [0, 1, 1])).toBe(0.5);
  });

  it("refuses mismatched lengths, bad labels, NaN and a single class", () => {
    expect(() => rocAuc([0.1, 0.2], [1])).toThrow(/2 scores but 1 labels/);
    expect(() => rocAuc([0.1, 0.2], [0, 2])).toThrow(/labels\[1\] is 2/);
    expect(() => rocAuc([Number.NaN, 0.2], [0, 1])).toThrow(/scores\[0\] is NaN/);
    expect(() => rocAuc([0.1, 0.2], [1, 1])).toThrow(/2 positive and 0 negative/);
  });
});
