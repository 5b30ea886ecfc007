/**
 * The checks a loss makes of its target before computing anything, shared by every training backend so they refuse
 * the same targets with the same messages (the arithmetic of each loss stays in the backend).
 */
import { BackendError } from "../backend/errors.js";
import { formatShape, type IntTensor, type Tensor } from "../tensor/tensor.js";

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The data of an mse target: a float tensor shaped like the output (`shape`, concrete).
 * @throws BackendError FEED_SHAPE naming `output` when the target is int or shaped otherwise.
 */
export function mseTargetData(shape: readonly number[], target: Tensor | IntTensor, output: string): Float32Array {
  if (!(target.data instanceof Float32Array) || !sameShape(target.shape, shape)) {
    throw new BackendError(
      "FEED_SHAPE",
      `mse target must be a float32 tensor shaped like output "${output}" ${formatShape(shape)}, found ${target.data instanceof Float32Array ? "float32" : "int32"} ${formatShape(target.shape)}`,
      output,
    );
  }
  return target.data;
}

/**
 * The labels of a softmax cross-entropy target for logits of shape `shape` (`[T, B, C]` or `[B, C]`, concrete):
 * int labels shaped `[T, B]` / `[B]`. Label values are checked by the loss as it reads the valid frames
 * (see {@link badLabel}): labels at padded frames are ignored.
 * @throws BackendError FEED_SHAPE naming `output` when the target is not int labels of the output's shape minus
 *   classes; BAD_CONFIG when `classWeights` does not have C entries.
 */
export function labelTargetData(
  shape: readonly number[],
  target: Tensor | IntTensor,
  output: string,
  classWeights: readonly number[] | undefined,
): Int32Array {
  const C = shape.at(-1)!;
  const labelShape = shape.slice(0, -1);
  if (!(target.data instanceof Int32Array) || !sameShape(target.shape, labelShape)) {
    throw new BackendError(
      "FEED_SHAPE",
      `softmaxCrossEntropy target must be int32 labels of shape ${formatShape(labelShape)} for output "${output}" ${formatShape(shape)}, found ${target.data instanceof Int32Array ? "int32" : "float32"} ${formatShape(target.shape)}`,
      output,
    );
  }
  if (classWeights !== undefined && classWeights.length !== C) {
    throw new BackendError(
      "BAD_CONFIG",
      `classWeights has ${classWeights.length} entries, output "${output}" has ${C} classes`,
      output,
    );
  }
  return target.data;
}

/**
 * The error for a label outside 0..classes−1 at step `t` of sample `b` (`seq` false: a `[B]` target, `t` unused).
 * Returned, not thrown, so the caller's loop stays a plain check.
 */
export function badLabel(
  label: number,
  t: number,
  b: number,
  seq: boolean,
  classes: number,
  output: string,
): BackendError {
  return new BackendError(
    "BAD_CONFIG",
    `label ${label} at ${seq ? `[t=${t}, b=${b}]` : `[b=${b}]`} is outside 0..${classes - 1} (classes of output "${output}")`,
    output,
  );
}

/**
 * The data of a binary cross-entropy target: a float tensor shaped like the output (`shape`, concrete). Values are
 * checked by the loss as it reads the valid frames (see {@link badBinaryTarget}): padded frames are ignored.
 * @throws BackendError FEED_SHAPE naming `output` when the target is int or shaped otherwise.
 */
export function binaryTargetData(shape: readonly number[], target: Tensor | IntTensor, output: string): Float32Array {
  if (!(target.data instanceof Float32Array) || !sameShape(target.shape, shape)) {
    throw new BackendError(
      "FEED_SHAPE",
      `binaryCrossEntropy target must be a float32 tensor of 0..1 values shaped like output "${output}" ${formatShape(shape)}, found ${target.data instanceof Float32Array ? "float32" : "int32"} ${formatShape(target.shape)}`,
      output,
    );
  }
  return target.data;
}

/**
 * The error for a binary cross-entropy target value outside [0, 1] (or NaN) at `[t, b, f]` (`seq` false: a
 * `[B, F]` target, `t` unused). Returned, not thrown, so the caller's loop stays a plain check.
 */
export function badBinaryTarget(
  value: number,
  t: number,
  b: number,
  f: number,
  seq: boolean,
  output: string,
): BackendError {
  return new BackendError(
    "BAD_CONFIG",
    `binaryCrossEntropy target ${value} at ${seq ? `[t=${t}, b=${b}, f=${f}]` : `[b=${b}, f=${f}]`} is outside [0, 1] (output "${output}")`,
    output,
  );
}
