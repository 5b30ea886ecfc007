/**
 * Cutting a `[T·R, C]` tensor into T per-step blocks `[R, C]` and joining them back, along axis 0 so that every
 * piece is contiguous (a view on the cpu backend, a memcpy elsewhere; their gradients are a concat and a split).
 * On tfjs's wasm backend every slice copies its whole input first (`readSync` of the full tensor), so one T-way
 * split costs T times the tensor; there the rows are halved recursively instead (2·log₂T copies in all), and
 * joins are a tree of pairwise concats, whose gradient is the same halving.
 */
import type { Tf, TfTensor } from "../../tf.js";

function halve(tf: Tf, x: TfTensor, T: number, R: number, out: TfTensor[]): void {
  if (T === 1) {
    out.push(x);
    return;
  }
  const first = Math.ceil(T / 2);
  const [a, b] = tf.split(x, [first * R, (T - first) * R], 0) as [TfTensor, TfTensor];
  halve(tf, a, first, R, out);
  halve(tf, b, T - first, R, out);
}

/** `x [T·R, C]` (rows t·R .. t·R + R − 1 for step t) → T tensors `[R, C]`. */
export function splitSteps(tf: Tf, x: TfTensor, T: number, R: number): TfTensor[] {
  if (T === 1) return [x];
  if (tf.getBackend() !== "wasm") return tf.split(x, T, 0);
  const out: TfTensor[] = [];
  halve(tf, x, T, R, out);
  return out;
}

function pairwise(tf: Tf, parts: readonly TfTensor[]): TfTensor {
  if (parts.length === 1) return parts[0]!;
  const first = Math.ceil(parts.length / 2);
  return tf.concat([pairwise(tf, parts.slice(0, first)), pairwise(tf, parts.slice(first))], 0);
}

/** T tensors `[R, C]` → `[T·R, C]`, the inverse of {@link splitSteps}. */
export function joinSteps(tf: Tf, parts: readonly TfTensor[]): TfTensor {
  if (parts.length === 1) return parts[0]!;
  return tf.getBackend() === "wasm" ? pairwise(tf, parts) : tf.concat([...parts], 0);
}
