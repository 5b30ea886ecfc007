/** `lastStep`: `y[b] = x[L_b − 1, b]` → `[B, D]` (one gather), zeros for a sample of length 0. */
import type { Kernel } from "../engine/kernel.js";

export const lastStepKernel: Kernel<"lastStep"> = (node, [input], ctx) => {
  const { tf } = ctx;
  const x = input!;
  const [T, B, D] = x.shape as [number, number, number];
  const lengths = ctx.lengthsOf(node.inputs[0]!);
  if (lengths === undefined || lengths.full) {
    return [T === 0 ? tf.zeros([B, D]) : tf.reshape(tf.slice(x, [T - 1, 0, 0], [1, B, D]), [B, D])];
  }
  if (lengths.max === 0) return [tf.zeros([B, D])];
  const rows = Int32Array.from(lengths.host, (L, b) => (L > 0 ? (L - 1) * B + b : b));
  const y = tf.gather(tf.reshape(x, [T * B, D]), tf.tensor(rows, [B], "int32"));
  return [lengths.hasEmpty ? tf.mul(y, lengths.nonEmpty()) : y];
};
