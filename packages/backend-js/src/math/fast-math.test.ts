import { describe, expect, test } from "vitest";
import { fastExp, fastSigmoid, fastTanh } from "./fast-math.js";

function grid(): number[] {
  const xs = [0, -0, 1e-30, -1e-12, 1e-7, 0.001, 0.17328, 0.34657, 0.35, 1, -1, 5, -5, 10, 20, -20, 50, -50, 87, -87];
  for (let x = -30; x <= 30; x += 0.0137) xs.push(x);
  for (let e = -20; e <= 1; e += 0.25) xs.push(10 ** e, -(10 ** e));
  return xs;
}

function relErr(got: number, want: number): number {
  if (want === 0) return Math.abs(got);
  return Math.abs(got - want) / Math.abs(want);
}

describe("fast math against Math.*", () => {
  test("exp has relative error below 2e-8", () => {
    for (const x of grid()) expect(relErr(fastExp(x), Math.exp(x)), `x=${x}`).toBeLessThan(2e-8);
  });
  test("exp clamps at ±87 instead of overflowing", () => {
    expect(fastExp(1000)).toBeCloseTo(Math.exp(87), -30);
    expect(Number.isFinite(fastExp(1000))).toBe(true);
    expect(fastExp(-1000)).toBeGreaterThan(0);
  });
  test("sigmoid has relative error below 2e-8", () => {
    for (const x of grid()) expect(relErr(fastSigmoid(x), 1 / (1 + Math.exp(-x))), `x=${x}`).toBeLessThan(2e-8);
  });
  test("tanh has relative error below 2e-8, including tiny arguments", () => {
    for (const x of grid()) expect(relErr(fastTanh(x), Math.tanh(x)), `x=${x}`).toBeLessThan(2e-8);
  });
  test("tanh is odd and saturates", () => {
    expect(fastTanh(-0.3)).toBe(-fastTanh(0.3));
    expect(fastTanh(1000)).toBe(1);
    expect(fastTanh(-1000)).toBe(-1);
  });
});
