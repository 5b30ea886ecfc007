/**
 * Mean squared error over the valid frames: Σ (y − target)² / (valid frames · features) — PyTorch `MSELoss` over
 * the frames t < L_b (core `LossKind` "mse"). No valid frame: loss 0 (and no gradient).
 */
import { BackendError, formatShape, type IntTensor, type Tensor } from "@recurrent/core";
import type { Lengths } from "../engine/lengths.js";
import type { Tf, TfTensor } from "../tf.js";

/** Whether two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The MSE of output `y` (`[T, B, F]` masked by `lengths`, or `[B, F]`) against a float target of its shape, as a
 * scalar tensor of the current scope.
 * @throws BackendError FEED_SHAPE when the target is not a float tensor shaped like the output.
 */
export function mseLoss(
  tf: Tf,
  y: TfTensor,
  target: Tensor | IntTensor,
  lengths: Lengths | undefined,
  output: string,
): TfTensor {
  if (!(target.data instanceof Float32Array) || !sameShape(target.shape, y.shape)) {
    throw new BackendError(
      "FEED_SHAPE",
      `mse target must be a float32 tensor shaped like output "${output}" ${formatShape(y.shape)}, found ${target.data instanceof Float32Array ? "float32" : "int32"} ${formatShape(target.shape)}`,
      output,
    );
  }
  const F = y.shape.at(-1)!;
  const isSequence = y.rank === 3;
  const frames = isSequence
    ? lengths === undefined
      ? y.shape[0]! * y.shape[1]!
      : lengths.host.reduce((a, L) => a + L, 0)
    : y.shape[0]!;
  if (frames * F === 0) return tf.scalar(0);
  let diff = tf.sub(y, tf.tensor(target.data, [...target.shape], "float32"));
  if (isSequence && lengths !== undefined && !lengths.full) diff = tf.mul(diff, lengths.mask());
  return tf.div(tf.sum(tf.square(diff)), frames * F);
}
