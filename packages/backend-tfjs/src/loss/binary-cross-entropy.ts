/**
 * Binary cross-entropy over the valid frames: Σ w·ℓ / (valid frames · features), frame weight
 * w = w0·(1 − y) + w1·y from `classWeights` (core `LossKind` "binaryCrossEntropy").
 * - Probabilities p: ℓ = −(y·max(log p, −100) + (1 − y)·max(log(1 − p), −100)), PyTorch `BCELoss`, and PyTorch's
 *   gradient `(p − y) / max(p·(1 − p), 1e-12)` written out (`tf.customGrad`): autodiff through the clamp gives
 *   0·∞ = NaN where a sigmoid saturates to exactly 0 or 1 in float32.
 * - Logits z (`fromLogits`): ℓ = max(z, 0) − z·y + log(1 + e^−|z|), PyTorch `BCEWithLogitsLoss`; its autodiff is
 *   sigmoid(z) − y, finite everywhere.
 * Targets and weights live on the host: each valid (frame, feature) gets its coefficient w / (frames · features),
 * padded frames 0, so the loss is one weighted sum. No valid frame: loss 0 (and no gradient).
 */
import { BackendError, formatShape, type IntTensor, type Tensor } from "@recurrent/core";
import type { Tf, TfTensor } from "../tf.js";
import type { LossFn } from "./mse.js";

/**
 * The BCE of an output of shape `shape` (`[T, B, F]` masked by `lengths`, or `[B, F]`) against float targets in
 * [0, 1] of that shape.
 * @throws BackendError FEED_SHAPE when the target is not a float tensor shaped like the output; BAD_CONFIG naming
 *   `[t, b, f]` (or `[b, f]`) when a target at a valid frame is outside [0, 1].
 */
export function binaryCrossEntropyLoss(
  shape: readonly number[],
  target: Tensor | IntTensor,
  lengths: Int32Array | undefined,
  output: string,
  fromLogits: boolean,
  classWeights: readonly number[] | undefined,
): LossFn {
  const data = targetData(shape, target, output);
  const seq = shape.length === 3;
  const [T, B, F] = seq ? (shape as [number, number, number]) : [1, shape[0]!, shape[1]!];
  let frames = 0;
  for (let b = 0; b < B; b++) frames += seq && lengths !== undefined ? lengths[b]! : T;
  const y = new Float32Array(T * B * F);
  const coef = new Float32Array(T * B * F);
  const [w0, w1] = classWeights ?? [1, 1];
  for (let b = 0; b < B; b++) {
    const L = seq && lengths !== undefined ? lengths[b]! : T;
    for (let t = 0; t < L; t++) {
      for (let f = 0; f < F; f++) {
        const i = (t * B + b) * F + f;
        const v = data[i]!;
        if (!(v >= 0 && v <= 1)) {
          const at = seq ? `[t=${t}, b=${b}, f=${f}]` : `[b=${b}, f=${f}]`;
          throw new BackendError(
            "BAD_CONFIG",
            `binaryCrossEntropy target ${v} at ${at} is outside [0, 1] (output "${output}")`,
            output,
          );
        }
        y[i] = v;
        coef[i] = (w0! * (1 - v) + w1! * v) / (frames * F);
      }
    }
  }
  return (tf, out) => {
    if (frames * F === 0) return tf.scalar(0);
    const yT = tf.tensor(y, [...shape], "float32");
    const cT = tf.tensor(coef, [...shape], "float32");
    return fromLogits ? logitsLoss(tf, out, yT, cT) : probabilityLoss(tf)(out, yT, cT);
  };
}

/** Σ c·(max(z, 0) − z·y + log(1 + e^−|z|)). */
function logitsLoss(tf: Tf, z: TfTensor, y: TfTensor, c: TfTensor): TfTensor {
  const l = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
  return tf.sum(tf.mul(l, c));
}

/** −Σ c·(y·max(log p, −100) + (1 − y)·max(log(1 − p), −100)), with PyTorch's gradient for p. */
function probabilityLoss(tf: Tf): (p: TfTensor, y: TfTensor, c: TfTensor) => TfTensor {
  return tf.customGrad(((p: TfTensor, y: TfTensor, c: TfTensor, save: (tensors: TfTensor[]) => void) => {
    const logP = tf.maximum(tf.log(p), -100);
    const log1mP = tf.maximum(tf.log(tf.sub(1, p)), -100);
    const value = tf.neg(tf.sum(tf.mul(c, tf.add(tf.mul(y, logP), tf.mul(tf.sub(1, y), log1mP)))));
    save([p, y, c]);
    return {
      value,
      gradFunc: (dy: TfTensor, [ps, ys, cs]: TfTensor[]) => {
        const denom = tf.maximum(tf.mul(ps!, tf.sub(1, ps!)), 1e-12);
        const dp = tf.mul(tf.mul(dy, cs!), tf.div(tf.sub(ps!, ys!), denom));
        return [dp, tf.zerosLike(ys!), tf.zerosLike(cs!)];
      },
    };
  }) as never) as (p: TfTensor, y: TfTensor, c: TfTensor) => TfTensor;
}

/** The target's data, when it is a float32 tensor shaped like the output. */
function targetData(shape: readonly number[], target: Tensor | IntTensor, output: string): Float32Array {
  const same = target.shape.length === shape.length && target.shape.every((d, i) => d === shape[i]);
  if (!(target.data instanceof Float32Array) || !same) {
    const kind = target.data instanceof Float32Array ? "float32" : "int32";
    throw new BackendError(
      "FEED_SHAPE",
      `binaryCrossEntropy target must be a float32 tensor of values in [0, 1] shaped like output "${output}" ` +
        `${formatShape(shape)}, found ${kind} ${formatShape(target.shape)}`,
      output,
    );
  }
  return target.data;
}
