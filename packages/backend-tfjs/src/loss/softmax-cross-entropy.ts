/**
 * Softmax cross-entropy over the valid frames: −Σ w[label]·log softmax(y)[label] / Σ w[label] — PyTorch
 * `CrossEntropyLoss(weight=…)` over the frames t < L_b (core `LossKind` "softmaxCrossEntropy"). Labels live on
 * the host, so the loss is one product with a host-built matrix holding w[label] / Σ w at each valid (row, label).
 * Labels at padded frames are ignored. Zero total weight: loss 0 (and no gradient).
 */
import { badLabel, type IntTensor, labelTargetData, type Tensor } from "@recurrent/core";
import type { LossFn } from "./mse.js";

/**
 * The cross-entropy of logits of shape `shape` (`[T, B, C]` masked by `lengths`, or `[B, C]`) against int
 * labels `[T, B]` / `[B]`.
 * @throws BackendError FEED_SHAPE when the target is not int labels of the output's shape minus classes;
 *   BAD_CONFIG when a valid label is outside 0..C−1 or `classWeights` does not have C entries.
 */
export function softmaxCrossEntropyLoss(
  shape: readonly number[],
  target: Tensor | IntTensor,
  lengths: Int32Array | undefined,
  output: string,
  classWeights: readonly number[] | undefined,
): LossFn {
  const C = shape.at(-1)!;
  const labels = labelTargetData(shape, target, output, classWeights);
  const seq = shape.length === 3;
  const [T, B] = seq ? [shape[0]!, shape[1]!] : [1, shape[0]!];
  const pick = new Float32Array(T * B * C);
  let total = 0;
  for (let b = 0; b < B; b++) {
    const L = seq && lengths !== undefined ? lengths[b]! : T;
    for (let t = 0; t < L; t++) {
      const row = t * B + b;
      const label = labels[row]!;
      if (!(label >= 0 && label < C)) {
        throw badLabel(label, t, b, seq, C, output);
      }
      const w = classWeights ? classWeights[label]! : 1;
      pick[row * C + label] = w;
      total += w;
    }
  }
  for (let i = 0; i < pick.length; i++) pick[i] = pick[i]! / total;
  return (tf, y) => {
    if (total === 0) return tf.scalar(0);
    const logp = tf.logSoftmax(tf.reshape(y, [T * B, C]));
    return tf.neg(tf.sum(tf.mul(logp, tf.tensor(pick, [T * B, C], "float32"))));
  };
}
