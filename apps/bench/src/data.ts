/**
 * Deterministic inputs and targets for the workloads (uniform in [−1, 1), seeded), in the layouts each system
 * takes: time-major `[T, B, D]` for Recurrent and onnxruntime, batch-major `[B, T, D]` for tf.layers, and
 * per-sequence frame lists for brain.js. Built before timing starts.
 */
import { createRng, type Tensor } from "@recurrent/core";

/** A `[t, b, d]` tensor of uniform values in [−1, 1) from `seed`. */
export function uniformSequence(t: number, b: number, d: number, seed: number): Tensor {
  const rng = createRng(seed, "bench");
  const data = new Float32Array(t * b * d);
  for (let i = 0; i < data.length; i++) data[i] = rng.next() * 2 - 1;
  return { shape: [t, b, d], data };
}

/** The same values batch-major: `[T, B, D]` → `[B, T, D]`. */
export function toBatchMajor(x: Tensor): Float32Array {
  const [t, b, d] = x.shape as [number, number, number];
  const out = new Float32Array(x.data.length);
  for (let s = 0; s < t; s++) {
    for (let n = 0; n < b; n++) out.set(x.data.subarray((s * b + n) * d, (s * b + n + 1) * d), (n * t + s) * d);
  }
  return out;
}

/** Sample `n`'s frames of a time-major `[T, B, D]` tensor, each a `Float32Array [D]` (brain.js's layout). */
export function sampleFrames(x: Tensor, n: number): Float32Array[] {
  const [t, b, d] = x.shape as [number, number, number];
  return Array.from({ length: t }, (_, s) => x.data.slice((s * b + n) * d, (s * b + n + 1) * d));
}

/** Lengths `[b]` all equal to `t`: the workloads have no padding. */
export function fullLengths(t: number, b: number): Int32Array {
  return new Int32Array(b).fill(t);
}
