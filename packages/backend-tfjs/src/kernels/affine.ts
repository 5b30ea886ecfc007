/** `x · Wᵀ + b` over the last axis of any rank, as one matrix product over all leading rows. */
import type { Tf, TfTensor } from "../tf.js";

/**
 * `a [R, I] · bT [I, O] + bias [O]`. The weight comes pre-transposed: the wasm backend of tfjs 4.22 computes
 * wrong rows for a fused product with `transposeB` and a bias.
 */
export function matMulBias(tf: Tf, a: TfTensor, bT: TfTensor, bias: TfTensor | undefined): TfTensor {
  return bias ? tf.fused.matMul({ a: a as never, b: bT as never, bias }) : tf.matMul(a as never, bT as never);
}

/**
 * @param x `[..., I]`
 * @param weight `[O, I]` (PyTorch layout)
 * @param bias `[O]` or undefined
 * @returns `[..., O]`
 */
export function affine(tf: Tf, x: TfTensor, weight: TfTensor, bias: TfTensor | undefined): TfTensor {
  const [O, I] = weight.shape as [number, number];
  const lead = x.shape.slice(0, -1);
  const rows = lead.reduce((a, d) => a * d, 1);
  const x2 = x.rank === 2 ? x : tf.reshape(x, [rows, I]);
  const y = matMulBias(tf, x2, tf.transpose(weight), bias);
  return x.rank === 2 ? y : tf.reshape(y, [...lead, O]);
}
