import { describe, expect, test } from "vitest";
import { clipByGlobalNorm } from "./clip.js";

// The torch.nn.utils fixture checks and the NaN norm are conformance's describeClipping (training-checks.test.ts).
describe("clipByGlobalNorm", () => {
  test("returns the factor and leaves gradients under the limit untouched", () => {
    const g = [Float32Array.of(3, 4)];
    expect(clipByGlobalNorm(g, 10)).toBe(1);
    expect(g[0]).toEqual(Float32Array.of(3, 4));
    expect(clipByGlobalNorm(g, 1)).toBeCloseTo(1 / 5, 6);
    expect(Math.hypot(g[0]![0]!, g[0]![1]!)).toBeCloseTo(1, 5);
  });
});
