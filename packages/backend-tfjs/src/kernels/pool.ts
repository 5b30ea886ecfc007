/**
 * `pool`: mean or max over each sample's valid steps → `[B, D]`, zeros for length 0. Padded steps enter max as
 * −1e30 (never the maximum of a sample with a valid step), so they get no gradient.
 */
import type { Kernel } from "../engine/kernel.js";

const FLOOR = -1e30;

export const poolKernel: Kernel<"pool"> = (node, [input], ctx) => {
  const { tf } = ctx;
  const x = input!;
  const [T, B, D] = x.shape as [number, number, number];
  const lengths = ctx.lengthsOf(node.inputs[0]!);
  if (T === 0 || lengths?.max === 0) return [tf.zeros([B, D])];
  if (lengths === undefined || lengths.full) return [node.mode === "mean" ? tf.div(tf.sum(x, 0), T) : tf.max(x, 0)];
  if (node.mode === "mean") {
    const counts = Float32Array.from(lengths.host, (L) => Math.max(L, 1));
    return [tf.div(tf.sum(tf.mul(x, lengths.mask()), 0), tf.tensor(counts, [B, 1], "float32"))];
  }
  const floor = tf.mul(tf.sub(lengths.mask(), 1), -FLOOR);
  const y = tf.max(tf.add(tf.mul(x, lengths.mask()), floor), 0);
  return [lengths.hasEmpty ? tf.mul(y, lengths.nonEmpty()) : y];
};
