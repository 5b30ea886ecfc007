/**
 * Tolerant comparison of a backend's tensor with a fixture's expectation, over valid steps only.
 */
import { formatShape, type Tensor } from "@recurrent/core";
import type { FixtureTensor } from "./fixture.js";

/** `|actual − expected| <= atol + rtol·|expected|` (numpy `allclose`). */
export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

/**
 * Compares `actual` with `expected`. When `lengths` is given, the value is a time-major sequence `[T, B, ...]`
 * and only steps `t < lengths[b]` are compared.
 * @returns One line per problem (missing value, shape, or the count and worst of the differing values); empty when
 * the values agree.
 */
export function compareTensor(
  label: string,
  actual: Tensor | undefined,
  expected: FixtureTensor,
  tolerance: Tolerance,
  lengths?: Int32Array,
): string[] {
  if (actual === undefined) return [`${label}: missing (expected ${formatShape(expected.shape)})`];
  if (
    actual.shape.length !== expected.shape.length ||
    actual.shape.some((d, i) => d !== expected.shape[i]) ||
    actual.data.length !== expected.data.length
  ) {
    return [`${label}: shape ${formatShape(actual.shape)}, expected ${formatShape(expected.shape)}`];
  }
  const [T = 1, B = 1] = expected.shape;
  const frame = lengths ? expected.data.length / (T * B) : 0;
  let compared = 0;
  let bad = 0;
  let worst = { excess: 0, index: -1, diff: 0 };
  for (let i = 0; i < expected.data.length; i++) {
    if (lengths) {
      const t = Math.floor(i / (B * frame));
      const b = Math.floor(i / frame) % B;
      if (t >= (lengths[b] ?? T)) continue;
    }
    compared++;
    const e = expected.data[i]!;
    const a = actual.data[i]!;
    const diff = Math.abs(a - e);
    const excess = diff - (tolerance.atol + tolerance.rtol * Math.abs(e));
    if (!(excess <= 0)) {
      bad++;
      if (!(excess <= worst.excess)) worst = { excess: Number.isNaN(excess) ? Infinity : excess, index: i, diff };
    }
  }
  if (bad === 0) return [];
  const at = unravel(worst.index, expected.shape);
  return [
    `${label}: ${bad} of ${compared} compared values differ (atol ${tolerance.atol}, rtol ${tolerance.rtol}); ` +
      `worst at [${at.join(", ")}]: expected ${expected.data[worst.index]}, got ${actual.data[worst.index]} ` +
      `(|diff| ${worst.diff.toExponential(2)})`,
  ];
}

/** Compares two scalars with the same rule as {@link compareTensor}. */
export function compareScalar(label: string, actual: number, expected: number, tolerance: Tolerance): string[] {
  const diff = Math.abs(actual - expected);
  return diff <= tolerance.atol + tolerance.rtol * Math.abs(expected)
    ? []
    : [`${label}: expected ${expected}, got ${actual} (|diff| ${diff.toExponential(2)})`];
}

function unravel(index: number, shape: readonly number[]): number[] {
  const at: number[] = [];
  let rest = index;
  for (let k = shape.length - 1; k >= 0; k--) {
    const d = shape[k]!;
    at.unshift(rest % d);
    rest = Math.floor(rest / d);
  }
  return at;
}
