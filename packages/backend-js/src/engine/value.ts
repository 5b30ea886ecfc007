/**
 * Runtime values flowing between kernels. A value is a dense row-major Float32Array plus, for sequences, the
 * per-sample valid lengths that mask it. Values are immutable once produced: a kernel never writes into an
 * input value.
 */

/**
 * One value of a running graph: a sequence `[T, B, D]`, a vector `[B, D]` or a state `[directions, B, H]`.
 * `lengths` (`Int32Array [B]`, each in 0..T) is set only on sequences fed with lengths; undefined means every
 * step is valid. Padded steps of a sequence value are always zero.
 */
export interface Value {
  readonly shape: readonly number[];
  readonly data: Float32Array;
  readonly lengths: Int32Array | undefined;
  /**
   * Set on a frame stack's output: the sequence it stacks and the window. A consumer that can work from these
   * (a dense layer on the SIMD kernels, math/window-gemm.ts) never reads `data`, which is then never built.
   */
  readonly window?: { readonly source: Value; readonly left: number; readonly right: number };
}

/** Valid steps of sample `b` of a sequence of `T` steps. */
export function validSteps(lengths: Int32Array | undefined, b: number, T: number): number {
  return lengths === undefined ? T : lengths[b]!;
}

/** Zeros every padded frame `t >= lengths[b]` of a `[T, B, D]` buffer in place. */
export function zeroPadded(data: Float32Array, T: number, B: number, D: number, lengths: Int32Array | undefined): void {
  if (lengths === undefined) return;
  for (let b = 0; b < B; b++) {
    for (let t = lengths[b]!; t < T; t++) data.fill(0, (t * B + b) * D, (t * B + b + 1) * D);
  }
}
