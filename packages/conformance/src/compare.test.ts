import { describe, expect, test } from "vitest";
import { compareScalar, compareTensor } from "./compare.js";

const tol = { atol: 1e-5, rtol: 0 };
// [T=2, B=2, D=1]: sample 0 has 2 valid steps, sample 1 only 1; index 3 is (t=1, b=1), a padded step.
const expected = { shape: [2, 2, 1], data: [1, 2, 3, 4] };
const lengths = Int32Array.from([2, 1]);

describe("compareTensor", () => {
  test("values within tolerance agree", () => {
    const actual = { shape: [2, 2, 1], data: Float32Array.from([1, 2, 3 + 5e-6, 4]) };
    expect(compareTensor("y", actual, expected, tol, lengths)).toEqual([]);
  });

  test("padded steps are not compared", () => {
    const actual = { shape: [2, 2, 1], data: Float32Array.from([1, 2, 3, 999]) };
    expect(compareTensor("y", actual, expected, tol, lengths)).toEqual([]);
    expect(compareTensor("y", actual, expected, tol)).toHaveLength(1);
  });

  test("a difference at a valid step is reported with its index and both values", () => {
    const actual = { shape: [2, 2, 1], data: Float32Array.from([1, 2.5, 3, 4]) };
    const [problem] = compareTensor("y", actual, expected, tol, lengths);
    expect(problem).toMatch(/^y: 1 of 3 compared values differ .*worst at \[0, 1, 0\]: expected 2, got 2\.5/);
  });

  test("NaN never agrees", () => {
    const actual = { shape: [2, 2, 1], data: Float32Array.from([Number.NaN, 2, 3, 4]) };
    expect(compareTensor("y", actual, expected, tol, lengths)[0]).toMatch(/worst at \[0, 0, 0\].*got NaN/);
  });

  test("a missing value or a wrong shape is reported", () => {
    expect(compareTensor("y", undefined, expected, tol)[0]).toMatch(/y: missing \(expected \[2, 2, 1\]\)/);
    const flat = { shape: [4], data: Float32Array.from([1, 2, 3, 4]) };
    expect(compareTensor("y", flat, expected, tol)[0]).toMatch(/shape \[4\], expected \[2, 2, 1\]/);
  });

  test("rtol scales with the expected magnitude", () => {
    const big = { shape: [1], data: [1000] };
    expect(
      compareTensor("y", { shape: [1], data: Float32Array.from([1000.05]) }, big, { atol: 0, rtol: 1e-4 }),
    ).toEqual([]);
    expect(
      compareTensor("y", { shape: [1], data: Float32Array.from([1000.2]) }, big, { atol: 0, rtol: 1e-4 }),
    ).toHaveLength(1);
  });
});

test("compareScalar", () => {
  expect(compareScalar("loss", 0.5, 0.5 + 1e-6, tol)).toEqual([]);
  expect(compareScalar("loss", 0.5, 0.6, tol)[0]).toMatch(/loss: expected 0.6, got 0.5/);
});
