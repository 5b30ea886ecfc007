/**
 * Mean squared error over the valid frames: Σ (y − target)² / (valid frames · features) — PyTorch `MSELoss` over
 * the frames t < L_b (core `LossKind` "mse"). No valid frame: loss 0 (and no gradient).
 */
import { type IntTensor, mseTargetData, type Tensor } from "@recurrent/core";
import type { Lengths } from "../engine/lengths.js";
import type { Tf, TfTensor } from "../tf.js";

/** The loss of an output tensor, ready to run: every check on the host is already done. */
export type LossFn = (tf: Tf, y: TfTensor, lengths: Lengths | undefined) => TfTensor;

/**
 * The MSE of an output of shape `shape` (`[T, B, F]` masked by `lengths`, or `[B, F]`) against a float target
 * of that shape, as a scalar tensor of the current scope.
 * @throws BackendError FEED_SHAPE when the target is not a float tensor shaped like the output.
 */
export function mseLoss(
  shape: readonly number[],
  target: Tensor | IntTensor,
  lengths: Int32Array | undefined,
  output: string,
): LossFn {
  const data = mseTargetData(shape, target, output);
  const F = shape.at(-1)!;
  const isSequence = shape.length === 3;
  const frames = isSequence
    ? lengths === undefined
      ? shape[0]! * shape[1]!
      : lengths.reduce((a, L) => a + L, 0)
    : shape[0]!;
  return (tf, y, masks) => {
    if (frames * F === 0) return tf.scalar(0);
    let diff = tf.sub(y, tf.tensor(data, [...shape], "float32"));
    if (isSequence && masks !== undefined && !masks.full) diff = tf.mul(diff, masks.mask());
    return tf.div(tf.sum(tf.square(diff)), frames * F);
  };
}
