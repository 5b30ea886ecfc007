/**
 * Mean squared error over the valid frames: Σ (y − target)² / (valid frames · features) — PyTorch `MSELoss`
 * over the frames t < L_b (core `LossKind` "mse"). No valid frame: loss 0, gradient 0.
 */
import { type IntTensor, mseTargetData, type Tensor } from "@recurrent/core";
import type { Value } from "../engine/value.js";
import { validSteps } from "../engine/value.js";

/** The loss and d loss / d y (same layout as y, zero at padded frames). */
export interface LossResult {
  readonly value: number;
  readonly grad: Float32Array;
}

/**
 * MSE of output `y` (`[T, B, F]` masked by its lengths, or `[B, F]`) against a float target of the same shape.
 * @throws BackendError FEED_SHAPE when the target is not a float tensor shaped like the output.
 */
export function mseLoss(y: Value, target: Tensor | IntTensor, output: string): LossResult {
  const count = mseFrames(y) * y.shape.at(-1)!;
  const { sum, grad } = mseSum(y, target, output, count);
  return { value: count === 0 ? 0 : sum / count, grad };
}

/** Valid frames of output `y` (`[T, B, F]` masked by its lengths: Σ_b L_b; `[B, F]`: B). */
export function mseFrames(y: Value): number {
  if (y.shape.length !== 3) return y.shape[0]!;
  const [T, B] = [y.shape[0]!, y.shape[1]!];
  let frames = 0;
  for (let b = 0; b < B; b++) frames += validSteps(y.lengths, b, T);
  return frames;
}

/**
 * Σ (y − target)² over the valid frames of `y`, and d loss / d y for a loss normalised by `count` (which may
 * be a whole batch's when `y` is one shard of it: the gradient is then the whole-batch loss's, bit for bit).
 * `count` 0: sum 0, gradient 0.
 * @throws BackendError FEED_SHAPE when the target is not a float tensor shaped like the output.
 */
export function mseSum(
  y: Value,
  target: Tensor | IntTensor,
  output: string,
  count: number,
): { readonly sum: number; readonly grad: Float32Array } {
  const t = mseTargetData(y.shape, target, output);
  const grad = new Float32Array(y.data.length);
  if (count === 0) return { sum: 0, grad };
  const F = y.shape.at(-1)!;
  const [T, B] = y.shape.length === 3 ? [y.shape[0]!, y.shape[1]!] : [1, y.shape[0]!];
  let sum = 0;
  for (let b = 0; b < B; b++) {
    const L = y.shape.length === 3 ? validSteps(y.lengths, b, T) : 1;
    for (let tt = 0; tt < L; tt++) {
      const off = (tt * B + b) * F;
      for (let j = 0; j < F; j++) {
        const d = y.data[off + j]! - t[off + j]!;
        sum += d * d;
        grad[off + j] = (2 * d) / count;
      }
    }
  }
  return { sum, grad };
}
