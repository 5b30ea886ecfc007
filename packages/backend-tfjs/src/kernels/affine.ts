/** `x · W + b` over the last axis of any rank, as one matrix product over all leading rows. */
import type { Tf, TfTensor } from "../tf.js";

/**
 * `a [R, I] · wT [I, O] + bias [O]`. Weights come pre-transposed (once, via `derive`): the wasm backend of tfjs
 * 4.22 computes wrong rows for a fused product with `transposeB` and a bias.
 */
export function matMulBias(tf: Tf, a: TfTensor, wT: TfTensor, bias: TfTensor | undefined): TfTensor {
  return bias ? tf.fused.matMul({ a: a as never, b: wT as never, bias }) : tf.matMul(a as never, wT as never);
}

/**
 * @param x `[..., I]`
 * @param wT `[I, O]` (the PyTorch weight `[O, I]` transposed)
 * @param bias `[O]` or undefined
 * @returns `[..., O]`
 */
export function affine(tf: Tf, x: TfTensor, wT: TfTensor, bias: TfTensor | undefined): TfTensor {
  const [I, O] = wT.shape as [number, number];
  const lead = x.shape.slice(0, -1);
  if (x.rank === 2) return matMulBias(tf, x, wT, bias);
  const rows = lead.reduce((a, d) => a * d, 1);
  return tf.reshape(matMulBias(tf, tf.reshape(x, [rows, I]), wT, bias), [...lead, O]);
}
