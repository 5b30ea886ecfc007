/**
 * `lastStep`: `y[b] = x[L_b − 1, b]` → `[B, D]`, zeros for a sample of length 0. Written as a masked sum over
 * time with a one-hot step mask rather than a gather: the gather's gradient (UnsortedSegmentSum) is missing on
 * tfjs's wasm backend.
 */
import type { Kernel } from "../engine/kernel.js";

export const lastStepKernel: Kernel<"lastStep"> = (node, [input], ctx) => {
  const { tf } = ctx;
  const x = input!;
  const [T, B, D] = x.shape as [number, number, number];
  const lengths = ctx.lengthsOf(node.inputs[0]!);
  if (T === 0 || lengths?.max === 0) return [tf.zeros([B, D])];
  if (lengths === undefined || lengths.full) return [tf.reshape(tf.slice(x, [T - 1, 0, 0], [1, B, D]), [B, D])];
  const pick = new Float32Array(T * B);
  lengths.host.forEach((L, b) => {
    if (L > 0) pick[(L - 1) * B + b] = 1;
  });
  return [tf.sum(tf.mul(x, tf.tensor(pick, [T, B, 1], "float32")), 0)];
};
