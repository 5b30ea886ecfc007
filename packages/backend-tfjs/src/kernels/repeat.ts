/**
 * `repeat`: a vector `[B, D]` repeated over time → `[T, B, D]`, T from `steps` or from the second input (whose
 * lengths the output takes; its frames t ≥ L are zero). The second input only gives the shape: no gradient.
 */

import type { Kernel } from "../engine/kernel.js";
import { zeroPadded } from "../engine/lengths.js";

export const repeatKernel: Kernel<"repeat"> = (node, [vector, like], ctx) => {
  const { tf } = ctx;
  const v = vector!;
  const [B, D] = v.shape as [number, number];
  const T = like ? like.shape[0]! : node.steps!;
  if (T === 0) return [tf.zeros([0, B, D])];
  const y = tf.tile(tf.expandDims(v, 0), [T, 1, 1]);
  return [like ? zeroPadded(tf, y, ctx.lengthsOf(node.inputs[1]!)) : y];
};
