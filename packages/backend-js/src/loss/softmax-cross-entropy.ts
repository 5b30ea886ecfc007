/**
 * Softmax cross-entropy over the valid frames: −Σ w[label]·log softmax(y)[label] / Σ w[label] — PyTorch
 * `CrossEntropyLoss(weight=…)` over the frames t < L_b (core `LossKind` "softmaxCrossEntropy"). Labels at padded
 * frames are ignored. Zero total weight: loss 0, gradient 0.
 */
import { badLabel, type IntTensor, labelTargetData, type Tensor } from "@recurrent/core";
import type { Value } from "../engine/value.js";
import { validSteps } from "../engine/value.js";
import type { LossResult } from "./mse.js";

/**
 * Cross-entropy of logits `y` (`[T, B, C]` masked by its lengths, or `[B, C]`) against int labels `[T, B]` / `[B]`.
 * @throws BackendError FEED_SHAPE when the target is not an int tensor of the output's shape minus classes;
 *   BAD_CONFIG when a valid label is outside 0..C−1 or `classWeights` does not have C entries.
 */
export function softmaxCrossEntropyLoss(
  y: Value,
  target: Tensor | IntTensor,
  output: string,
  classWeights?: readonly number[],
): LossResult {
  const C = y.shape.at(-1)!;
  const labels = labelTargetData(y.shape, target, output, classWeights);
  const grad = new Float32Array(y.data.length);
  const seq = y.shape.length === 3;
  const [T, B] = seq ? [y.shape[0]!, y.shape[1]!] : [1, y.shape[0]!];
  let total = 0;
  let sum = 0;
  const probs = new Float64Array(C);
  for (let b = 0; b < B; b++) {
    const L = seq ? validSteps(y.lengths, b, T) : 1;
    for (let t = 0; t < L; t++) {
      const row = t * B + b;
      const label = labels[row]!;
      if (!(label >= 0 && label < C)) {
        throw badLabel(label, t, b, seq, C, output);
      }
      const w = classWeights ? classWeights[label]! : 1;
      const off = row * C;
      let max = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < C; j++) max = Math.max(max, y.data[off + j]!);
      let z = 0;
      for (let j = 0; j < C; j++) z += probs[j] = Math.exp(y.data[off + j]! - max);
      sum += w * (max + Math.log(z) - y.data[off + label]!);
      total += w;
      for (let j = 0; j < C; j++) grad[off + j] = w * (probs[j]! / z - (j === label ? 1 : 0));
    }
  }
  if (total === 0) return { value: 0, grad: grad.fill(0) };
  for (let i = 0; i < grad.length; i++) grad[i] = grad[i]! / total;
  return { value: sum / total, grad };
}
