/**
 * Gradient clipping with `torch.nn.utils` semantics: `clip_grad_norm_` (global L2 norm over every gradient,
 * scaled by min(1, maxNorm / (norm + 1e-6))) and `clip_grad_value_` (clamp each element).
 */

/** Global L2 norm of all gradients together (accumulated in float64). NaN/Infinity propagate. */
export function globalNorm(grads: Iterable<Float32Array>): number {
  let sum = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) sum += g[i]! * g[i]!;
  return Math.sqrt(sum);
}

/**
 * Scales every gradient in place by `min(1, maxNorm / (norm + 1e-6))`, as `clip_grad_norm_` does, where `norm` is
 * their global norm (pass it when already known). Returns the factor applied (1: unchanged).
 */
export function clipByGlobalNorm(grads: readonly Float32Array[], maxNorm: number, norm = globalNorm(grads)): number {
  const coef = maxNorm / (norm + 1e-6);
  if (!(coef < 1)) return 1;
  for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = g[i]! * coef;
  return coef;
}

/** Clamps every gradient element in place to [−limit, limit], as `clip_grad_value_` does. */
export function clipByValue(grads: readonly Float32Array[], limit: number): void {
  for (const g of grads) {
    for (let i = 0; i < g.length; i++) {
      const v = g[i]!;
      if (v > limit) g[i] = limit;
      else if (v < -limit) g[i] = -limit;
    }
  }
}
