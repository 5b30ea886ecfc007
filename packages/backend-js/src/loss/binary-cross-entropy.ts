/**
 * Binary cross-entropy over the valid frames: Σ w·ℓ / (valid frames · features) (core `LossKind`
 * "binaryCrossEntropy"). On probabilities p, ℓ = −(y·max(log p, −100) + (1 − y)·max(log(1 − p), −100)) and
 * dℓ/dp = (p − y) / max(p·(1 − p), 1e-12), both as PyTorch's `BCELoss` computes them; on logits z,
 * ℓ = max(z, 0) − z·y + log(1 + e^−|z|) and dℓ/dz = σ(z) − y (`BCEWithLogitsLoss`). Frame weight
 * w = w0·(1 − y) + w1·y from `classWeights` [w0, w1] (1 when absent). No valid frame: loss 0, gradient 0.
 */
import { BackendError, badBinaryTarget, binaryTargetData, type IntTensor, type Tensor } from "@recurrent/core";
import type { Value } from "../engine/value.js";
import { validSteps } from "../engine/value.js";
import type { LossResult } from "./mse.js";

/** PyTorch's floor on p·(1 − p) in `binary_cross_entropy_backward`. */
const EPSILON = 1e-12;

/** Options of {@link binaryCrossEntropyLoss} (from core's `LossConfig`). */
export interface BinaryCrossEntropyOptions {
  readonly fromLogits?: boolean;
  readonly classWeights?: readonly number[];
}

/**
 * BCE of output `y` (`[T, B, F]` masked by its lengths, or `[B, F]`) against a float target of the same shape.
 * @throws BackendError FEED_SHAPE when the target is not a float32 tensor shaped like the output; BAD_CONFIG when a
 *   valid target value is outside [0, 1] (naming its [t, b, f]) or `classWeights` does not have 2 entries.
 */
export function binaryCrossEntropyLoss(
  y: Value,
  target: Tensor | IntTensor,
  output: string,
  options: BinaryCrossEntropyOptions = {},
): LossResult {
  const t = binaryTargetData(y.shape, target, output);
  const weights = options.classWeights;
  if (weights !== undefined && weights.length !== 2) {
    throw new BackendError(
      "BAD_CONFIG",
      `binaryCrossEntropy classWeights must be [w0, w1], got ${weights.length} entries`,
      output,
    );
  }
  const w0 = weights?.[0] ?? 1;
  const w1 = weights?.[1] ?? 1;
  const logits = options.fromLogits ?? false;
  const grad = new Float32Array(y.data.length);
  const seq = y.shape.length === 3;
  const F = y.shape.at(-1)!;
  const [T, B] = seq ? [y.shape[0]!, y.shape[1]!] : [1, y.shape[0]!];
  let frames = 0;
  for (let b = 0; b < B; b++) frames += seq ? validSteps(y.lengths, b, T) : 1;
  const count = frames * F;
  if (count === 0) return { value: 0, grad };
  let sum = 0;
  for (let b = 0; b < B; b++) {
    const L = seq ? validSteps(y.lengths, b, T) : 1;
    for (let tt = 0; tt < L; tt++) {
      const off = (tt * B + b) * F;
      for (let f = 0; f < F; f++) {
        const label = t[off + f]!;
        if (!(label >= 0 && label <= 1)) throw badBinaryTarget(label, tt, b, f, seq, output);
        const w = w0 * (1 - label) + w1 * label;
        const v = y.data[off + f]!;
        let loss: number;
        let d: number;
        if (logits) {
          loss = Math.max(v, 0) - v * label + Math.log1p(Math.exp(-Math.abs(v)));
          d = sigmoid(v) - label;
        } else {
          loss = -(label * Math.max(Math.log(v), -100) + (1 - label) * Math.max(Math.log(1 - v), -100));
          d = (v - label) / Math.max(v * (1 - v), EPSILON);
        }
        sum += w * loss;
        grad[off + f] = (w * d) / count;
      }
    }
  }
  return { value: sum / count, grad };
}

/** σ(z) without overflow for large |z|. */
function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}
