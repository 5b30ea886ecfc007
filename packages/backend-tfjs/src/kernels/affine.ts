/** `x · Wᵀ + b` over the last axis of any rank, as one matrix product over all leading rows. */
import type { Tf, TfTensor } from "../tf.js";

/**
 * @param x `[..., I]`
 * @param weight `[O, I]` (PyTorch layout; the product uses it transposed without a copy)
 * @param bias `[O]` or undefined
 * @returns `[..., O]`
 */
export function affine(tf: Tf, x: TfTensor, weight: TfTensor, bias: TfTensor | undefined): TfTensor {
  const [O, I] = weight.shape as [number, number];
  const lead = x.shape.slice(0, -1);
  const rows = lead.reduce((a, d) => a * d, 1);
  const x2 = x.rank === 2 ? x : tf.reshape(x, [rows, I]);
  const y = bias
    ? tf.fused.matMul({ a: x2 as never, b: weight as never, transposeB: true, bias })
    : tf.matMul(x2 as never, weight as never, false, true);
  return x.rank === 2 ? y : tf.reshape(y, [...lead, O]);
}
