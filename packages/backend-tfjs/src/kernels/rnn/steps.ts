/**
 * Cutting the input projection `[T·B, G]` into T per-step tensors `[B, G]`. One `unstack` normally (its
 * gradient is one `stack`). On tfjs's wasm backend every slice copies its whole input first (`readSync` of the
 * full tensor), so an unstack costs T times the projection; there the rows are halved recursively instead
 * (2·log₂T copies of it in all; the gradient is a tree of concats).
 */
import type { Tf, TfTensor } from "../../tf.js";

function halve(tf: Tf, x: TfTensor, T: number, B: number, out: TfTensor[]): void {
  if (T === 1) {
    out.push(x);
    return;
  }
  const first = Math.ceil(T / 2);
  const [a, b] = tf.split(x, [first * B, (T - first) * B], 0) as [TfTensor, TfTensor];
  halve(tf, a, first, B, out);
  halve(tf, b, T - first, B, out);
}

/** `x2 [T·B, G]` (rows t·B .. t·B + B − 1 for step t) → T tensors `[B, G]`. */
export function timeSteps(tf: Tf, x2: TfTensor, T: number, B: number): TfTensor[] {
  // tfjs's unstack gradient breaks on a single output (it receives a tensor, not a list), hence T = 1 apart.
  if (T === 1) return [x2];
  if (tf.getBackend() !== "wasm") return tf.unstack(tf.reshape(x2, [T, B, -1]));
  const out: TfTensor[] = [];
  halve(tf, x2, T, B, out);
  return out;
}
