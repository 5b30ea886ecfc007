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
  const F = shape.at(-1)!;
  const isSequence = shape.length === 3;
  const data =
    isSequence && lengths !== undefined
      ? zeroPaddedFrames(mseTargetData(shape, target, output), shape, lengths)
      : mseTargetData(shape, target, output);
  const frames = isSequence
    ? lengths === undefined
      ? shape[0]! * shape[1]!
      : lengths.reduce((a, L) => a + L, 0)
    : shape[0]!;
  return (tf, y, masks) => {
    if (frames * F === 0) return tf.scalar(0);
    // The mask multiplies, and NaN · 0 = NaN: padded target frames are zeroed on the host (above) so that a NaN
    // or huge value there cannot reach the loss or the gradients.
    let diff = tf.sub(y, tf.tensor(data, [...shape], "float32"));
    if (isSequence && masks !== undefined && !masks.full) diff = tf.mul(diff, masks.mask());
    return tf.div(tf.sum(tf.square(diff)), frames * F);
  };
}

/** A copy of a `[T, B, F]` target with the frames t ≥ L_b set to 0. */
function zeroPaddedFrames(data: Float32Array, shape: readonly number[], lengths: Int32Array): Float32Array {
  const [T, B, F] = shape as [number, number, number];
  const out = data.slice();
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) if (t >= lengths[b]!) out.fill(0, (t * B + b) * F, (t * B + b + 1) * F);
  }
  return out;
}
