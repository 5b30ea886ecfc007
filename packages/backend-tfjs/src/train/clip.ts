/**
 * Gradient clipping with `torch.nn.utils` semantics, on the device: `clip_grad_norm_` (global L2 norm over every
 * gradient, scaled by min(1, maxNorm / (norm + 1e-6))) and `clip_grad_value_` (clamp each element).
 */
import type { Tf, TfTensor } from "../tf.js";

/** Global L2 norm of all gradients together, a scalar tensor. NaN/Infinity propagate. */
export function globalNorm(tf: Tf, grads: readonly TfTensor[]): TfTensor {
  if (grads.length === 0) return tf.scalar(0);
  const squares = grads.map((g) => tf.sum(tf.square(g)));
  return tf.sqrt(squares.length === 1 ? squares[0]! : tf.addN(squares));
}

/** Every gradient scaled by `min(1, maxNorm / (norm + 1e-6))`, as `clip_grad_norm_` does. */
export function clipByGlobalNorm(tf: Tf, grads: readonly TfTensor[], maxNorm: number, norm: TfTensor): TfTensor[] {
  const coef = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1);
  return grads.map((g) => tf.mul(g, coef));
}

/** Every element clamped to [−limit, limit], as `clip_grad_value_` does. */
export function clipByValue(tf: Tf, grads: readonly TfTensor[], limit: number): TfTensor[] {
  return grads.map((g) => tf.clipByValue(g, -limit, limit));
}
