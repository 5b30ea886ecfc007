/**
 * Slice, Pow / Mul, Add and Concat over IR values, which the IR has no general form for: the two halves of a
 * value's features squared and summed (Silero's `re² + im²`, which a Sqrt turns into `magnitude`), whole-axis
 * slices (no-ops), and values stacked on a new axis 0 (Silero's `stateN`). Anything else is refused with why.
 */
import { viewDims } from "./layout.js";
import { axesOf, describe, type IrValue, type Value, viewOf } from "./values.js";

/** `x²` of a feature slice (one half of a magnitude). */
export function square(x: Value): Value {
  if (x.kind === "part" && !x.squared) return { ...x, squared: true };
  throw new Error(
    `squaring ${describe(x)} has no IR form (only the two halves of a magnitude: Slice on the features, Pow 2, Add, Sqrt)`,
  );
}

/** `re² + im²` where re, im are the first and second half of one value's features. */
export function sumOfSquares(a: Value, b: Value): Value {
  const ok =
    a.kind === "part" &&
    b.kind === "part" &&
    a.squared &&
    b.squared &&
    a.x.name === b.x.name &&
    a.start === 0 &&
    a.end === b.start &&
    b.end === (a.x.dims.at(axesOf(a.x).indexOf("F")) as number) &&
    2 * a.end === b.end;
  if (ok) return { kind: "sumSquares", x: a.x };
  throw new Error(
    `the sum of ${describe(a)} and ${describe(b)} is not a magnitude's re² + im² over the first and second half of one value's features; the IR has no form for it`,
  );
}

/** Slice of an IR value: the identity on every axis but the features, a part of them otherwise. */
export function sliceIr(
  x: Value,
  starts: readonly number[],
  ends: readonly number[],
  axes: readonly number[],
  steps: readonly number[],
  rank: number,
): Value {
  const base = x.kind === "part" ? x.x : x;
  if (base.kind !== "ir") throw new Error(`Slice of ${describe(x)} has no IR form`);
  const view = viewOf(base);
  const dims = viewDims(axesOf(base), base.dims, view);
  let result: Value = x;
  axes.forEach((axis, i) => {
    const a = axis < 0 ? axis + (x.kind === "part" ? view.length : rank) : axis;
    const size = dims[a];
    const start = starts[i] as number;
    const end = ends[i] as number;
    const step = steps[i] ?? 1;
    const whole = step === 1 && start === 0 && (end >= 2 ** 31 || (typeof size === "number" && end >= size));
    if (whole) return;
    if (view[a] !== "F" || step !== 1 || typeof size !== "number" || result.kind === "part") {
      throw new Error(
        `Slice [${start}:${end}:${step}] on axis ${a} of ${describe(base)} has no IR form (only whole axes, or a part of the features on the way to a magnitude)`,
      );
    }
    const norm = (v: number): number => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
    result = { kind: "part", x: base, start: norm(start), end: norm(end), squared: false };
  });
  return result;
}

/** Concat on axis 0 of values whose axis 0 is 1: a stack (Silero's `stateN`). */
export function stack(parts: readonly IrValue[]): Value {
  return {
    kind: "stack",
    parts: parts.map((p) => {
      const view = viewOf(p);
      const first = view[0] as string;
      const size = first === "1" ? 1 : p.dims[axesOf(p).indexOf(first)];
      if (size !== 1) {
        throw new Error(
          `Concat on axis 0 of ${describe(p)}, whose axis 0 has size ${size}, has no IR form (only a stack of values with a unit axis 0)`,
        );
      }
      return { ...p, view: view.slice(1) };
    }),
  };
}
